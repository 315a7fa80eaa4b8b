"""`build.py draft`: proposed facts, each marked for review, that pass check once reviewed.

Run on the grounding fixture (a made-up article under tests/fixtures/grounding), and the
rules on real sentences of the archived articles with just the entities they need, so the
tests hold whatever the project's own data becomes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import PROJECT, run_build, write_json
from factdb.drafting import draft_date
from factdb.drafting.facts import proposals
from factdb.drafting.reading import sentence_of
from factdb.drafting.roles import read_ahead
from factdb.drafting.values import actions
from factdb.loading import Layout
from factdb.validation import Registry
from schema.dates import DateBounds
from schema.models import Entity
from schema.vocabulary import PREDICATES

FIXTURE = PROJECT / "tests" / "fixtures" / "grounding"
SOURCE = "test-hanoi-talks"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def facts_of(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["facts"]


def test_drafts_are_marked_refused_until_reviewed_and_valid_once_reviewed(project: Path) -> None:
    (project / "facts" / f"{SOURCE}.json").unlink()
    result = run_build("draft", SOURCE, "--root", project)
    assert result.returncode == 0, result.stderr
    drafted = facts_of(project / "facts" / f"{SOURCE}.json")
    assert drafted and all(fact["draft"] for fact in drafted)
    # What a contributor reviews is what the article says: its quotes, its entities.
    text = (project / "sources" / f"{SOURCE}.txt").read_text(encoding="utf-8")
    assert all(citation["quote"] in text for fact in drafted for citation in fact["citations"])
    assert {("held_talks_with", "person:pham-minh-chinh", "person:fumio-kishida")} <= {
        (fact["predicate"], fact["subject"], fact.get("object")) for fact in drafted
    }
    refused = run_build("check", "--root", project)
    assert refused.returncode == 1
    drafts_refused = [line for line in refused.lines if "is a draft proposed" in line and "entities[" not in line]
    assert len(drafts_refused) == len(drafted)
    for fact in drafted:  # the contributor's review, done blindly: delete the markers
        del fact["draft"]
    for proposed in (project / "facts" / "entities").glob("draft-*.json"):
        proposed.unlink()  # and the names proposed as new entities, which no drafted fact uses
    write_json(project / "facts" / f"{SOURCE}.json", {"$schema": "../schema/facts.schema.json", "facts": drafted})
    accepted = run_build("check", "--root", project)
    assert accepted.returncode == 0, accepted.stderr


def test_a_pair_named_before_is_who_the_two_leaders_are(project: Path) -> None:
    (project / "facts" / f"{SOURCE}.json").unlink()
    assert run_build("draft", SOURCE, "--root", project).returncode == 0
    agreed = [
        fact
        for fact in facts_of(project / "facts" / f"{SOURCE}.json")
        if fact["predicate"] == "agreed_with" and fact["citations"][0]["quote"].startswith("The two leaders")
    ]
    assert [(fact["subject"], fact["object"]) for fact in agreed] == [
        ("person:pham-minh-chinh", "person:fumio-kishida")
    ]
    referents = agreed[0]["citations"][0]["referents"]
    assert {referent["entity"] for referent in referents} == {"person:pham-minh-chinh", "person:fumio-kishida"}
    assert all(referent["words"] == "The two leaders" for referent in referents)


def test_drafting_adds_to_the_facts_already_there_without_changing_them(project: Path) -> None:
    path = project / "facts" / f"{SOURCE}.json"
    before = facts_of(path)
    result = run_build("draft", SOURCE, "--root", project)
    assert result.returncode == 0, result.stderr
    after = facts_of(path)
    kept = [fact for fact in after if "draft" not in fact]
    assert sorted(kept, key=lambda fact: fact["id"]) == sorted(before, key=lambda fact: fact["id"])
    said = {(fact["predicate"], fact["subject"], fact.get("object")) for fact in before}
    assert not [
        fact for fact in after if "draft" in fact and (fact["predicate"], fact["subject"], fact.get("object")) in said
    ]
    again = run_build("draft", SOURCE, "--root", project)  # a second run proposes nothing new
    assert again.returncode == 0 and facts_of(path) == after


def test_an_unknown_source_is_a_usage_error(project: Path) -> None:
    result = run_build("draft", "no-such-source", "--root", project)
    assert result.returncode == 2 and "unknown source 'no-such-source'" in result.stderr and SOURCE in result.stderr


@pytest.mark.parametrize(
    ("sentence", "published", "edtf", "reasoning"),
    [
        ("held talks in Hanoi on Sunday", ("2022-05-01", "2022-05-01"), "2022-05-01", "the Sunday on or before it"),
        ("since his visit last November", ("2015-09-13", "2015-09-13"), "2014-11", "2014"),
        ("the talks in July", ("2018-09-05", "2018-09-05"), "2018-07", "2018"),
        ("a visit in November", ("2015-09-13", "2015-09-13"), "2014-11", "2014"),  # not yet come: the last one
        ("trade this year", ("2022-05-01", "2022-05-01"), "2022", "2022"),
        ("on Thursday", ("2018-01-01", "2018-12-31"), None, None),  # a weekday needs a publication day
        ("from September 15 to 18, 2015", None, "2015-09-15/2015-09-18", None),  # stated in full
        ("talks on June 2", ("2022-06-05", "2022-06-05"), "2022-06-02", "2022"),  # a day without its year
        ("from 3-5 March", ("2022-06-05", "2022-06-05"), "2022-03-03/2022-03-05", "2022"),
        ("from April 30 to May 1", ("2022-05-01", "2022-05-01"), "2022-04-30/2022-05-01", "2022"),
        ("on December 30", ("2022-01-02", "2022-01-02"), "2021-12-30", "2021"),  # not yet come: the last one
        # what a change is measured from is no date of the fact (a VNA trade report of 2021)
        ("trade reached 133.09 billion USD last year, up 13.82 percent from 2019", ("2021-05-25",) * 2, "2020", "2021"),
    ],
)
def test_dates_are_resolved_against_the_publication_date(
    sentence: str, published: tuple[str, str] | None, edtf: str | None, reasoning: str | None
) -> None:
    found = draft_date(sentence, DateBounds(*published) if published else None, ahead=False)
    if edtf is None:
        assert found is None
        return
    assert found is not None and found.edtf == edtf
    assert (found.reasoning is None) == (reasoning is None)
    if reasoning:
        assert reasoning in (found.reasoning or "")


def test_names_the_registry_lacks_are_proposed_as_draft_entities(project: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(
        "Ministers meet in Hanoi\nForeign Minister Bùi Thanh Sơn met Ambassador Yamada Takio in Hanoi on Monday.\n"
        "Prime Minister Phạm Minh Chính later met Australian Prime Minister Anthony Albanese.\n"
        "The Asian Development Bank approved a loan to Vietnam.\n",
        encoding="utf-8",
    )
    made = run_build("new", article, "--title", "Ministers meet in Hanoi", "--date", "2022-06-06", "--root", project)
    assert made.returncode == 0, made.stderr
    source_id = next(
        Path(line.split()[-1]).stem for line in made.stdout.splitlines() if line.startswith("wrote sources/")
    )
    drafted = run_build("draft", source_id, "--root", project)
    assert drafted.returncode == 0, drafted.stderr
    path = project / "facts" / "entities" / f"draft-{source_id}.json"
    proposed = {entity["id"]: entity for entity in json.loads(path.read_text(encoding="utf-8"))["entities"]}
    minister = proposed["person:bui-thanh-son"]  # an ASCII slug; the name in its own script
    assert (
        minister["name"] == "Bùi Thanh Sơn"
        and {"name": "Bui Thanh Son", "kind": "other_spelling"} in minister["aliases"]
    )
    assert "organization:asian-development-bank" in proposed and "person:yamada-takio" in proposed
    assert "person:anthony-albanese" in proposed  # after an office the registry names ("Prime Minister")
    assert not [entity_id for entity_id in proposed if entity_id.endswith(":hanoi")]  # known already
    assert all(entity["draft"] for entity in proposed.values())
    checked = run_build("check", "--root", project)
    assert checked.returncode == 1
    assert any(
        f"draft-{source_id}.json" in line and "entity 'person:bui-thanh-son' is a draft" in line
        for line in checked.lines
    ), checked.stderr


@pytest.mark.parametrize(
    ("title", "date", "expected"),
    [
        (
            "Vietnam looks to Japan as a counterweight to China",
            "2015-09",
            "2015-vietnam-looks-japan-counterweight-china",
        ),
        ("Đà Nẵng hosts the APEC summit", "2017", "2017-da-nang-hosts-apec-summit"),
    ],
)
def test_new_derives_a_readable_id(project: Path, tmp_path: Path, title: str, date: str, expected: str) -> None:
    article = tmp_path / "article.txt"
    article.write_text(f"{title}\nSome text of the article.\n", encoding="utf-8")
    made = run_build("new", article, "--title", title, "--date", date, "--root", project)
    assert made.returncode == 0, made.stderr
    assert (project / "sources" / f"{expected}.json").exists(), made.stdout


# --- The rules, on real sentences of the archived articles ------------------------------------
# (copied here with just the entities they need, so that the tests hold whatever the data becomes)


def _entity(entity_id: str, name: str, *aliases: str, demonym: str | None = None, **more: str) -> Entity:
    kinds = {True: "short_name", False: "other_name"}
    listed = [{"name": alias, "kind": kinds[len(alias.split()) == 1]} for alias in aliases]
    listed += [{"name": demonym, "kind": "demonym"}] if demonym else []
    return Entity.model_validate({"id": entity_id, "name": name, "aliases": listed, **more})


ENTITIES = {
    entity.id: entity
    for entity in [
        _entity("country:vietnam", "Vietnam", demonym="Vietnamese"),
        _entity("country:japan", "Japan", demonym="Japanese"),
        _entity("country:china", "China", demonym="Chinese"),
        _entity("country:russia", "Russia", demonym="Russian"),
        _entity("country:ukraine", "Ukraine"),
        _entity("country:norway", "Norway", demonym="Norwegian"),
        _entity("country:sweden", "Sweden"),
        _entity("place:hanoi", "Hanoi", country="country:vietnam"),
        _entity("place:beijing", "Beijing", country="country:china"),
        _entity("person:pham-minh-chinh", "Pham Minh Chinh", "Chinh", country="country:vietnam"),
        _entity("person:fumio-kishida", "Fumio Kishida", "Kishida", country="country:japan"),
        _entity("person:nguyen-phu-trong", "Nguyen Phu Trong", "Trong", country="country:vietnam"),
        _entity("person:truong-tan-sang", "Truong Tan Sang", "Truong", country="country:vietnam"),
        _entity("person:nguyen-tan-dung", "Nguyen Tan Dung", country="country:vietnam"),
        _entity("person:vladimir-putin", "Vladimir Putin", "Putin", country="country:russia"),
        _entity("person:tran-dai-quang", "Tran Dai Quang", "Quang", country="country:vietnam"),
        _entity("person:shinzo-abe", "Shinzo Abe", "Abe", country="country:japan"),
        _entity("person:erna-solberg", "Erna Solberg", "Solberg", country="country:norway"),
        _entity("person:masuhiro-tanaka", "Masuhiro Tanaka", country="country:japan"),
        _entity("group:russian-leaders", "Russian leaders", country="country:russia"),
        _entity("organization:kyodo", "Kyodo News", "Kyodo"),
        _entity("office:president-of-vietnam", "President of Vietnam", "President", country="country:vietnam"),
        _entity(
            "office:prime-minister-of-vietnam", "Prime Minister of Vietnam", "Prime Minister", country="country:vietnam"
        ),
        _entity("office:chair-of-vietnam-assembly", "Chairman of the National Assembly", country="country:vietnam"),
        _entity(
            "agreement:vietnam-russia-friendship-treaty",
            "Vietnam-Russia friendship treaty",
            "treaty on basic principles for Vietnam-Russia friendship",
        ),
    ]
}
PUBLISHED = DateBounds("2022-05-01", "2022-05-01")


def propose(tmp_path: Path, *sentences: str, extra: tuple[dict, ...] = (), at: int = -1) -> list[dict]:
    """The facts the sentence at `at` (the last) proposes, after the ones before it, with the
    whole article read ahead (which the article names); `extra`: entities beyond ENTITIES."""
    registry = Registry(Layout(tmp_path))
    registry.entities = {**ENTITIES, **{entity["id"]: Entity.model_validate(entity) for entity in extra}}
    read = [sentence_of(registry, text) for text in sentences]
    memory = read_ahead(read, registry)
    for earlier in read[:at]:
        memory.remember(earlier, registry)
    return list(proposals(read[at], memory, registry, "test", PUBLISHED))


def said(facts: list[dict]) -> set[tuple[str, str, str | None]]:
    return {(fact["predicate"], fact["subject"], fact.get("object")) for fact in facts}


def test_an_attributed_claim_is_its_own_actors_and_a_stance_is_also_the_claims(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,
            "Regarding the Ukraine issue, Chinh said Vietnam attaches special importance to the humanitarian issue "
            "and announced that Vietnam will provide $500,000 in aid to Ukraine through international humanitarian "
            "organisations.",  # ppp-2022-kishida-hanoi
        )
    )
    assert ("provides_aid_to", "country:vietnam", "country:ukraine") in facts  # not Ukraine's, named first
    assert {("position_on", "person:pham-minh-chinh", None), ("position_on", "country:vietnam", None)} <= facts


def test_a_claim_naming_no_one_is_its_tellers(tmp_path: Path) -> None:
    facts = propose(
        tmp_path,
        "Trong thanked Japan for its help.",
        "“Vietnam looks forward to the continued high influx of ODA (official development assistance) from Japan, "
        "especially into infrastructure,” he said, while also seeking expanded Japanese investment in such areas as "
        "hi-tech and supporting industries.",  # scmp-2015-trong-japan
    )
    assert ("requested", "person:nguyen-phu-trong", "country:japan") in said(facts)


def test_a_capital_stands_for_its_country_where_the_role_takes_a_country(tmp_path: Path) -> None:
    sentences = (  # scmp-2015-trong-japan
        "Japan is Vietnam’s biggest aid donor.",
        "But Nguyen Phu Trong’s visit comes at a time when Japan and Vietnam are stepping up their cooperation in the "
        "wake of China’s muscle-flexing in the South China Sea, where Hanoi is engaged in territorial rows with "
        "Beijing.",
    )
    facts = propose(tmp_path, *sentences)
    assert {("in_dispute_with", "country:vietnam", "country:china"), ("carried_out", "country:china", None)} <= said(
        facts
    )
    dispute = next(fact for fact in facts if fact["predicate"] == "in_dispute_with")
    referents = {referent["words"]: referent for referent in dispute["citations"][0]["referents"]}
    assert referents["Hanoi"]["entity"] == "country:vietnam" and "Vietnam" in referents["Hanoi"]["context"]
    allied = said(propose(tmp_path, *sentences, "Hanoi has been considered a fraternal ally of Beijing."))
    assert ("allied_with", "country:vietnam", "country:china") in allied
    visit = propose(
        tmp_path, "Vietnam and Japan", "Kishida is making an official visit to Hanoi from April 30 to May 1."
    )
    assert [(fact["object"], fact.get("place")) for fact in visit if fact["predicate"] == "visited"] == [
        ("country:vietnam", "place:hanoi")  # the country visited, the city its place
    ]


def test_the_two_countries_are_the_pair_named_together_most(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,  # vna-2018-trong-russia
            "Two-way trade between Vietnam and Russia reached 3.5 billion USD in 2017.",
            "Vietnam and Russia have a long friendship, which the Soviet Union and China watched.",
            "Since the Vietnam-Eurasian Economic Union Free Trade Agreement took effect in October 2016, the two "
            "countries’ trade has grown by some 30 percent over the past two years to 3.5 billion USD in 2017, which "
            "is still very low and not on par with their sound political ties, potential and expectations.",
        )
    )
    assert {
        ("trade_with", "country:vietnam", "country:russia"),
        ("trade_growth_with", "country:vietnam", "country:russia"),
    } <= facts


def test_a_pair_that_does_it_mutually_does_it_both_ways(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,  # vov-2018-quang-japan
            "President Tran Dai Quang held talks with Prime Minister Shinzo Abe on Vietnam and Japan’s ties.",
            "They committed to mutually supporting the candidacy for a non-permanent seat in the United Nations "
            "Security Council (UNSC) in 2020-2021 for Vietnam, and 2023-2024 for Japan.",
        )
    )
    assert {
        ("supports_candidacy_of", "country:vietnam", "country:japan"),
        ("supports_candidacy_of", "country:japan", "country:vietnam"),
    } <= facts


def test_each_of_a_list_is_an_object_and_each_of_a_party_a_partner(tmp_path: Path) -> None:
    outranks = said(
        propose(
            tmp_path,  # scmp-2015-trong-japan
            "Trong outranks both President Truong and Prime Minister Nguyen Tan Dung in Vietnam’s leadership "
            "hierarchy.",
        )
    )
    assert {
        ("outranks", "person:nguyen-phu-trong", "person:truong-tan-sang"),
        ("outranks", "person:nguyen-phu-trong", "person:nguyen-tan-dung"),
    } <= outranks
    talks = said(
        propose(
            tmp_path,  # vna-2018-trong-russia
            "During a visit to Russia from September 5 to 8, General Secretary of the Communist Party of Vietnam "
            "Central Committee Nguyen Phu Trong and President Vladimir Putin and other Russian leaders will discuss "
            "measures to promote the countries’ relations.",
        )
    )
    assert {
        ("held_talks_with", "person:nguyen-phu-trong", "person:vladimir-putin"),
        ("held_talks_with", "person:nguyen-phu-trong", "group:russian-leaders"),
    } <= talks


def test_whose_it_is_and_what_it_is_of(tmp_path: Path) -> None:
    ranked = said(
        propose(
            tmp_path,  # scmp-2015-trong-japan
            "Trong thanked Japan for being Vietnam’s biggest aid benefactor and sought its continued help.",
        )
    )
    assert ("ranks_as_partner_of", "country:japan", "country:vietnam") in ranked
    treaty = said(
        propose(
            tmp_path,  # vna-2018-trong-russia
            "Trong gave an interview.",
            "He said the visit will be made amidst developing bilateral relations and on the threshold of the 25th "
            "anniversary of the signing of a treaty on basic principles for Vietnam-Russia friendship in 2019 and 70 "
            "years of diplomatic ties in 2020.",
        )
    )
    assert {
        ("signed", "agreement:vietnam-russia-friendship-treaty", None),
        ("anniversary", "agreement:vietnam-russia-friendship-treaty", None),
        ("diplomatic_relations_with", "country:vietnam", "country:russia"),  # named inside the treaty's name
    } <= treaty


def test_a_goal_after_publication_is_not_the_date_of_what_happened(tmp_path: Path) -> None:
    facts = propose(
        tmp_path,  # ppp-2022-kishida-hanoi
        "Chinh held talks with Kishida.",
        "The two leaders also agreed to increase cooperation to help Vietnam participate deeper in regional and "
        "global supply chains and realise its commitment to net zero emissions by 2050.",
    )
    agreed = [fact for fact in facts if fact["predicate"] == "agreed_with"]
    assert agreed and all(fact["date"] <= "2022" for fact in agreed)


def test_the_month_of_may_is_no_modal_verb(tmp_path: Path) -> None:
    facts = propose(tmp_path, "Chinh held talks with Kishida in Hanoi on May 3.")
    talks = next(fact for fact in facts if fact["predicate"] == "held_talks_with")
    assert "modality" not in talks
    maybe = propose(tmp_path, "Chinh may hold talks with Kishida in Hanoi.")
    assert next(fact for fact in maybe if fact["predicate"] == "held_talks_with")["modality"] == "expected"


@pytest.mark.parametrize(
    ("sentence", "predicate", "quantity"),
    [
        (  # not the days of a date without its year, nor a count of those referred to
            "Between June 2-4, the two leaders witnessed the signing of 9 cooperation documents.",
            "exchanged_documents_with",
            {"amount": 9, "unit": "cooperation documents"},
        ),
        (  # not a number in a word of its own
            "On two-way trade, Chinh and Kishida witnessed the exchange of 5 cooperation documents.",
            "exchanged_documents_with",
            {"amount": 5, "unit": "cooperation documents"},
        ),
        (  # not a rank
            "On the 61st anniversary of their ties, Japan delivered 3 patrol boats to Vietnam.",
            "delivered_to",
            {"amount": 3, "unit": "patrol boats"},
        ),
        (  # the amount in dollars, the growth in percent
            "Trade of Vietnam and Japan rose by 12 percent to 40 billion USD, up from 2020.",
            "trade_with",
            {"amount": 40_000_000_000, "unit": "USD"},
        ),
        (
            "Trade of Vietnam and Japan rose by 12 percent to 40 billion USD, up from 2020.",
            "trade_growth_with",
            {"amount": 12, "unit": "percent"},
        ),
    ],
)
def test_a_quantity_is_the_number_in_the_unit_its_predicate_takes(
    tmp_path: Path, sentence: str, predicate: str, quantity: dict
) -> None:
    facts = propose(tmp_path, "Chinh held talks with Kishida.", sentence)
    assert [fact["quantity"] for fact in facts if fact["predicate"] == predicate] == [quantity]


def test_delivering_a_speech_is_no_delivery(tmp_path: Path) -> None:
    speeches = propose(tmp_path, "In Hanoi, Japan's envoy delivered speeches to Vietnam's forum of over 300 firms.")
    assert "delivered_to" not in {fact["predicate"] for fact in speeches}


def test_building_something_is_no_construction_and_a_commitment_is_committed(tmp_path: Path) -> None:
    framework = propose(tmp_path, "Vietnam and Japan talked, focusing on building a framework of trust.")
    assert "carried_out" not in {fact["predicate"] for fact in framework}
    pledge = propose(tmp_path, "The plan helps Vietnam realise its commitment to cleaner air by 2040.")
    assert ("committed_to", "country:vietnam", None) in said(pledge)


def test_a_list_of_people_may_give_each_a_title_with_of_the(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,
            "Chinh also met Japanese Prime Minister Fumio Kishida, Speaker of the House Masuhiro Tanaka, and "
            "President of the Senate for Trade Shinzo Abe.",
        )
    )
    assert {
        ("met", "person:pham-minh-chinh", "person:fumio-kishida"),
        ("met", "person:pham-minh-chinh", "person:masuhiro-tanaka"),
        ("met", "person:pham-minh-chinh", "person:shinzo-abe"),
    } <= facts


def test_a_leader_back_home_visited_the_countries_of_his_trip_not_his_own(tmp_path: Path) -> None:
    facts = propose(
        tmp_path,
        "Vietnam and Japan",
        "Prime Minister Chinh arrived in Hanoi on June 9, wrapping up visits to Japan, Norway and Sweden.",
    )
    assert {fact["object"] for fact in facts if fact["predicate"] == "visited"} == {
        "country:japan",
        "country:norway",
        "country:sweden",
    }


def test_he_who_opens_the_sentence_is_who_asks_not_the_one_thanked(tmp_path: Path) -> None:
    facts = propose(
        tmp_path,
        "Chinh received Ambassador Yamada.",
        "He thanked Japan for its loans for Vietnam’s railways and proposed Japan consider more scholarships.",
    )
    assert {
        ("thanked", "person:pham-minh-chinh", "country:japan"),
        ("requested", "person:pham-minh-chinh", "country:japan"),
    } <= said(facts)


def test_a_countrys_leader_by_title_is_its_person_named_most(tmp_path: Path) -> None:
    before = ("Chinh held talks with Kishida in Hanoi.", "Chinh then flew to Norway.")
    facts = propose(tmp_path, *before, "There, the Vietnamese leader met his Norwegian counterpart Erna Solberg.")
    met = next(fact for fact in facts if fact["predicate"] == "met")
    assert (met["subject"], met["object"]) == ("person:pham-minh-chinh", "person:erna-solberg")
    assert met["citations"][0]["referents"] == [
        {"entity": "person:pham-minh-chinh", "words": "the Vietnamese leader", "context": before[0]}
    ]
    thanked = said(propose(tmp_path, *before, "The Japanese PM thanked Vietnam for its support on trade."))
    assert ("thanked", "person:fumio-kishida", "country:vietnam") in thanked
    named = propose(tmp_path, *before, "The Japanese PM Shinzo Abe thanked Vietnam for its support on trade.")
    assert "person:fumio-kishida" not in {fact["subject"] for fact in named}  # a title before a name is the name's


def test_both_sides_are_the_pair_named_last_in_an_article_of_several_visits(tmp_path: Path) -> None:
    before = (
        "Chinh held talks with Kishida on trade between Vietnam and Japan.",
        "Chinh and Kishida also agreed that Vietnam and Japan would open a new air route.",
        "The Vietnamese leader then held talks with Norwegian Prime Minister Erna Solberg.",
    )
    sides = said(propose(tmp_path, *before, "Both sides agreed to speed up talks on a trade deal."))
    assert ("agreed_with", "country:vietnam", "country:norway") in sides
    leaders = said(propose(tmp_path, *before, "The two PMs exchanged views on security and safety at sea."))
    assert ("agreed_with", "person:pham-minh-chinh", "person:erna-solberg") in leaders


def test_they_are_a_pair_just_named_or_referred_to_and_never_a_delegation(tmp_path: Path) -> None:
    talks = "Chinh held talks with Kishida in Tokyo."
    delegation = "The Vietnamese delegation later laid flowers at a memorial in Japan."
    assert not propose(tmp_path, talks, delegation, "They also met leaders of Osaka and toured its port.")
    toured = ("Chinh later toured a car factory.", "Kishida toured a school that afternoon.")
    assert not propose(tmp_path, talks, *toured, "They also attended a gala dinner of the business community.")
    chain = ("The two leaders welcomed the growth of trade.", "They also noted the rise in tourism.")
    agreed = said(propose(tmp_path, talks, *chain, "They agreed to open more air routes between the cities."))
    assert agreed == {("agreed_with", "person:pham-minh-chinh", "person:fumio-kishida")}


def test_the_two_leaders_are_the_two_the_sentence_names_before_them(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,
            "Trong held talks with Putin.",
            "When Chinh visited Japan and met Kishida in March, the two leaders agreed to open new air routes.",
        )
    )
    assert ("agreed_with", "person:pham-minh-chinh", "person:fumio-kishida") in facts
    assert ("agreed_with", "person:nguyen-phu-trong", "person:vladimir-putin") not in facts


def test_whom_a_speaker_told_holds_no_stance(tmp_path: Path) -> None:
    facts = said(propose(tmp_path, "Chinh told Kyodo that Vietnam values its ties with Japan above all."))
    assert ("position_on", "country:vietnam", None) in facts
    assert ("position_on", "organization:kyodo", None) not in facts


def test_the_pm_is_the_person_named_most(tmp_path: Path) -> None:
    facts = propose(
        tmp_path,
        "Chinh held talks with Kishida.",
        "Chinh then flew to Norway.",
        "In Oslo, the PM and his Norwegian counterpart Erna Solberg exchanged 3 cooperation documents.",
    )
    exchanged = next(fact for fact in facts if fact["predicate"] == "exchanged_documents_with")
    assert (exchanged["subject"], exchanged["object"], exchanged["quantity"]["amount"]) == (
        "person:pham-minh-chinh",
        "person:erna-solberg",
        3,
    )
    assert exchanged["citations"][0]["referents"][0]["words"] == "the PM"


def test_what_a_pair_did_is_no_agreement_but_what_they_said_is(tmp_path: Path) -> None:
    talks = "Chinh held talks with Kishida in Tokyo."
    assert not propose(tmp_path, talks, "They also attended the opening of a trade fair in the city.")
    underlined = said(propose(tmp_path, talks, "They also underlined the need for closer ties in farming."))
    assert underlined == {("agreed_with", "person:pham-minh-chinh", "person:fumio-kishida")}


def test_who_had_talks_held_talks(tmp_path: Path) -> None:
    facts = said(propose(tmp_path, "Chinh and his Japanese counterpart Kishida had talks in Tokyo."))
    assert ("held_talks_with", "person:pham-minh-chinh", "person:fumio-kishida") in facts


def test_of_days_said_without_their_year_the_first_after_the_trigger_is_the_facts() -> None:
    text = "Chinh arrived home on June 9, ending visits to Japan and Norway from June 1-8."
    found = draft_date(text, DateBounds("2022-06-10", "2022-06-10"), ahead=False, at=text.index("visits"))
    assert found is not None and found.edtf == "2022-06-01/2022-06-08"


def test_praise_is_a_stance(tmp_path: Path) -> None:
    facts = said(propose(tmp_path, "Trong received Putin.", "Trong lauded the role of envoys as bridges of trust."))
    assert ("position_on", "person:nguyen-phu-trong", None) in facts
    joined = said(
        propose(tmp_path, "Kishida agreed to step up trade with Vietnam, and praised its reforms in farming.")
    )
    assert ("position_on", "person:fumio-kishida", None) in joined
    assert ("position_on", "country:vietnam", None) not in joined  # named closest before the verb


def test_a_city_where_it_happened_stands_for_no_country(tmp_path: Path) -> None:
    facts = propose(
        tmp_path,
        "Vietnam and Japan",
        "Chinh met Japan's new envoy in Hanoi on Monday, during which the latter expressed joy at the visit.",
    )
    assert "country:vietnam" not in {fact["subject"] for fact in facts if fact["predicate"] == "position_on"}


def test_the_host_and_guest_are_a_pair(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,
            "Chinh received Kishida in Hanoi.",
            "The host and guest exchanged views on ways to raise investment.",
        )
    )
    assert facts == {("agreed_with", "person:pham-minh-chinh", "person:fumio-kishida")}


def test_a_ranking_word_ranks_a_partner_not_a_leader(tmp_path: Path) -> None:
    leader = propose(
        tmp_path,
        "Vietnam's Trong received Putin.",
        "At the talks, the top leader spoke highly of the work of the Russian envoy for Vietnam-Russia ties.",
    )
    assert "ranks_as_partner_of" not in {fact["predicate"] for fact in leader}
    investor = propose(tmp_path, "Japan remains Vietnam's top foreign investor.")
    assert ("ranks_as_partner_of", "country:japan", "country:vietnam") in said(investor)


def test_each_ranking_of_a_list_is_a_fact_with_its_rank_and_field(tmp_path: Path) -> None:
    facts = propose(  # a VNA trade report of 2021
        tmp_path,
        "China remained the largest trade partner, largest export market and the second-largest importer of Vietnam.",
    )
    assert [(fact["subject"], fact["object"], fact["qualifiers"]) for fact in facts] == [
        ("country:china", "country:vietnam", {"rank": "largest", "field": "trade partner"}),
        ("country:china", "country:vietnam", {"rank": "largest", "field": "export market"}),
        ("country:china", "country:vietnam", {"rank": "second-largest", "field": "importer"}),
    ]


def test_a_place_among_countries_ranks_the_partner_it_is_in(tmp_path: Path) -> None:
    facts = propose(  # (blind trials: VietnamPlus 2022, Talk Vietnam 2021)
        tmp_path,
        "As of December 2021, Japan had 313 valid projects, ranking 25th out of 140 countries and territories "
        "pouring capital into Vietnam.",
    )
    ranked = [(fact["subject"], fact["object"], fact["qualifiers"]) for fact in facts]
    assert ranked == [
        (
            "country:japan",
            "country:vietnam",
            {"rank": "25th out of 140 countries and territories", "field": "investor"},
        )
    ]
    largest = propose(tmp_path, "Japan is the largest investor in Vietnam.")
    assert ("ranks_as_partner_of", "country:japan", "country:vietnam") in said(largest)
    unranked = propose(tmp_path, "Japan ranked the proposals of Vietnam.")  # no place among countries
    assert "ranks_as_partner_of" not in {fact["predicate"] for fact in unranked}


def test_gratitude_for_support_given_thanks_the_givers_and_pledges_nothing(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,
            "Trong received Putin.",
            "Ties keep growing, he said, voicing his gratitude for the support that Russia and Japan have given "
            "to Vietnam.",
        )
    )
    assert {
        ("thanked", "person:nguyen-phu-trong", "country:russia"),
        ("thanked", "person:nguyen-phu-trong", "country:japan"),
    } <= facts
    assert "pledged_to" not in {predicate for predicate, _, _ in facts}


def test_an_office_is_held_past_its_abbreviation_and_only_by_its_countrys_people(tmp_path: Path) -> None:
    chair = said(propose(tmp_path, "Chairman of the National Assembly (NA) Trong met Putin."))
    assert ("holds_office", "person:nguyen-phu-trong", "office:chair-of-vietnam-assembly") in chair
    foreign = said(propose(tmp_path, "President Kishida met Trong in Hanoi."))
    assert "holds_office" not in {predicate for predicate, _, _ in foreign}
    # An office joined by "and" to one named by its last word ("State President": "President").
    both = said(propose(tmp_path, "Prime Minister and State President Trong met Putin."))
    held = {obj for predicate, subject, obj in both if predicate == "holds_office" and subject.endswith("trong")}
    assert held == {"office:prime-minister-of-vietnam", "office:president-of-vietnam"}


def test_a_meeting_between_two_is_theirs(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,
            "It was agreed at the meeting between Chairman of the National Assembly (NA) Trong and Russia’s "
            "President Putin in Moscow.",
        )
    )
    assert ("met", "person:nguyen-phu-trong", "person:vladimir-putin") in facts
    talks = said(propose(tmp_path, "Talks between Chinh and Kishida in Tokyo covered trade."))
    assert ("held_talks_with", "person:pham-minh-chinh", "person:fumio-kishida") in talks


def test_his_gratitude_after_he_said_is_the_speakers(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,
            "Trong received Putin.",
            "Vietnam and Russia marked seventy years of ties.",
            "Vietnam values its friendship with Russia, he said, voicing his gratitude for the aid that Russia has "
            "given to Vietnam.",
        )
    )
    assert ("thanked", "person:nguyen-phu-trong", "country:russia") in facts
    assert ("thanked", "country:vietnam", "country:russia") not in facts


def test_who_hosted_a_reception_for_someone_met_them(tmp_path: Path) -> None:
    facts = said(
        propose(tmp_path, "Trong on Monday hosted a reception in Hanoi for outgoing Japanese envoy Masuhiro Tanaka.")
    )
    assert ("met", "person:nguyen-phu-trong", "person:masuhiro-tanaka") in facts


def test_what_is_said_was_said_whatever_it_plans_and_a_goodbye_says_nothing(tmp_path: Path) -> None:
    quoted = propose(tmp_path, '"We look forward to closer trade ties next year," Prime Minister Kishida said.')
    stated = [fact for fact in quoted if fact["predicate"] in ("stated", "position_on")]
    assert stated and all("modality" not in fact for fact in stated)
    farewell = propose(tmp_path, "Trong received Tanaka, who came to say goodbye at the end of his term.")
    assert not {"stated", "position_on"} & {fact["predicate"] for fact in farewell}


def test_a_shared_intention_is_agreed(tmp_path: Path) -> None:
    facts = propose(tmp_path, "Vietnam and Japan today announced a shared intention to raise ties to a new level.")
    agreed = [fact for fact in facts if fact["predicate"] == "agreed_with"]
    assert [(fact["subject"], fact["object"]) for fact in agreed] == [("country:vietnam", "country:japan")]
    assert agreed[0]["text"].startswith("to raise ties")


def test_a_speaker_by_title_after_the_claim_is_a_person_not_a_country_in_it(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,
            "Trong received Putin.",
            "Ties with Russia enjoy a high level of trust, the Party General Secretary said.",
        )
    )
    assert ("position_on", "person:nguyen-phu-trong", None) in facts
    assert ("position_on", "country:russia", None) not in facts


def test_a_country_before_its_persons_title_and_name_is_theirs_not_an_object(tmp_path: Path) -> None:
    facts = said(
        propose(tmp_path, "Trong received Tanaka.", "Trong sent his gratitude to Russian President Putin for a visit.")
    )
    assert ("thanked", "person:nguyen-phu-trong", "person:vladimir-putin") in facts
    assert ("thanked", "person:nguyen-phu-trong", "country:russia") not in facts


def test_what_is_according_to_a_source_is_the_rest_of_the_sentence(tmp_path: Path) -> None:
    ending = propose(tmp_path, "Japan will rank among Vietnam's closest partners, according to Kyodo News.")
    assert [fact["text"] for fact in ending if fact["predicate"] == "position_on"] == [
        "Japan will rank among Vietnam's closest partners"
    ]
    opening = propose(tmp_path, "According to Kyodo News, Japan will rank among Vietnam's closest partners.")
    assert [fact["text"] for fact in opening if fact["predicate"] == "position_on"] == [
        "Japan will rank among Vietnam's closest partners"
    ]


def test_a_clause_opening_the_sentence_names_whom_its_main_actor_met(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,
            "Chinh held talks with Kishida in Tokyo.",
            "At his meeting with Japanese Prime Minister Fumio Kishida, the Vietnamese Prime Minister "
            "proposed the two sides open new air routes.",
        )
    )
    assert {
        ("met", "person:pham-minh-chinh", "person:fumio-kishida"),
        ("requested", "person:pham-minh-chinh", "country:japan"),
    } <= facts
    assert not {fact for fact in facts if fact[1] in ("person:fumio-kishida", "country:japan")}
    assert not {fact for fact in facts if fact[0] == "agreed_with"}  # asked of them, not agreed by them


def test_a_leader_by_title_before_he_is_named_is_the_one_the_article_names_later(tmp_path: Path) -> None:
    opening = "While meeting Kishida, the Vietnamese Prime Minister proposed Japan open more air routes."
    facts = propose(tmp_path, opening, "Chinh later left for Norway.")  # (read ahead: the article names Chinh)
    assert not facts  # the last sentence proposes nothing; the first is read with the whole article known
    found = said(propose(tmp_path, opening, "Chinh later left for Norway.", at=0))
    assert {
        ("met", "person:pham-minh-chinh", "person:fumio-kishida"),
        ("requested", "person:pham-minh-chinh", "country:japan"),
    } <= found
    assert not {fact for fact in found if fact[1] == "person:fumio-kishida"}  # who met him is no subject


def test_the_nations_a_leader_proposes_to_are_those_of_the_people_named(tmp_path: Path) -> None:
    before = ("Chinh held talks with Kishida on trade between Vietnam and Japan.",)
    meeting = "Meeting his Norwegian counterpart Solberg, Chinh proposed the nations open a new air route."
    assert ("requested", "person:pham-minh-chinh", "country:norway") in said(propose(tmp_path, *before, meeting))
    agreed = said(propose(tmp_path, *before, meeting, "The two sides agreed to expand cooperation in fisheries."))
    assert agreed == {("agreed_with", "country:vietnam", "country:norway")}
    other = said(propose(tmp_path, *before, meeting, "Solberg agreed that the two sides would soon sign a deal."))
    assert other == {("agreed_with", "person:pham-minh-chinh", "person:erna-solberg")}  # (Vietnam's side first)


def test_whose_a_pledge_is_and_where_is_no_recipient(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,
            "Chinh pledged Vietnam's willingness to cooperate with Japan.",
        )
    )
    assert facts == {("pledged_to", "person:pham-minh-chinh", "country:japan")}
    where = said(propose(tmp_path, "Chinh vowed support for Japanese firms to do business in Vietnam."))
    assert not {fact for fact in where if fact[2] == "country:vietnam"}


def test_a_bare_title_gives_no_office_to_a_person_of_unknown_country(tmp_path: Path) -> None:
    li = ({"id": "person:li-keqiang", "name": "Li Keqiang"},)
    found = said(propose(tmp_path, "Chinh later met Prime Minister Li Keqiang.", extra=li))
    assert ("met", "person:pham-minh-chinh", "person:li-keqiang") in found
    assert not {fact for fact in found if fact[0] == "holds_office"}
    dung = said(propose(tmp_path, "Chinh later met Vietnamese Prime Minister Nguyen Tan Dung.", extra=li))
    assert ("holds_office", "person:nguyen-tan-dung", "office:prime-minister-of-vietnam") in dung


def test_whose_partner_a_ranking_names_is_its_object(tmp_path: Path) -> None:
    facts = said(propose(tmp_path, "Japan is already Vietnam's largest aid donor, after China."))
    assert ("ranks_as_partner_of", "country:japan", "country:vietnam") in facts
    assert not {fact for fact in facts if fact[1] == "country:vietnam"}


def test_who_received_it_from_whom_is_the_other_way_round(tmp_path: Path) -> None:
    facts = said(propose(tmp_path, "Vietnam has taken delivery of the first of six patrol vessels from Japan."))
    assert facts == {("delivered_to", "country:japan", "country:vietnam")}
    assert not propose(tmp_path, "Vietnam received six patrol vessels last year.")  # from whom, it does not say


def test_whom_a_leader_seeks_help_from_or_offers_aid_to(tmp_path: Path) -> None:
    sought = "Trong is expected to seek more help from the Japanese Prime Minister, Shinzo Abe, for maritime patrols."
    assert ("requested", "person:nguyen-phu-trong", "person:shinzo-abe") in said(propose(tmp_path, sought))
    offer = "Abe is also expected to offer further economic aid to Vietnam."
    assert ("pledged_to", "person:shinzo-abe", "country:vietnam") in said(propose(tmp_path, offer))


def test_trade_of_the_two_is_read_and_one_way_figures_are_not(tmp_path: Path) -> None:
    before = ("Chinh held talks with Kishida on trade between Vietnam and Japan.",)
    two_way = said(propose(tmp_path, *before, "In the first four months, two-way trade reached 50.2 billion USD."))
    assert two_way == {("trade_with", "country:vietnam", "country:japan")}
    grown = propose(tmp_path, *before, "Trade between Vietnam and Japan hit 40 billion USD, up 13.8 percent.")
    assert {(fact["predicate"], fact["quantity"]["unit"]) for fact in grown} == {
        ("trade_with", "USD"),
        ("trade_growth_with", "percent"),
    }
    assert not propose(tmp_path, *before, "Vietnam's export to Japan was 20 billion USD, up 17.9 percent.")
    # A number in a name, or counted things, are no trade figure.
    assert not propose(tmp_path, "Despite COVID-19, trade between Vietnam and the two economies of Japan grew.")


def test_he_is_whoever_a_recent_sentence_was_about(tmp_path: Path) -> None:
    article = (
        "Chinh met Kishida.",
        "Chinh said Vietnam values Japan's support.",
        "Kishida, for his part, affirmed that Japan treasures the friendship.",
    )
    assert ("position_on", "person:fumio-kishida", None) in said(propose(tmp_path, *article))
    wished = said(propose(tmp_path, *article, "He also wished both countries would settle differences."))
    assert ("position_on", "person:fumio-kishida", None) in wished
    assert ("position_on", "person:pham-minh-chinh", None) not in wished


def test_a_courtesy_call_is_a_meeting_and_a_guest_welcomed_somewhere_visited_it(tmp_path: Path) -> None:
    assert said(propose(tmp_path, "Chinh paid a courtesy call to Kishida in Tokyo.")) == {
        ("met", "person:pham-minh-chinh", "person:fumio-kishida")
    }
    # a visit, and no stance of his
    assert said(propose(tmp_path, "Japanese Prime Minister Kishida welcomed in Hanoi")) == {
        ("visited", "person:fumio-kishida", "place:hanoi")
    }


def test_two_named_with_titles_and_joined_by_and_agreed_with_each_other(tmp_path: Path) -> None:
    facts = said(propose(tmp_path, "Chinh and Japanese Ambassador to Vietnam Shinzo Abe agreed to facilitate trade."))
    assert facts == {("agreed_with", "person:pham-minh-chinh", "person:shinzo-abe")}


def test_what_was_said_is_dated_when_said_not_when_it_looks_to(tmp_path: Path) -> None:
    facts = propose(tmp_path, 'Chinh said: "I look forward to visiting Japan next year."')
    stated = next(fact for fact in facts if fact["predicate"] == "stated")
    assert stated["date"] == PUBLISHED.start[:4] and "modality" not in stated


def test_a_willingness_expressed_before_the_speaker_is_the_speakers_pledge_to_the_body_named(
    tmp_path: Path,
) -> None:
    moit = {"id": "organization:moit", "name": "Ministry of Industry and Trade", "country": "country:vietnam"}
    text = (
        "Expressing willingness to work closely with the Vietnamese Ministry of Industry and Trade, "
        "the Japanese ambassador said both sides should stabilise supply chains."
    )
    found = said(propose(tmp_path, "Chinh received Kishida.", text, extra=(moit,)))
    assert ("pledged_to", "person:fumio-kishida", "organization:moit") in found  # not Vietnam, its adjective
    assert ("position_on", "person:fumio-kishida", None) in found  # "the Japanese ambassador"


def test_one_who_received_a_letter_met_no_one_and_stated_that_is_a_stance(tmp_path: Path) -> None:
    assert not propose(tmp_path, "Kishida received a letter from Chinh.")
    assert said(propose(tmp_path, "Chinh received Kishida in Hanoi.")) == {
        ("met", "person:pham-minh-chinh", "person:fumio-kishida")
    }
    assert ("position_on", "person:fumio-kishida", None) in said(
        propose(tmp_path, "Kishida stated that the partnership plays an important role.")
    )


def test_a_person_of_one_country_at_a_place_of_another_visited_it(tmp_path: Path) -> None:
    sentences = ("Vietnam and Japan",)
    met = propose(tmp_path, *sentences, "Chinh met Kishida in Hanoi on Monday.")
    visits = [(fact["subject"], fact["object"], fact.get("place")) for fact in met if fact["predicate"] == "visited"]
    assert visits == [("person:fumio-kishida", "country:vietnam", "place:hanoi")]  # not Chinh, at home
    # Not one who is only named ("a letter from Kishida"), nor an ambassador at the post.
    letter = propose(tmp_path, *sentences, "In Hanoi, Chinh received a letter from Kishida.")
    envoy = propose(tmp_path, *sentences, "Chinh met Japanese Ambassador Masuhiro Tanaka in Hanoi.")
    assert not [fact for fact in (*letter, *envoy) if fact["predicate"] == "visited"]


def test_a_dateline_is_where_the_news_was_filed_not_who_acts(tmp_path: Path) -> None:
    sentences = ("Vietnam and Japan",)
    event = {"id": "event:sixth-exchange", "name": "sixth border friendship exchange"}
    facts = said(
        propose(
            tmp_path, *sentences, "Hanoi (VNA) – Chinh hosted the sixth border friendship exchange.", extra=(event,)
        )
    )
    assert ("participates_in", "person:pham-minh-chinh", "event:sixth-exchange") in facts
    assert ("participates_in", "country:vietnam", "event:sixth-exchange") not in facts


def test_a_sentence_naming_no_one_after_a_remark_goes_on_with_it(project: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(
        "Kishida on trade\nFumio Kishida said Japan values its economic ties with Vietnam.\n"
        "Once in effect, the agreement will stimulate trade and investment flows considerably.\n"
        "Exports of rice and machinery should double within the next five years.\n"
        "Pham Minh Chinh attended a banquet in the evening.\nThe banquet featured traditional music and dances.\n",
        encoding="utf-8",
    )
    made = run_build(
        "new", article, "--title", "Kishida on trade", "--date", "2023-03-06", "--id", "k", "--root", project
    )
    assert made.returncode == 0, made.stderr
    assert run_build("draft", "k", "--root", project).returncode == 0
    drafted = facts_of(project / "facts" / "k.json")
    quotes = [fact["citations"][0]["quote"] for fact in drafted if fact["subject"] == "person:fumio-kishida"]
    assert "Fumio Kishida said Japan values its economic ties with Vietnam. Once in effect, the agreement" in " ".join(
        quotes
    )
    # A remark goes on into one sentence, and what follows one with no remark in it, with nothing.
    for after in ("Exports of rice", "The banquet featured"):
        assert not [fact for fact in drafted if after in fact["citations"][0]["quote"]]
    for fact in drafted:
        del fact["draft"]
    write_json(project / "facts" / "k.json", {"$schema": "../schema/facts.schema.json", "facts": drafted})
    checked = run_build("check", "--root", project)
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize(
    ("words", "listed"),
    [
        (  # a VNA trade report of 2021
            "to open the market for Vietnam's farm produce, exempt Vietnam's farm produce, aquatic products and "
            "frozen food from SARS-CoV-2 testing, reopen border gates and markets, and support business activities",
            [
                "to open the market for Vietnam's farm produce",
                "to exempt Vietnam's farm produce, aquatic products and frozen food from SARS-CoV-2 testing",
                "to reopen border gates and markets",
                "to support business activities",
            ],
        ),
        (
            "to strengthen defence ties and enhance exchanges between the armies",
            ["to strengthen defence ties", "to enhance exchanges between the armies"],
        ),
        ("to work with and support Vietnam in socio-economic development", None),
        ("to boost trade and investment ties with Japan", None),
        ("the outstanding progress, and boost ties with Japan", None),  # no action opens it
    ],
)
def test_a_list_of_actions_is_one_fact_each(words: str, listed: list[str] | None) -> None:
    assert actions(words) == (listed or [words])


def test_who_stands_for_the_one_named_before_it_and_a_guest_invited_visits(tmp_path: Path) -> None:
    # Xinhua, May 2017 (the event and names as the registry would hold them)
    forum = {"id": "event:belt-and-road-forum", "name": "Belt and Road Forum"}
    xi = {"id": "person:xi-jinping", "name": "Xi Jinping", "aliases": [{"name": "Xi", "kind": "short_name"}]}
    xi["country"] = "country:china"
    talks = said(
        propose(
            tmp_path,
            "Xi Jinping held talks with Vietnamese President Tran Dai Quang, who is on a state visit to China and "
            "will attend the upcoming Belt and Road Forum.",
            extra=(forum, xi),
        )
    )
    assert ("participates_in", "person:tran-dai-quang", "event:belt-and-road-forum") in talks
    assert ("participates_in", "country:china", "event:belt-and-road-forum") not in talks
    invited = said(
        propose(
            tmp_path,
            "Xi invited Nguyen Phu Trong, general secretary of the Party, to visit China in January.",
            extra=(xi,),
        )
    )
    assert ("visited", "person:nguyen-phu-trong", "country:china") in invited
    assert not [fact for fact in invited if fact[:2] == ("visited", "person:xi-jinping")]


def test_a_speaker_named_by_title_after_a_quotation_is_the_person(tmp_path: Path) -> None:
    facts = said(  # Sputnik, February 2020: "defense", as American English spells it
        propose(
            tmp_path,
            "Chinh met Kishida in Tokyo.",
            '"This underlines your credibility and your role," the Vietnamese defense minister said.',
        )
    )
    assert ("stated", "person:pham-minh-chinh", None) in facts
    assert ("stated", "country:vietnam", None) not in facts


def test_relations_between_the_two_countries_began_their_anniversary_ago(tmp_path: Path) -> None:
    facts = propose(
        tmp_path,
        "A Vietnam-Japan business event was held in Hanoi.",
        "Chinh appreciated the visit, which took place ahead of the 50th anniversary of the establishment of "
        "diplomatic relations between the two countries later this year.",  # (blind trial, VietnamPlus 2022)
    )
    relations = [fact for fact in facts if fact["predicate"] == "diplomatic_relations_with"]
    assert [(fact["subject"], fact["object"], fact["date"]) for fact in relations] == [
        ("country:vietnam", "country:japan", "1972")  # 2022, the article's year, less 50
    ]
    assert "50th anniversary" in relations[0]["date_reasoning"]
    unnumbered = propose(tmp_path, "Diplomatic relations between Vietnam and Japan have a long anniversary list.")
    assert [fact["date"] for fact in unnumbered if fact["predicate"] == "diplomatic_relations_with"] == ["2022"]


def test_a_group_once_accepted_holds_a_stance(tmp_path: Path) -> None:
    investors = {
        "id": "group:japanese-investors",
        "name": "Japanese investors (unnamed)",
        "aliases": [{"name": "Japanese investors", "kind": "short_name"}],
        "country": "country:japan",
    }
    facts = propose(
        tmp_path,
        "Japanese investors are really interested in expanding their investment in Vietnam.",  # (blind trial 6)
        extra=(investors,),
    )
    assert ("position_on", "group:japanese-investors", None) in said(facts)


def test_a_quotation_closed_after_the_speaker_is_stated_however_it_opened(tmp_path: Path) -> None:
    opened = propose(tmp_path, '"We are always open to a substantive conversation about cooperation," Putin added.')
    said_earlier = propose(  # (blind trial 5: Sputnik 2020) the quotation opened a sentence before
        tmp_path,
        '"We have strong ties with Vietnam.',
        'We have accumulated a unique experience of working together," Putin was quoted as saying in the statement.',
    )
    statements = [(fact["subject"], fact["text"]) for fact in [*opened, *said_earlier] if fact["predicate"] == "stated"]
    assert statements == [
        ("person:vladimir-putin", "We are always open to a substantive conversation about cooperation"),
        ("person:vladimir-putin", "We have accumulated a unique experience of working together"),
    ]
    paraphrase = propose(tmp_path, "Putin went on by saying that Russia and Vietnam are holding a cross-year.")
    assert [(fact["predicate"], fact["text"]) for fact in paraphrase if fact["subject"].startswith("person:")] == [
        ("position_on", "Russia and Vietnam are holding a cross-year")
    ]


def test_where_the_news_was_filed_is_no_party_to_it(tmp_path: Path) -> None:
    cuba = {"id": "country:cuba", "name": "Cuba", "aliases": [{"name": "Cuban", "kind": "demonym"}]}
    facts = propose(  # (blind trial 4: Cuban News Agency, 2020)
        tmp_path,
        "HAVANA, Cuba, July 2 (ACN) Vietnam gave 5,000 tons of rice promised to Cuba.",
        extra=(cuba,),
    )
    assert {
        ("delivered_to", "country:vietnam", "country:cuba"),
        ("pledged_to", "country:vietnam", "country:cuba"),
    } <= said(facts)
    assert all(fact["subject"] != "country:cuba" for fact in facts)
    filed = propose(tmp_path, "BEIJING, May 11 (Xinhua) -- Japan and Vietnam held talks.")
    assert all("country:china" not in (fact["subject"], fact.get("object")) for fact in filed)


@pytest.mark.parametrize(
    "sentence",
    [  # (blind trial 7: Quan Doi Nhan Dan 2018, VOV 2014, VietnamPlus 2019)
        "Kishida, for his part, believed that with close collaboration the forum will be a success.",
        "Kishida considers Vietnam as a prioritised investment destination with favourable conditions.",
        "Kishida also reported that Japan has established defence ties with more than 80 countries.",
    ],
)
def test_a_belief_a_consideration_and_a_report_are_stances(tmp_path: Path, sentence: str) -> None:
    assert ("position_on", "person:fumio-kishida", None) in said(propose(tmp_path, sentence))


def _accept_proposals(project: Path, source_id: str) -> list[dict]:
    """The contributor's entity review, done blindly: every proposed entity moved into the registry."""
    path = project / "facts" / "entities" / f"draft-{source_id}.json"
    proposed = json.loads(path.read_text(encoding="utf-8"))["entities"]
    path.unlink()
    registry = project / "facts" / "entities" / "entities.json"
    document = json.loads(registry.read_text(encoding="utf-8"))
    document["entities"] += [{key: value for key, value in entity.items() if key != "draft"} for entity in proposed]
    write_json(registry, document)
    return proposed


