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
    a title before it ("President X": a person) or a word in it ("Ministry": an organization)."""
    for match in _CAPITALISED.finditer(sentence.text):
        words = match.group().rstrip(".").split()
        titled = bool(_TITLES.search(sentence.text[: match.start()]))
        while words and (words[0] in _NOT_NAMES or words[0].rstrip(".") in _TITLE_WORDS):
            titled = titled or words[0].rstrip(".") in _TITLE_WORDS
            words = words[1:]
        name = " ".join(words)
        if not name or (len(words) < 2 and not titled):
            continue
        start = sentence.text.index(name, match.start())
        if any(mention.start < start + len(name) and start < mention.end for mention in sentence.mentions):
            continue  # part of a name the registry has
        kind = "person" if titled else "organization" if _ORGANISATIONS.search(name) else "person"
        slug = slug_of(name)
        if slug is None:
            continue
        entity: dict[str, Any] = {"id": f"{kind}:{slug}", "name": name}
        if (ascii_name := ascii_form(name)) is not None:
            entity["aliases"] = [{"name": ascii_name, "kind": "other_spelling"}]
        if entity["id"] in registry.entities:
            continue
        reason = "a title before it" if titled else "a word of its name" if kind == "organization" else "a guess"
        entity["draft"] = (
            f"named in {sentence.text[:80]!r}...; its type ({kind}) from {reason}. Check the type, the name as "
            "usually written in English, and add its country"
        )
        yield entity
