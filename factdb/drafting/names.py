"""Names in capitals that the registry lacks, proposed as draft entities."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from factdb.drafting.reading import Sentence
from factdb.drafting.values import WEEKDAYS
from factdb.evidence import MONTHS, ascii_form
from factdb.naming import slug_of
from factdb.validation import Registry

# --- Names the registry lacks -------------------------------------------------------------

_CAPITALISED = re.compile(r"(?:[A-Z][\w’'-]*\.?)(?:\s+(?:of\s+the\s+|of\s+|for\s+|and\s+)?[A-Z][\w’'-]*)*")
_TITLES = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|President|Prime Minister|Minister|Secretary|General|Chairman|Chairwoman|Ambassador|"
    r"Deputy|Chief|Marshall?|Premier|Governor|King|Queen|Emperor)\.?\s+$"
)
# Words of a title that may open a run of capitals ("Foreign Minister Bui Thanh Son").
_TITLE_WORDS = {
    "Mr", "Mrs", "Ms", "Dr", "President", "Prime", "Minister", "Foreign", "Deputy", "Secretary", "General",
    "Chairman", "Chairwoman", "Ambassador", "Chief", "Premier", "Governor", "Vice", "Defence", "Defense",
    "Trade", "Party", "Senior", "Lieutenant", "Colonel", "Admiral", "Marshal", "Marshall", "King", "Queen",
}  # fmt: skip
_ORGANISATIONS = re.compile(
    r"\b(?:Ministry|Agency|Party|Committee|Council|Association|Bank|Group|Corporation|University|News|Post|"
    r"Times|Forces|Navy|Army|Union|Organi[sz]ation|Assembly|Institute|Fund|Office|Department|Company)\b"
)
_NOT_NAMES = (
    set(
        [
            "The",
            "A",
            "An",
            "In",
            "On",
            "At",
            "For",
            "But",
            "And",
            "Or",
            "However",
            "Meanwhile",
            "According",
            "During",
            "While",
            "Since",
            "After",
            "Before",
            "Following",
            "Regarding",
            "This",
            "That",
            "These",
            "Those",
            "It",
            "He",
            "She",
            "They",
            "We",
            "I",
            "His",
            "Her",
            "Their",
            "Its",
            "Our",
            "Both",
        ]
    )
    | {name.title() for name in MONTHS}
    | {name.title() for name in WEEKDAYS}
)


def new_names(sentence: Sentence, registry: Registry) -> Iterator[dict[str, Any]]:
    """Names in capitals that no entity of the registry has: an entry each, its type guessed from
    a title before it ("President X", "Australian Prime Minister X": a person) or a word in it
    ("Ministry": an organization). A run of capitals is cut where the registry names something in
    it, so "Australian Prime Minister Anthony Albanese" still proposes Anthony Albanese."""
    for match in _CAPITALISED.finditer(sentence.text):
        for start, end in _outside_mentions(match.start(), match.end(), sentence):
            entity = _entry(sentence, start, end, registry)
            if entity is not None:
                yield entity


def _outside_mentions(start: int, end: int, sentence: Sentence) -> list[tuple[int, int]]:
    """The stretches of text[start:end] that no registry name covers."""
    pieces, position = [], start
    for mention in sorted(sentence.mentions, key=lambda mention: mention.start):
        if mention.end <= position or mention.start >= end:
            continue
        pieces.append((position, max(position, mention.start)))
        position = max(position, mention.end)
    pieces.append((position, end))
    return [(first, last) for first, last in pieces if sentence.text[first:last].strip(" ,.")]


def _entry(sentence: Sentence, start: int, end: int, registry: Registry) -> dict[str, Any] | None:
    before = sentence.text[:start]
    words = sentence.text[start:end].strip().rstrip(".").split()
    office_before = any(
        registry.entities[mention.entity_id].type == "office" and not before[mention.end :].strip(" ,")
        for mention in sentence.mentions
        if mention.end <= start
    )
    titled = office_before or bool(_TITLES.search(before))
    while words and words[0] in _NOT_NAMES:
        words = words[1:]
    titles = [index for index, word in enumerate(words) if word.rstrip(".") in _TITLE_WORDS]
    if titles and not _ORGANISATIONS.search(" ".join(words)):  # "Australian Prime Minister X": X
        titled, words = True, words[titles[-1] + 1 :]
    name = " ".join(words)
    if not name or (len(words) < 2 and not titled):
        return None
    kind = "person" if titled else "organization" if _ORGANISATIONS.search(name) else "person"
    slug = slug_of(name)
    if slug is None or f"{kind}:{slug}" in registry.entities:
        return None
    entity: dict[str, Any] = {"id": f"{kind}:{slug}", "name": name}
    if (ascii_name := ascii_form(name)) is not None:
        entity["aliases"] = [{"name": ascii_name, "kind": "other_spelling"}]
    reason = "a title before it" if titled else "a word of its name" if kind == "organization" else "a guess"
    entity["draft"] = (
        f"named in {sentence.text[:80]!r}...; its type ({kind}) from {reason}. Check the type, the name as "
        "usually written in English, and add its country"
    )
    return entity