def test_a_pairs_partnership_and_relations_are_proposed_then_their_anniversaries_drafted(
    project: Path, tmp_path: Path
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(  # (the last sentence: The World & Vietnam Report, November 2021)
        "Chinh meets Kishida\n"
        "Pham Minh Chinh met Fumio Kishida to intensify Vietnam's strategic partnership with Japan.\n"
        "He pledged to do his utmost to nurture the time-honoured relations between the two nations, contributing "
        "to boosting the bilateral friendship towards the celebration of the 50th anniversary of the establishment "
        "of diplomatic ties, and the 10th anniversary of the establishment of bilateral strategic partnership in "
        "2023.\n",
        encoding="utf-8",
    )
    made = run_build(
        "new", article, "--title", "Chinh meets Kishida", "--date", "2021-11-02", "--id", "c", "--root", project
    )
    assert made.returncode == 0, made.stderr
    assert run_build("draft", "c", "--root", project).returncode == 0
    proposed = {entity["id"]: entity for entity in _accept_proposals(project, "c")}
    # Named for the pair, the words as written naming it in this article only.
    partnership = proposed["agreement:vietnam-japan-strategic-partnership"]
    assert partnership["name"] == "Vietnam-Japan strategic partnership"
    assert {"name": "strategic partnership", "kind": "short_name", "source": "c"} in partnership["aliases"]
    relations = proposed["event:vietnam-japan-diplomatic-relations"]
    assert {"name": "diplomatic ties", "kind": "short_name", "source": "c"} in relations["aliases"]
    (project / "facts" / "c.json").unlink()
    run_build("new", article, "--title", "Chinh meets Kishida", "--date", "2021-11-02", "--id", "c", "--root", project)
    assert run_build("draft", "c", "--root", project).returncode == 0
    drafted = facts_of(project / "facts" / "c.json")
    anniversaries = {
        (fact["subject"], fact["quantity"]["amount"], fact["quantity"]["unit"], fact["date"])
        for fact in drafted
        if fact["predicate"] == "anniversary"
    }  # each of the sentence's, with the years of its own ordinal
    assert anniversaries == {
        ("event:vietnam-japan-diplomatic-relations", 50, "years", "2023"),
        ("agreement:vietnam-japan-strategic-partnership", 10, "years", "2023"),
    }
    assert ("partnership_with", "country:vietnam", "agreement:vietnam-japan-strategic-partnership") in said(drafted)
    # A pledge to no one is a commitment; the pair after "between" is no party to the boosting.
    assert ("committed_to", "person:pham-minh-chinh", None) in said(drafted)
    assert not [fact for fact in drafted if fact["predicate"] == "agreed_with"]
    for fact in drafted:
        del fact["draft"]
    write_json(project / "facts" / "c.json", {"$schema": "../schema/facts.schema.json", "facts": drafted})
    checked = run_build("check", "--root", project)
    assert checked.returncode == 0, checked.stdout


def test_whom_one_welcomes_they_met_and_a_visit_by_someone_is_theirs(tmp_path: Path) -> None:
    macron = {"id": "person:emmanuel-macron", "name": "Emmanuel Macron", "country": "country:france"}
    france = {"id": "country:france", "name": "France", "aliases": [{"name": "French", "kind": "demonym"}]}
    extra = (macron, france)
    facts = said(
        propose(
            tmp_path,
            "Welcoming Vietnamese Ambassador Pham Minh Chinh who came to present his letter of credentials, Emmanuel "
            "Macron spoke highly of achievements in bilateral cooperation.",  # (The World & Vietnam Report, 2021)
            extra=extra,
        )
    )
    assert ("met", "person:pham-minh-chinh", "person:emmanuel-macron") in facts
    facts = said(
        propose(
            tmp_path,
            "He expressed his delight at the official visit to France from November 3-5 by Prime Minister Pham Minh "
            "Chinh, during which he will have a meeting with Chinh.",
            extra=extra,
        )
    )
    assert ("visited", "person:pham-minh-chinh", "country:france") in facts


def test_what_was_signed_is_named_after_the_word_and_a_partnership_by_its_own_words(tmp_path: Path) -> None:
    partnership = {
        "id": "agreement:vietnam-japan-comprehensive-strategic-partnership",
        "name": "Vietnam-Japan comprehensive strategic partnership",
        "aliases": [{"name": "Comprehensive Strategic Partnership", "kind": "short_name", "source": "test"}],
    }
    text = (  # (The Straits Times, February 2025, of New Zealand)
        "Japan and Vietnam signed a Comprehensive Strategic Partnership agreement late on Feb 26, pledging to boost "
        "engagement in areas including defence and education, said the two countries in a statement."
    )
    registry = Registry(Layout(tmp_path))
    registry.entities = {**ENTITIES, partnership["id"]: Entity.model_validate(partnership)}
    read = [sentence_of(registry, text, source="test")]
    facts = said(list(proposals(read[0], read_ahead(read, registry), registry, "test", PUBLISHED)))
    assert ("signed", partnership["id"], None) in facts
    assert ("partnership_with", "country:japan", partnership["id"]) in facts


def test_a_belief_shown_is_a_stance(tmp_path: Path) -> None:
    facts = said(
        propose(
            tmp_path,
            "Pham Minh Chinh showed his belief that the visit will continue creating a framework and long-term "
            "vision for the Viet Nam-Japan relationship.",  # (The World & Vietnam Report, 2021, of France)
        )
    )
    assert ("position_on", "person:pham-minh-chinh", None) in facts


def test_a_fact_turned_round_keeps_the_types_its_predicate_takes(tmp_path: Path) -> None:
    extra = (
        {"id": "country:singapore", "name": "Singapore"},
        {"id": "organization:eu", "name": "European Union", "aliases": [{"name": "EU", "kind": "abbreviation"}]},
    )
    facts = propose(
        tmp_path,
        "The two sides also underlined the necessity to take advantage of the fact that Vietnam and Singapore are "
        "the only two regional countries joining comprehensive agreements with the European Union (EU) and the UK, "
        "to support each other in making inroads into these markets.",  # (VNA, 2022)
        extra=extra,
    )
    kinds = {
        **{key: entity.type for key, entity in ENTITIES.items()},
        **{e["id"]: e["id"].split(":")[0] for e in extra},
    }
    assert facts
    for fact in facts:
        predicate = PREDICATES[fact["predicate"]]
        assert kinds[fact["subject"]] in predicate.subject_types
        assert "object" not in fact or kinds[fact["object"]] in predicate.object_types


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (  # (VOVworld, 2012)
            ("At his reception for Japanese Ambassador Masuhiro Tanaka, PM Chinh asked the two sides to do more.",),
            ("met", "person:pham-minh-chinh", "person:masuhiro-tanaka"),
        ),
        (  # (VNA, 2019): "he" is a person, not the group the sentence before names first
            (
                "Pham Minh Chinh spoke at a feast in Tokyo.",
                "The official called on Japanese officials to step up their investment.",
                "He also appealed to Japanese officials to push ahead with the signing of the agreement.",
            ),
            ("requested", "person:pham-minh-chinh", "group:japanese-officials"),
        ),
        (  # (VOV, 2014): delegations exchanged are no delegation that acts
            (
                "Vietnam and Japan will continue promoting bilateral cooperation in trade.",
                "The two sides will continue the exchange of delegations in various forms.",
                "In economic cooperation, they will review Japanese-invested projects in Vietnam to solve problems.",
            ),
            ("agreed_with", "country:vietnam", "country:japan"),
        ),
        (  # (VOV World, 2019)
            (
                "Pham Minh Chinh met Fumio Kishida in Tokyo on Vietnam and Japan ties.",
                "During the meeting, the two sides celebrated stronger and more practical cooperation in defence.",
            ),
            ("agreed_with", "country:vietnam", "country:japan"),
        ),
    ],
)
def test_round_eleven_forms(tmp_path: Path, sentences: tuple[str, ...], expected: tuple[str, str, str]) -> None:
    japanese_officials = {"id": "group:japanese-officials", "name": "Japanese officials", "country": "country:japan"}
    assert expected in said(propose(tmp_path, *sentences, extra=(japanese_officials,)))


