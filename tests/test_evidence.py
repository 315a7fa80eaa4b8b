"""The evidence engine on real sentences of the archived articles (copied here, so that the
tests hold whatever the data becomes): names, dates, quantities and statement words."""

from __future__ import annotations

import pytest

from factdb.coverage import split_sentences
from factdb.evidence import (
    EntityNames,
    ascii_form,
    derived_names,
    find_number,
    fold,
    numbers,
    referring_words,
    stated_dates,
    within,
    words_occur_in,
)
from schema.dates import DateBounds
from schema.models import Alias, Entity

ENTITIES = {
    entity.id: entity
    for entity in [
        Entity.model_validate(
            {
                "id": "person:nguyen-phu-trong",
                "name": "Nguyễn Phú Trọng",
                "aliases": [
                    {"name": "Nguyen Phu Trong", "kind": "other_spelling"},
                    {"name": "Trong", "kind": "short_name"},
                ],
            }
        ),
        Entity.model_validate(
            {"id": "country:japan", "name": "Japan", "aliases": [{"name": "Japanese", "kind": "demonym"}]}
        ),
        Entity.model_validate(
            {
                "id": "country:united-states",
                "name": "United States",
                "aliases": [{"name": "US", "kind": "abbreviation"}],
            }
        ),
        Entity.model_validate({"id": "place:da-nang", "name": "Đà Nẵng"}),
    ]
}
NAMES = EntityNames(ENTITIES)

# From the archived articles.
TASS = "General Secretary of the Communist Party of Vietnam Central Committee Nguyen Phu Trong (Photo: VNA)"
ABE = "Japanese Prime Minister Shinzo Abe said Japan will continue its strong support for Vietnam’s development"
TRADE = "Two-way trade between Vietnam and Russia reached 3.5 billion USD in 2017, which is still very low."
AID = "announced that Vietnam will provide $500,000 in aid to Ukraine through international humanitarian organisations."
DECADES = "Their people have supported each other over the past seven decades."
ANNIVERSARY = "on the threshold of the 25th anniversary of the signing of a treaty on basic principles"
VISIT = "Mr Trong will pay an official visit to Japan from September 15 to 18, 2015."


def test_names_are_found_with_or_without_diacritics_and_case() -> None:
    mention = NAMES.find("person:nguyen-phu-trong", TASS)
    assert mention is not None and TASS[mention.start : mention.end] == "Nguyen Phu Trong"
    assert mention.how == "name"  # the canonical name, folded
    accented = "Tổng Bí thư Nguyễn Phú Trọng tiếp"
    found = NAMES.find("person:nguyen-phu-trong", accented)
    assert found is not None and found.words == "Nguyễn Phú Trọng"
    assert NAMES.find("place:da-nang", "flights to Da Nang and DA NANG") is not None  # Đ folds to D
    assert NAMES.find("place:da-nang", "Danang") is None  # whole words only


def test_a_demonym_names_its_country_and_a_name_inside_a_word_does_not() -> None:
    found = [(mention.entity_id, mention.words, mention.how) for mention in NAMES.mentions(ABE)]
    assert ("country:japan", "Japanese", "alias") in found and ("country:japan", "Japan", "name") in found
    assert NAMES.find("country:japan", "the Japanology department") is None


def test_abbreviations_keep_their_case() -> None:
    assert NAMES.find("country:united-states", "talks with the US on trade") is not None
    assert NAMES.find("country:united-states", "he told us about trade") is None


def test_folding_keeps_offsets_and_ascii_forms_are_derived() -> None:
    text = "Phạm Minh Chính và Đà Nẵng"
    assert len(fold(text)) == len(text) and fold(text) == "Pham Minh Chinh va Da Nang"
    assert ascii_form("Nguyễn Phú Trọng") == "Nguyen Phu Trong"
    assert ascii_form("Shinzo Abe") is None  # nothing to fold
    assert ascii_form("安倍晋三") is None  # another script has no ASCII form


def _registry(*entities: dict[str, object]) -> dict[str, Entity]:
    return {entity["id"]: Entity.model_validate(entity) for entity in entities}  # type: ignore[misc]


