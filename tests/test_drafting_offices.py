"""Offices the registry lacks, named by the titles before people's names (factdb/drafting/offices.py),
and the holds_office facts drafted once they are accepted. A small registry built here, so that the
tests hold whatever the project's own data becomes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factdb.drafting.facts import proposals
from factdb.drafting.offices import new_offices
from factdb.drafting.reading import sentence_of
from factdb.drafting.roles import read_ahead
from factdb.loading import Layout
from factdb.validation import Registry
from schema.dates import DateBounds
from schema.models import Entity

ENTITIES = [
    {"id": "country:vietnam", "name": "Vietnam", "aliases": [{"name": "Vietnamese", "kind": "demonym"}]},
    {"id": "country:china", "name": "China", "aliases": [{"name": "Chinese", "kind": "demonym"}]},
    {"id": "person:pham-sao-mai", "name": "Pham Sao Mai", "country": "country:vietnam"},
    {"id": "person:wei-fenghe", "name": "Wei Fenghe", "country": "country:china"},
    {"id": "person:phan-van-giang", "name": "Phan Van Giang", "country": "country:vietnam"},
    {"id": "person:nguyen-hong-dien", "name": "Nguyen Hong Dien"},
]
SENTENCE = (
    "Vietnamese Ambassador to China Pham Sao Mai called on Chinese State Counsellor and Defence Minister "
    "Wei Fenghe, with Defence Minister Sen. Lieut. Gen Phan Van Giang and Minister of Industry and Trade "
    "Nguyen Hong Dien."
)


def registry_of(tmp_path: Path, *more: dict[str, Any]) -> Registry:
    registry = Registry(Layout(tmp_path))
    registry.entities = {entity["id"]: Entity.model_validate(entity) for entity in [*ENTITIES, *more]}
    return registry


def test_each_title_before_a_name_proposes_its_office_named_with_its_country(tmp_path: Path) -> None:
    proposed: dict[str, dict[str, Any]] = {}
    found = {
        entity["id"]: entity
        for entity in new_offices(sentence_of(registry_of(tmp_path), SENTENCE), registry_of(tmp_path), proposed)
    }
    assert {entity_id: (entity["name"], entity.get("country")) for entity_id, entity in found.items()} == {
        "office:ambassador-of-vietnam-to-china": ("Ambassador of Vietnam to China", "country:vietnam"),
        "office:state-counsellor-of-china": ("State Counsellor of China", "country:china"),
        "office:defence-minister-of-china": ("Defence Minister of China", "country:china"),
        # no country before the title: the holder's, which the registry knows (ranks are no office)
        "office:defence-minister-of-vietnam": ("Defence Minister of Vietnam", "country:vietnam"),
        # nor a holder's: named as written, the reviewer adds its country
        "office:minister-of-industry-and-trade": ("Minister of Industry and Trade", None),
    }
    assert {"name": "Vietnamese Ambassador to China", "kind": "other_name"} in found[
        "office:ambassador-of-vietnam-to-china"
    ]["aliases"]
    for entity in found.values():
        assert entity.pop("draft")
        Entity.model_validate(entity)  # an entry a reviewer can move to the registry as it is


def test_an_office_the_registry_has_is_not_proposed_again(tmp_path: Path) -> None:
    known = {"id": "office:defence-minister-of-china", "name": "Defence Minister of China", "country": "country:china"}
    registry = registry_of(tmp_path, known)
    sentence = sentence_of(registry, "Chinh met Chinese Defence Minister Wei Fenghe.")
    assert not list(new_offices(sentence, registry, {}))


def test_once_accepted_each_office_of_a_joined_title_is_held(tmp_path: Path) -> None:
    offices = [
        {"id": "office:state-counsellor-of-china", "name": "State Counsellor of China", "country": "country:china"},
        {
            "id": "office:defence-minister-of-china",
            "name": "Defence Minister of China",
            "aliases": [{"name": "Defence Minister", "kind": "other_name"}],
            "country": "country:china",
        },
        {
            "id": "office:defence-minister-of-vietnam",
            "name": "Defence Minister of Vietnam",
            "aliases": [{"name": "Defence Minister", "kind": "other_name"}],
            "country": "country:vietnam",
        },
    ]
    registry = registry_of(tmp_path, *offices)
    read = [sentence_of(registry, SENTENCE)]
    facts = proposals(read[0], read_ahead(read, registry), registry, "test", DateBounds("2020-08-31", "2020-08-31"))
    held = {(fact["subject"], fact["object"]) for fact in facts if fact["predicate"] == "holds_office"}
    assert held == {
        ("person:wei-fenghe", "office:state-counsellor-of-china"),
        ("person:wei-fenghe", "office:defence-minister-of-china"),
        ("person:phan-van-giang", "office:defence-minister-of-vietnam"),  # past his ranks, his country's
    }


def test_a_title_right_after_a_dash_is_read_whole(tmp_path: Path) -> None:
    registry = registry_of(tmp_path)
    sentence = sentence_of(registry, "(VOVWORLD) -Prime Minister Pham Sao Mai has returned to Hanoi.")
    assert [entity["name"] for entity in new_offices(sentence, registry, {})] == ["Prime Minister of Vietnam"]


def test_a_title_set_off_after_a_name_is_an_office_too(tmp_path: Path) -> None:
    registry = registry_of(tmp_path)
    sentence = sentence_of(
        registry,
        "Chinh met Wei Fenghe, the Chinese ambassador to this Asian nation, and Pham Sao Mai, Vice Chair of the "
        "Committee on International Trade under the European Parliament (EP).",
    )
    found = {entity["name"]: entity.get("country") for entity in new_offices(sentence, registry, {})}
    assert found == {
        "Ambassador of China": "country:china",  # posted to "this Asian nation": where, it does not say
        # of what, it says: not of the holder's country
        "Vice Chair of the Committee on International Trade under the European Parliament": None,
    }


def test_a_title_after_a_comma_that_opens_the_next_name_is_that_names(tmp_path: Path) -> None:
    premier = {
        "id": "office:premier-of-china",
        "name": "Premier of China",
        "aliases": [{"name": "Premier", "kind": "short_name"}],
        "country": "country:china",
    }
    registry = registry_of(
        tmp_path, premier, {"id": "person:li-keqiang", "name": "Li Keqiang", "country": "country:china"}
    )
    read = [sentence_of(registry, "Mai met Wei Fenghe, Premier Li Keqiang and others.")]
    facts = proposals(read[0], read_ahead(read, registry), registry, "test", DateBounds("2020-08-31", "2020-08-31"))
    held = {(fact["subject"], fact["object"]) for fact in facts if fact["predicate"] == "holds_office"}
    assert held == {("person:li-keqiang", "office:premier-of-china")}


def test_a_title_of_an_organisation_with_its_abbreviation_names_the_office_without_it(tmp_path: Path) -> None:
    registry = registry_of(tmp_path)
    sentence = sentence_of(
        registry,
        "Vice President of the Vietnam Chamber of Commerce and Industry (VCCI) Pham Sao Mai spoke at the event.",
    )
    found = [(entity["name"], entity.get("aliases")) for entity in new_offices(sentence, registry, {})]
    assert found == [("Vice President of the Vietnam Chamber of Commerce and Industry", None)]


def test_a_title_that_says_where_it_is_held_names_an_office_as_written(tmp_path: Path) -> None:
    united_states = {
        "id": "country:united-states",
        "name": "United States",
        "aliases": [{"name": "US", "kind": "abbreviation"}],
    }
    damour = {"id": "person:marie-damour", "name": "Marie Damour"}
    text = "Chargé d’Affaires at the US Embassy in Vietnam Marie Damour said the US pledges help."  # (blind trial 5)
    registry = registry_of(tmp_path, united_states, damour)
    found = [entity["name"] for entity in new_offices(sentence_of(registry, text), registry, {})]
    assert found == ["Chargé d’Affaires at the US Embassy in Vietnam"]  # with its marks, of where it says
    office = {"id": "office:charge-d-affaires-at-the-us-embassy-in-vietnam", "name": found[0]}
    registry = registry_of(tmp_path, united_states, damour, office)  # once accepted
    read = [sentence_of(registry, text)]
    facts = proposals(read[0], read_ahead(read, registry), registry, "test", DateBounds("2021-12-08", "2021-12-08"))
    held = {(fact["subject"], fact["object"]) for fact in facts if fact["predicate"] == "holds_office"}
    assert held == {("person:marie-damour", office["id"])}


def test_an_organisation_before_a_title_is_what_the_office_heads(tmp_path: Path) -> None:
    agency = {
        "id": "organization:foreign-investment-agency",
        "name": "Foreign Investment Agency",
        "aliases": [{"name": "FIA", "kind": "abbreviation"}],
        "country": "country:vietnam",
    }
    registry = registry_of(tmp_path, agency)
    text = "FIA Director Pham Sao Mai said Japan is a leading investor."  # (blind trial 7: VOV 2014)
    found = [(entity["name"], entity["country"]) for entity in new_offices(sentence_of(registry, text), registry, {})]
    assert found == [("Director of the Foreign Investment Agency", "country:vietnam")]
    # One proposed in the article, by its first word in capitals ("IHI CEO X").
    company = {"id": "organization:ihi-corporation", "name": "IHI Corporation", "country": "country:china"}
    text = "IHI CEO Pham Sao Mai affirmed that the group will support Vietnam."
    named = [entity["name"] for entity in new_offices(sentence_of(registry, text), registry, {company["id"]: company})]
    assert named == ["CEO of IHI Corporation"]


def test_a_counterpart_holds_the_others_office_of_the_country_named_by_words_of_this_article(
    tmp_path: Path,
) -> None:
    indonesia = {"id": "country:indonesia", "name": "Indonesia", "aliases": [{"name": "Indonesian", "kind": "demonym"}]}
    retno = {"id": "person:retno-marsudi", "name": "Retno Marsudi", "country": "country:indonesia"}
    registry = registry_of(tmp_path, indonesia, retno)
    text = (  # (VietnamPlus, July 2022)
        "The same day, Vietnamese Minister of Foreign Affairs Pham Sao Mai and his Indonesian counterpart Retno "
        "Marsudi co-chaired the fourth meeting of the Joint Committee on Bilateral Cooperation in Jakarta."
    )
    found = {entity["id"]: entity for entity in new_offices(sentence_of(registry, text), registry, {}, "vnp")}
    office = found["office:minister-of-foreign-affairs-of-indonesia"]
    assert office["country"] == "country:indonesia"
    assert {"name": "Indonesian counterpart", "kind": "other_name", "source": "vnp"} in office["aliases"]
    # Once accepted, the counterpart holds it, and the words name it in that article only.
    for entity in found.values():
        del entity["draft"]
        registry.entities[entity["id"]] = Entity.model_validate(entity)
    registry = registry_of(tmp_path, indonesia, retno, *found.values())
    read = [sentence_of(registry, text, source="vnp")]
    facts = proposals(read[0], read_ahead(read, registry), registry, "vnp", DateBounds("2022-07-20", "2022-07-20"))
    held = {(fact["subject"], fact["object"]) for fact in facts if fact["predicate"] == "holds_office"}
    assert ("person:retno-marsudi", "office:minister-of-foreign-affairs-of-indonesia") in held
    elsewhere = sentence_of(registry, text, source="another-article")
    assert "office:minister-of-foreign-affairs-of-indonesia" not in {
        m.entity_id for m in elsewhere.mentions if m.words == "Indonesian counterpart"
    }


def test_a_participle_opening_the_sentence_is_no_word_of_the_title_after_it(tmp_path: Path) -> None:
    france = {"id": "country:france", "name": "France", "aliases": [{"name": "French", "kind": "demonym"}]}
    registry = registry_of(tmp_path, france)
    text = (  # (The World & Vietnam Report, November 2021)
        "Welcoming Vietnamese Ambassador to France Pham Sao Mai who came to present his letter of credentials, "
        "Macron spoke highly of achievements in bilateral cooperation."
    )
    found = [entity["name"] for entity in new_offices(sentence_of(registry, text), registry, {})]
    assert found == ["Ambassador of Vietnam to France"]