def test_an_appeal_is_addressed_and_a_claim_said_at_an_event_comes_before_the_speaker(tmp_path: Path) -> None:
    japanese_officials = {"id": "group:japanese-officials", "name": "Japanese officials", "country": "country:japan"}
    (appeal,) = [
        fact
        for fact in propose(
            tmp_path,
            "Chinh also appealed to Japanese officials to push ahead with the signing of the agreement.",
            extra=(japanese_officials,),
        )
        if fact["predicate"] == "requested"
    ]
    assert appeal["text"].startswith("Japanese officials to push ahead")
    facts = propose(
        tmp_path,
        "Berlin (VNA) – The strategic partnership between Vietnam and Japan has entered a new stage of development, "
        "Vietnamese Prime Minister Pham Minh Chinh said at a recent event in Japan.",  # (VNA, 2019)
    )
    (stance,) = [fact for fact in facts if fact["predicate"] == "position_on" and fact["subject"].startswith("person")]
    assert (
        stance["text"] == "The strategic partnership between Vietnam and Japan has entered a new stage of development"
    )


def test_a_partnership_between_two_is_the_first_ones_vietnam_first(tmp_path: Path) -> None:
    partnership = {
        "id": "agreement:vietnam-japan-strategic-partnership",
        "name": "Vietnam-Japan strategic partnership",
        "aliases": [{"name": "strategic partnership", "kind": "short_name", "source": "test"}],
    }
    registry = Registry(Layout(tmp_path))
    registry.entities = {**ENTITIES, partnership["id"]: Entity.model_validate(partnership)}
    text = "The strategic partnership between Japan and Vietnam has entered a new stage of development."
    read = [sentence_of(registry, text, source="test")]
    facts = said(list(proposals(read[0], read_ahead(read, registry), registry, "test", PUBLISHED)))
    assert ("partnership_with", "country:vietnam", partnership["id"]) in facts


def test_an_anniversary_is_of_what_follows_of_not_of_a_framework_named_before(tmp_path: Path) -> None:
    extra = (
        {
            "id": "agreement:vietnam-japan-strategic-partnership",
            "name": "Vietnam-Japan strategic partnership",
            "aliases": [{"name": "strategic partnership", "kind": "short_name"}],
        },
        {
            "id": "event:vietnam-japan-diplomatic-relations",
            "name": "Establishment of Vietnam-Japan diplomatic relations",
            "aliases": [{"name": "diplomatic ties", "kind": "short_name"}],
        },
    )
    facts = propose(
        tmp_path,
        "The Vietnam-Japan traditional friendship and strategic partnership have been thriving ahead of the "
        "upcoming 50th anniversary of diplomatic ties (1973-2023).",  # (Viet Nam News, 2022, of Malaysia)
        extra=extra,
    )
    assert [fact["subject"] for fact in facts if fact["predicate"] == "anniversary"] == [
        "event:vietnam-japan-diplomatic-relations"
    ]