def test_an_office_of_a_country_and_a_person_are_named_as_news_names_them() -> None:
    entities = _registry(
        {"id": "country:oland", "name": "Oland", "aliases": [{"name": "Olandic", "kind": "demonym"}]},
        {"id": "office:premier-of-oland", "name": "Premier of Oland", "country": "country:oland"},
        {"id": "person:ivan-petrov", "name": "Ivan Petrov"},
        {"id": "person:ursula-von-berg", "name": "Ursula von Berg"},
    )
    derived = derived_names(entities)
    assert derived["office:premier-of-oland"] == [
        ("Oland's Premier", "country_and_title"),
        ("Olandic Premier", "country_and_title"),
    ]
    assert derived["person:ivan-petrov"] == [("I. Petrov", "initial_and_last_name")]
    assert derived["person:ursula-von-berg"] == [("U. von Berg", "initial_and_last_name")]
    names = EntityNames(entities)
    for quote in ("Oland’s Premier Ivan Petrov said", "Oland's Premier I. Petrov said", "Olandic Premier I. Petrov"):
        assert names.find("office:premier-of-oland", quote) is not None  # both apostrophes
        assert names.find("person:ivan-petrov", quote) is not None


def test_a_derived_name_another_entity_has_or_derives_is_dropped() -> None:
    entities = _registry(
        {"id": "country:oland", "name": "Oland", "aliases": [{"name": "Olandic", "kind": "demonym"}]},
        {"id": "office:premier-of-oland", "name": "Premier of Oland", "country": "country:oland"},
        {"id": "group:olandic-premier", "name": "Olandic Premier"},  # another entity's name
        {"id": "person:ivan-petrov", "name": "Ivan Petrov"},
        {"id": "person:irina-petrov", "name": "Irina Petrov"},  # both would be "I. Petrov"
        {"id": "person:sato", "name": "Sato"},  # one word: no initial
        {
            "id": "office:head-of-oland",
            "name": "Head of Oland",
            "country": "country:oland",
            "aliases": [{"name": "Olandic Head", "kind": "other_name"}],  # written already: not repeated
        },
    )
    derived = derived_names(entities)
    assert derived["office:premier-of-oland"] == [("Oland's Premier", "country_and_title")]
    assert derived["office:head-of-oland"] == [("Oland's Head", "country_and_title")]
    assert "person:ivan-petrov" not in derived and "person:irina-petrov" not in derived
    assert "person:sato" not in derived
    assert EntityNames(entities).find("person:ivan-petrov", "I. Petrov spoke") is None


@pytest.mark.parametrize(
    ("sentence", "value", "words"),
    [
        (TRADE, 3.5e9, "3.5 billion"),
        (AID, 500_000, "500,000"),
        (DECADES, 70, "seven decades"),
        (ANNIVERSARY, 25, "25th"),
        ("which accounted for 30 percent of the total", 30, "30"),
    ],
)
def test_quantities_are_read_in_their_usual_written_forms(sentence: str, value: float, words: str) -> None:
    found = find_number([value], sentence)
    assert found is not None and found.words == words


def test_a_number_the_sentence_does_not_state_is_not_found() -> None:
    assert find_number([5e9], TRADE) is None
    assert find_number([3.5], "3,500 visitors") is None  # 3,500 is not 3.5
    assert [mention.value for mention in numbers("two of the 12 vessels")] == [2, 12]


def test_dates_written_out_are_stated_and_relative_ones_are_not() -> None:
    assert [mention.bounds for mention in stated_dates(TRADE)] == [DateBounds("2017-01-01", "2017-12-31")]
    assert [mention.bounds for mention in stated_dates(VISIT)] == [DateBounds("2015-09-15", "2015-09-18")]
    assert [mention.bounds for mention in stated_dates("Hanoi, May 2, 2022: the talks")] == [
        DateBounds("2022-05-02", "2022-05-02")
    ]
    assert [mention.bounds for mention in stated_dates("in September 2015")] == [DateBounds("2015-09-01", "2015-09-30")]
    assert stated_dates("on Thursday, and last November") == []
    assert within(DateBounds("2015-09-15", "2015-09-15"), DateBounds("2015-01-01", "2015-12-31"))
    assert not within(DateBounds("2015-01-01", "2015-12-31"), DateBounds("2015-09-15", "2015-09-15"))


def test_statement_words_are_found_in_order_whatever_the_punctuation() -> None:
    quote = "He noted: “I highly value the very effective and dynamic cooperation between the two countries.”"
    assert words_occur_in("I highly value the very effective and dynamic cooperation", [quote])
    assert words_occur_in("I highly value … the two countries", [quote])
    assert not words_occur_in("the two countries … I highly value", [quote])  # out of order
    assert not words_occur_in("I highly value the cooperation", [quote])  # words left out without an ellipsis


