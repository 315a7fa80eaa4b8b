"""Names the registry lacks, proposed as draft entities (factdb/drafting/names.py).

Made-up sentences in the style of the news the project reads, with a small registry built
here, so that the tests hold whatever the project's own data becomes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from conftest import PROJECT, run_build
from factdb.drafting.names import new_names
from factdb.drafting.reading import sentence_of
from factdb.loading import Layout
from factdb.validation import Registry
from schema.models import Entity


def _entity(entity_id: str, name: str, *aliases: tuple[str, str], **more: str) -> Entity:
    listed = [{"name": alias, "kind": kind} for alias, kind in aliases]
    return Entity.model_validate({"id": entity_id, "name": name, "aliases": listed, **more})


ENTITIES = [
    _entity("country:vietnam", "Vietnam", ("Viet Nam", "other_spelling"), ("Vietnamese", "demonym")),
    _entity("country:russia", "Russia", ("Russian", "demonym")),
    _entity("country:japan", "Japan", ("Japanese", "demonym")),
    _entity("place:hanoi", "Hanoi", country="country:vietnam"),
    _entity("organization:united-nations", "United Nations", ("UN", "abbreviation")),
    _entity("agreement:unclos", "United Nations Convention on the Law of the Sea"),
    _entity("office:president-of-russia", "President of Russia", ("President", "short_name")),
    _entity("person:pham-minh-chinh", "Pham Minh Chinh", country="country:vietnam"),
]


def proposed(tmp_path: Path, *sentences: str) -> dict[str, dict[str, Any]]:
    """The entities an article of these sentences proposes, by id, as `draft` collects them."""
    registry = Registry(Layout(tmp_path))
    registry.entities = {entity.id: entity for entity in ENTITIES}
    found: dict[str, dict[str, Any]] = {}
    for text in sentences:
        for entity in new_names(sentence_of(registry, text), registry, found):
            found.setdefault(entity["id"], entity)
    for entity in found.values():
        Entity.model_validate(entity)  # an entry a reviewer can move to the registry as it is
    return found


def names(found: dict[str, dict[str, Any]]) -> set[str]:
    return {entity["name"] for entity in found.values()}


def test_a_country_the_registry_lacks_is_proposed_with_its_usual_and_official_names(tmp_path: Path) -> None:
    found = proposed(tmp_path, "The minister later flew to Iceland for talks.")
    iceland = found["country:iceland"]
    assert iceland["name"] == "Iceland"
    assert {"name": "Republic of Iceland", "kind": "other_spelling"} in iceland["aliases"]
    assert "wikidata" not in iceland and "ISO 3166" in iceland["draft"]
    assert "country:viet-nam" not in proposed(tmp_path, "Viet Nam and Japan signed a plan.")  # known
    # ISO 3166 writes it "Korea, Republic of"; the id is that of its usual name, the one written an alias
    korea = proposed(tmp_path, "The Republic of Korea sent a delegation.")["country:south-korea"]
    assert korea["name"] == "South Korea" and korea["aliases"] == [
        {"name": "Republic of Korea", "kind": "other_spelling"}
    ]


def test_a_list_of_names_is_cut_at_and_and_commas_but_not_inside_a_country_name(tmp_path: Path) -> None:
    found = proposed(
        tmp_path, "Envoys of Chile, Bosnia and Herzegovina, Peru and Finland presented their letters in Hanoi."
    )
    assert names(found) == {"Chile", "Bosnia and Herzegovina", "Peru", "Finland"}
    assert {entity_id.partition(":")[0] for entity_id in found} == {"country"}


def test_an_agreements_name_is_kept_whole_over_and(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "Both joined the Treaty of Friendship and Navigation; the Broad and Fair Agreement on Fisheries took effect.",
        "Peru and Chile Partnership Agreement",  # a country on either side of "and" is a name of its own
    )
    assert names(found) >= {"Treaty of Friendship and Navigation", "Broad and Fair Agreement on Fisheries", "Peru"}
    assert "Peru and Chile Partnership Agreement" not in names(found)


def test_a_name_never_starts_or_ends_with_a_connecting_word(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "Vietnamese and Russian firms met members of the Nordic Trade Council in Hanoi.",
        "Many Southeast Asian nations took part.",  # an adjective before a noun in lower case
    )
    assert names(found) == {"Nordic Trade Council", "Russian firms (unnamed)"}  # (and a group of people)
    assert all(not entity["name"].split()[0].islower() for entity in found.values())


def test_a_title_of_a_place_gives_the_place_and_the_person(tmp_path: Path) -> None:
    found = proposed(tmp_path, "Governor of Lotus Province Anna Berg and Minister of Foreign Affairs Olaf Lind met.")
    assert {(entity_id, entity["name"]) for entity_id, entity in found.items()} == {
        ("place:lotus-province", "Lotus Province"),
        ("person:anna-berg", "Anna Berg"),
        ("person:olaf-lind", "Olaf Lind"),
    }


def test_a_title_alone_is_not_a_name(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "Party General Secretary, President Pham Minh Chinh received the Deputy PM and the Senior Envoy.",
        "The PM and the Crown Prince later held talks.",
    )
    assert found == {}


def test_a_title_of_an_organisation_gives_the_organisation_and_the_person(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "He also met Speaker of the National Diet Hanako Sato and Chairman of the Senate Pedro Alves.",
    )
    assert {(entity_id, entity["name"]) for entity_id, entity in found.items()} == {
        ("organization:national-diet", "National Diet"),
        ("person:hanako-sato", "Hanako Sato"),
        ("organization:senate", "Senate"),
        ("person:pedro-alves", "Pedro Alves"),
    }


def test_a_last_name_alone_is_an_alias_of_the_person_proposed_in_full(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "PM Chinh welcomes Chancellor Weber",  # a headline: the short name before the full one
        "Prime Minister Pham Minh Chinh met Chancellor Klaus Weber in Hanoi on Monday.",
        "FM Tanaka and Foreign Minister Akira Tanaka signed a plan; FM Tanaka praised it.",
        "Russian President Boris Lebedev arrived; President Lebedev said the talks went well.",
    )
    # (Chinh: the registry's already)
    assert set(found) == {"person:klaus-weber", "person:akira-tanaka", "person:boris-lebedev"}
    assert found["person:klaus-weber"]["aliases"] == [{"name": "Chancellor Weber", "kind": "title_and_name"}]
    assert found["person:boris-lebedev"]["aliases"] == [{"name": "Lebedev", "kind": "short_name"}]  # the office
    assert found["person:akira-tanaka"]["aliases"] == [{"name": "FM Tanaka", "kind": "title_and_name"}]


def test_types_from_words_of_the_name(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "Delegates at the Vietnam – Japan Investment Summit discussed the Charter on the Rights of Rivers.",
        "They visited Saint Marcus, Lotus Bay and the Green Valley Province.",
        "The Red River Rail Project recalls the Salt War.",
        "Leaders attended the second Belt and Road Forum for International Cooperation in Hanoi.",
    )
    assert {(entity_id.partition(":")[0], entity["name"]) for entity_id, entity in found.items()} == {
        ("event", "Vietnam – Japan Investment Summit"),  # whole, the registry's names in it and all
        ("agreement", "Charter on the Rights of Rivers"),
        ("place", "Saint Marcus"),
        ("place", "Lotus Bay"),
        ("place", "Green Valley Province"),
        ("programme", "Red River Rail Project"),
        ("event", "Salt War"),
        ("event", "Belt and Road Forum for International Cooperation"),  # an event's, "and" and "for" in it
    }
    assert all("a word of its name" in entity["draft"] for entity in found.values())


def test_an_agreement_the_registry_names_with_a_full_word_is_known(tmp_path: Path) -> None:
    # The registry's name spells out what the sentence abbreviates (UN: United Nations).
    assert proposed(tmp_path, "Disputes should be settled under the UN Convention on the Law of the Sea.") == {}


def test_the_country_named_before_a_title_is_the_persons(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "Russian Deputy PM Ivan Orlov and Japanese counterpart Kenji Mori opened the talks.",
        "Russian President Boris Lebedev sent a message.",
    )
    assert found["person:ivan-orlov"]["country"] == "country:russia"
    assert found["person:kenji-mori"]["country"] == "country:japan"
    assert found["person:boris-lebedev"]["country"] == "country:russia"  # through the registry's office
    assert "its country (country:russia) from the country named before the title" in found["person:ivan-orlov"]["draft"]
    # The country after the title is where the person serves, not theirs.
    assert "country" not in proposed(tmp_path, "Ambassador to Japan Lena Holm arrived.")["person:lena-holm"]


def test_a_possessive_gives_the_country_and_opens_no_name(tmp_path: Path) -> None:
    found = proposed(
        tmp_path, "The bill went before Japan’s House Council, the Chilean Consulate and the Lotus Partnership."
    )
    assert found["organization:house-council"]["country"] == "country:japan"  # not "’s House Council"
    assert "from the country named before the name" in found["organization:house-council"]["draft"]
    assert found["organization:chilean-consulate"]["name"] == "Chilean Consulate"  # an organisation's word
    assert found["agreement:lotus-partnership"]["name"] == "Lotus Partnership"  # as the registry names partnerships


def test_an_organisations_word_after_a_demonym_is_named_with_it(tmp_path: Path) -> None:
    found = proposed(tmp_path, "The Russian Embassy in Hanoi thanked the Japanese Navy.", "The Embassy said so.")
    assert {entity_id: entity.get("country") for entity_id, entity in found.items()} == {
        "organization:russian-embassy": "country:russia",
        "organization:japanese-navy": "country:japan",
    }


def test_a_bracketed_abbreviation_keeps_the_title_with_the_name(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "Talks were held by Chairman of Japan's State Council (SC) Taro Ueda and Chile’s Foreign Minister Ana Rojas.",
    )
    council = found["organization:state-council"]
    assert council["country"] == "country:japan"
    assert {"name": "SC", "kind": "abbreviation"} in council["aliases"]
    assert found["person:taro-ueda"]["country"] == "country:japan"  # the country of what the title heads
    # Chile is proposed in the same sentence, named with a possessive before the title.
    assert found["country:chile"]["name"] == "Chile"
    assert found["person:ana-rojas"]["country"] == "country:chile"
    assert len(found) == 4


def test_a_dateline_in_capitals_and_a_known_name_spelt_apart_are_not_proposed(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "HÀ NỘI – Prime Minister Pham Minh Chinh hosted a reception in Hà Nội on Tuesday.",
        "HANOI (Reuters) - The talks ended.",
    )
    assert found == {}


def test_the_draft_command_folds_a_last_name_into_the_person_it_proposed(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(PROJECT / "tests" / "fixtures" / "grounding", root)
    article = tmp_path / "article.txt"
    article.write_text(
        "Chancellor Weber arrives in Hanoi\nChancellor Klaus Weber met Prime Minister Pham Minh Chinh in Hanoi "
        "on Monday.\nThe two leaders agreed to expand trade.\n",
        encoding="utf-8",
    )
    made = run_build(
        "new", article, "--title", "Weber in Hanoi", "--date", "2023-03-06", "--id", "weber", "--root", root
    )
    assert made.returncode == 0, made.stderr
    drafted = run_build("draft", "weber", "--root", root)
    assert drafted.returncode == 0, drafted.stderr
    path = root / "facts" / "entities" / "draft-weber.json"
    entities = {entity["id"]: entity for entity in json.loads(path.read_text(encoding="utf-8"))["entities"]}
    assert {entity_id for entity_id in entities if entity_id.startswith("person:")} == {"person:klaus-weber"}
    assert entities["person:klaus-weber"]["aliases"] == [{"name": "Chancellor Weber", "kind": "title_and_name"}]


def test_a_last_name_alone_without_a_title_is_an_alias_of_the_person_named_in_full(tmp_path: Path) -> None:
    found = proposed(tmp_path, "Chinh met Chancellor Klaus Weber in Hanoi.", "Weber agreed with the proposals.")
    assert set(found) == {"person:klaus-weber"}
    assert found["person:klaus-weber"]["aliases"] == [{"name": "Weber", "kind": "short_name"}]


def test_a_country_named_by_its_demonym_before_a_title_is_proposed_and_is_the_persons(tmp_path: Path) -> None:
    found = proposed(tmp_path, "Chinh met Canadian Prime Minister Justin Trudeau and the Comorian Embassy staff.")
    assert found["country:canada"]["aliases"][0] == {"name": "Canadian", "kind": "demonym"}
    assert "guessed" in found["country:canada"]["draft"]
    assert found["person:justin-trudeau"]["country"] == "country:canada"
    assert {"name": "Comorian", "kind": "demonym"} in found["country:comoros"]["aliases"]
    # Not a people's adjective: a word whose ending fits no country, or several.
    others = proposed(tmp_path, "Chinh met Norwegian Minister Olsen and Korean Minister Ahn.")
    assert not [entity_id for entity_id in others if entity_id.startswith("country:")]


def test_a_place_is_known_by_its_lower_case_word_its_dateline_or_in_before_it(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "Binh Lieu (VNA) – The ministers met at Hoanh Mo border gate in the northern province of Quang Ninh.",
        "They opened a house in Dong Van commune.",
        "The guests were welcomed in Mong Cai.",
    )
    assert {entity_id for entity_id in found} == {
        "place:binh-lieu",
        "place:hoanh-mo",
        "place:quang-ninh",
        "place:dong-van",
        "place:mong-cai",
    }


def test_a_title_with_of_names_no_person_and_a_chinese_name_is_known_by_its_first_word(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "Minister of Industry and Trade Nguyen Hong Dien met State Counsellor Wei Fenghe.",
        "Wei, for his part, thanked Minister Dien.",
    )
    assert set(found) == {"person:nguyen-hong-dien", "person:wei-fenghe"}
    assert {"name": "Wei", "kind": "short_name"} in found["person:wei-fenghe"]["aliases"]


def test_a_month_s_name_opens_a_name_that_goes_on(tmp_path: Path) -> None:
    found = proposed(tmp_path, "Chinh hosted a reception for Jan Zahradil, a member of the European Parliament.")
    assert "person:jan-zahradil" in found
    assert not [entity_id for entity_id in proposed(tmp_path, "In May Vietnam met the envoy.") if "may" in entity_id]


def test_a_number_before_a_meetings_word_names_an_event_in_capitals_or_not(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "Chinh welcomed Kishida as part of the sixth Vietnam – Japan border friendship exchange.",
        "Hanoi hosted the 37th Intergovernmental Commission, and Tokyo the 5th Session of Inter-Party consultations.",
    )
    events = {entity["name"] for entity in found.values() if entity["id"].startswith("event:")}
    assert {
        "Sixth Vietnam – Japan border friendship exchange",
        "37th Intergovernmental Commission",
        "5th Session of Inter-Party",
    } <= events
    assert not proposed(tmp_path, "The two leaders met for the second time this year.")


def test_one_word_after_in_or_at_is_a_place_but_not_a_month(tmp_path: Path) -> None:
    found = proposed(tmp_path, "Chinh met Kishida in Moscow on Wednesday and in May at Davos.")
    assert {(entity_id, entity["name"]) for entity_id, entity in found.items()} == {
        ("place:moscow", "Moscow"),
        ("place:davos", "Davos"),
    }


def test_a_name_its_bracketed_abbreviation_spells_is_whole_over_and_and_a_country(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "Vice President of the Vietnam Chamber of Commerce and Industry (VCCI) Nguyen Quang Vinh spoke.",
        "The United States Agency for International Development (USAID) and Vietnam’s Ministry of Planning and "
        "Investment (MPI) signed an agreement.",  # (blind trials: VietnamPlus 2022, VOV 2020)
    )
    abbreviations = {
        entity["name"]: [alias["name"] for alias in entity.get("aliases", []) if alias["kind"] == "abbreviation"]
        for entity in found.values()
        if entity["id"].startswith("organization:")
    }
    assert abbreviations == {
        "Vietnam Chamber of Commerce and Industry": ["VCCI"],
        "United States Agency for International Development": ["USAID"],
        "Ministry of Planning and Investment": ["MPI"],
    }
    assert found["organization:ministry-of-planning-and-investment"]["country"] == "country:vietnam"
    assert "Nguyen Quang Vinh" in names(found)
    # Initials that do not spell the abbreviation keep the list apart.
    apart = proposed(tmp_path, "Leaders of Laos and the Asian Development Bank (ADB) met.")
    assert {"Asian Development Bank"} <= names(apart) and "Laos and the Asian Development Bank" not in names(apart)


def test_a_demonym_before_people_of_one_kind_names_a_group_of_its_country(tmp_path: Path) -> None:
    found = proposed(
        tmp_path,
        "Japanese investors are interested in Vietnam, said the Russian business delegation.",
        "Vietnam welcomed more investors.",  # no demonym: no group
    )
    groups = {entity_id: (entity["country"], entity["aliases"]) for entity_id, entity in found.items()}
    assert groups == {
        "group:japanese-investors": ("country:japan", [{"name": "Japanese investors", "kind": "short_name"}]),
        "group:russian-business-delegation": (
            "country:russia",
            [{"name": "Russian business delegation", "kind": "short_name"}],
        ),
    }


def test_a_ministers_portfolio_is_no_part_of_the_name_after_it(tmp_path: Path) -> None:
    # (VNA, 2019); "Chinh" is a one-word alias of another person: inside a longer name, not him
    ENTITIES.append(_entity("person:chinh-other", "Nguyen Van Chinh", ("Chinh", "short_name")))
    try:
        found = proposed(
            tmp_path,
            "The partnership has entered a new stage, Vietnamese Minister of Planning and Investment Pham Duc "
            "Chinh said.",
        )
    finally:
        ENTITIES.pop()
    assert names(found) == {"Pham Duc Chinh"}


def test_two_kinds_of_a_countrys_people_joined_by_and_are_one_group(tmp_path: Path) -> None:
    found = proposed(tmp_path, "He also appealed to Japanese politicians and enterprises to push ahead.")
    assert names(found) == {"Japanese politicians and enterprises (unnamed)"}
