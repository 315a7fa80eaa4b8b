"""An article as drafting reads it: its sentences (none of its excluded passages), each with
the entities it names."""

from __future__ import annotations

import re
from typing import NamedTuple

from factdb.coverage import split_sentences
from factdb.drafting.name_words import NOT_NAMES, TITLE_WORDS
from factdb.evidence import Mention
from factdb.quotes import Span
from factdb.validation import Registry

# A sentence opening with where (and when) the news was filed, in capitals or before a dash:
# "HAVANA, Cuba, July 2 (ACN)", "BEIJING, May 11 (Xinhua) --", "Quang Ninh (VNA) –".
_FILED = re.compile(
    r"(?:[A-Z]{2,}(?:\s+[A-Z]{2,})*(?:,[^()]{0,40}?|\s*)|[A-Z][^()]{0,40}?(?=\s*\([^()]{2,60}\)\s*[–—-]))"
    r"(?P<agency>\([^()]{2,60}\))"
)


def dateline(text: str) -> re.Match[str] | None:
    """The dateline that opens the sentence, if any: its place before the agency in brackets."""
    return _FILED.match(text)


class Sentence(NamedTuple):
    span: Span
    text: str
    mentions: list[Mention]  # offsets within the sentence


def sentences(registry: Registry, source_id: str) -> list[Sentence]:
    """The article's sentences (none of its excluded passages), each with the entities it names."""
    text = registry.text(source_id)
    excluded = [span for span, _ in registry.exclusions(source_id)]
    found = []
    for span in split_sentences(text):
        if any(span.start < other.end and other.start < span.end for other in excluded):
            continue
        found.append(sentence_of(registry, text[span.start : span.end], span, source_id))
    return found


def sentence_of(registry: Registry, text: str, span: Span | None = None, source: str | None = None) -> Sentence:
    """One sentence of an article (at `span`, of `source`), with the entities it names."""
    return Sentence(span or Span(0, len(text)), text, _mentions(registry, text, source))


def _mentions(registry: Registry, text: str, source: str | None) -> list[Mention]:
    """The entities a sentence names, without names inside a longer one ("Abe" in "Shinzo Abe");
    entities named by the very same words ("President": several countries' offices) are all kept."""
    kept: list[Mention] = []
    for mention in registry.names.mentions(text, source=source):
        if _inside_a_longer_name(mention, text, registry):
            continue
        inside = any(
            other.start <= mention.start and mention.end <= other.end and (other.start, other.end) != mention[1:3]
            for other in kept
        )
        if not inside or _also_kept(mention, kept, registry):
            kept.append(mention)
    return kept


def _also_kept(mention: Mention, kept: list[Mention], registry: Registry) -> bool:
    """A country named inside another entity's name still names it: "Japanese Prime Minister", "a
    treaty on basic principles for Vietnam-Russia friendship"."""
    return registry.entities[mention.entity_id].type == "country"


_CAPITALISED_NEXT = re.compile(r"\s[A-Z]\w")
_CAPITALISED_BEFORE = re.compile(r"(?<![\w'’])([A-Z][\w-]*)\s+([A-Z][\w-]*)\s+$")


def _inside_a_longer_name(mention: Mention, text: str, registry: Registry) -> bool:
    """A person's one-word alias followed by a capitalised word, or after two that are neither titles
    nor words opening a sentence, names someone or something else: "Quang" of "Quang Ninh" is no
    President Quang, "Dung" of "Minister of Planning and Investment Nguyen Chi Dung" no Prime Minister
    Dung (but "When Chinh visited" is Chinh)."""
    if registry.entities[mention.entity_id].type != "person" or " " in mention.words.strip() or mention.how == "name":
        return False
    before = _CAPITALISED_BEFORE.search(text, 0, mention.start)
    return _CAPITALISED_NEXT.match(text, mention.end) is not None or (
        before is not None and not any(word.casefold() in TITLE_WORDS or word in NOT_NAMES for word in before.groups())
    )