def test_referring_words_are_found() -> None:
    sentence = "The two leaders agreed on the importance of a free, open Indo-Pacific. They committed to it."
    assert [words for _, _, words in referring_words(sentence)][:2] == ["The two leaders", "They"]


def test_a_counted_pair_may_be_qualified_and_a_single_government_is_not_a_referent() -> None:
    sentence = (  # ppp-2022-kishida-hanoi
        "On the South China Sea (called East Sea by Vietnam) issue, the two government leaders underlined the "
        "importance of ensuring security"
    )
    assert [words for _, _, words in referring_words(sentence)] == ["the two government leaders"]
    assert [words for _, _, words in referring_words("the importance that the Japanese government attaches")] == []


def test_numbers_are_floats_whether_in_figures_or_in_words() -> None:
    found = numbers("Following the talks, the two leaders witnessed the exchange of 22 cooperation documents")
    assert found and all(isinstance(mention.value, float) for mention in found)
    assert all(isinstance(mention.value, float) for mention in numbers(DECADES + " two of them"))


def test_a_scaled_decimal_is_the_number_written() -> None:
    # (VNA, 2022: as floats, 8.3 times a billion is 8300000000.000001)
    found = numbers("The two-way trade between Vietnam and Singapore hit 8.3 billion USD, and 1.1 million tonnes")
    assert [mention.value for mention in found if mention.value > 2] == [8_300_000_000, 1_100_000]


def test_a_name_inside_a_longer_name_of_its_kind_names_that_one() -> None:
    entities = {
        entity.id: entity
        for entity in [
            Entity.model_validate({"id": "country:china", "name": "China"}),
            Entity.model_validate({"id": "place:south-china-sea", "name": "South China Sea"}),
            Entity.model_validate(
                {
                    "id": "office:prime-minister-of-japan",
                    "name": "Prime Minister of Japan",
                    "aliases": [{"name": "Prime Minister", "kind": "short_name"}],
                }
            ),
            Entity.model_validate(
                {
                    "id": "office:prime-minister-of-vietnam",
                    "name": "Prime Minister of Vietnam",
                    "aliases": [{"name": "Vietnamese Prime Minister", "kind": "other_name"}],
                }
            ),
            Entity.model_validate({"id": "group:chinese-officials", "name": "Chinese officials"}),
        ]
    }
    names = EntityNames(entities)
    assert names.find("country:china", "patrols in the South China Sea") is None  # the sea, not the country
    assert names.find("country:china", "China's claims in the South China Sea") is not None
    assert names.find("office:prime-minister-of-japan", "Vietnamese Prime Minister Pham Minh Chinh") is None
    assert names.find("office:prime-minister-of-japan", "Prime Minister Kishida") is not None
    entities["country:china"].aliases.append(Alias(name="Chinese", kind="demonym"))
    assert names.find("country:china", "Chinese officials said") is not None  # a group of China's still names it


def test_a_negative_amount_is_stated_by_its_size() -> None:
    assert find_number([-3.0], "growth was -3 percent") is not None
    assert find_number([-3.0], "trade fell by 3 percent last year") is not None
    assert find_number([-3.0], "trade fell by 4 percent") is None


def test_a_title_or_rank_abbreviated_with_a_full_stop_ends_no_sentence() -> None:
    text = "Defence Minister Sen. Lieut. Gen Phan Van Giang hosted Wei. Mr. Wei thanked him."
    assert [text[span.start : span.end] for span in split_sentences(text)] == [
        "Defence Minister Sen. Lieut. Gen Phan Van Giang hosted Wei.",
        "Mr. Wei thanked him.",
    ]


def test_an_alias_scoped_to_a_source_names_the_entity_there_only() -> None:
    event = Entity(
        id="event:vietnam-japan-relations",
        name="Establishment of Vietnam-Japan diplomatic relations",
        aliases=[Alias(name="diplomatic relations", kind="short_name", source="ppp-2022")],
    )
    names = EntityNames({event.id: event})
    text = "the 50th anniversary of diplomatic relations in 2023"
    assert names.find(event.id, text, source="ppp-2022") is not None
    assert names.find(event.id, text, source="another-article") is None  # Vietnam and Australia's, say
    assert names.find(event.id, text) is not None  # (where the source is unknown, every alias counts)
