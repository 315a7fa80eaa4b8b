"""Quote matching: small, explicit normalisation, and offsets into the stored text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factdb.quotes import NormalisedText, find_quote, nearest_passage

SOURCE = "Trong’s visit,\n in which he will meet “Abe”, will be his first… to Japan.\n\nHe said so."


def located(quote: str) -> list[str] | None:
    spans = find_quote(quote, NormalisedText(SOURCE))
    return None if spans is None else [SOURCE[span.start : span.end] for span in spans]


def test_exact_quote_is_found_with_its_offsets() -> None:
    assert located("He said so.") == ["He said so."]


def test_straight_and_curly_quote_marks_and_white_space_are_equivalent() -> None:
    assert located('Trong\'s visit, in which he will meet "Abe"') == ["Trong’s visit,\n in which he will meet “Abe”"]


def test_ellipsis_joins_pieces_of_one_paragraph_in_order() -> None:
    assert located("he will meet … to Japan.") == ["he will meet", "to Japan."]
    assert located("to Japan ... he will meet") is None  # pieces out of order
    assert located("Trong’s visit … to Japan.") is None  # pieces on two lines: two paragraphs
    assert located("will meet … Japan.") is None  # a piece of one word


def test_a_quote_is_whole_words() -> None:
    assert located("rong’s visit") is None  # starts inside a word
    assert located("he will mee") is None  # ends inside a word
    assert located("visit,\n in which") == ["visit,\n in which"]


def test_an_ellipsis_in_the_source_itself_is_matched_verbatim() -> None:
    assert located("his first… to Japan") == ["his first… to Japan"]


def test_no_other_normalisation_happens() -> None:
    assert located("trong’s visit") is None  # case matters
    assert located("Trong’s visit,, in which") is None  # punctuation matters


def test_nearest_passage_points_at_the_likely_intended_words() -> None:
    assert nearest_passage("he will meet Obama", NormalisedText(SOURCE)) == "he will meet “Abe”,"  # whole words


def _reference(original: str) -> tuple[str, list[int]]:
    """Normalisation done the slow, obvious way: character by character, with each one's origin."""
    marks = str.maketrans({"’": "'", "“": '"', "”": '"'})
    characters, origin = [], []
    for index, character in enumerate(original):
        if character.isspace():
            if characters and characters[-1] == " ":
                continue
            character = " "
        characters.append(character.translate(marks))
        origin.append(index)
    return "".join(characters), origin


@settings(max_examples=300, derandomize=True)
@given(st.text(alphabet="ab ’\n\t\r\xa0\u2003“”.", max_size=40))
def test_offsets_map_back_exactly_like_the_character_by_character_reference(original: str) -> None:
    normalised = NormalisedText(original)
    expected, origin = _reference(original)
    assert normalised.text == expected
    for start in range(len(expected)):
        for end in range(start + 1, len(expected) + 1):
            span = normalised.original_span(start, end)
            assert (span.start, span.end) == (origin[start], origin[end - 1] + 1)
