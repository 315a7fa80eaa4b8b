"""The frameworks of a pair's relations that news names without naming the pair ("the strategic
partnership", "the 50th anniversary of diplomatic ties"), proposed as draft entities named for the
pair: "Vietnam-Indonesia strategic partnership" (an agreement), "Establishment of Vietnam-France
diplomatic relations" (an event).

The words as written become an alias of the entity in this source only (Alias.source), as the
registry records "diplomatic relations" for the article about Japan: in another article the same
words are another pair's. The partner is the country the sentence names besides Vietnam, else
the other of the two countries the article names together most.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from factdb.drafting.names import entity_slug
from factdb.drafting.reading import Sentence
from factdb.drafting.roles import VIETNAM, Memory
from factdb.validation import Registry

_PARTNERSHIP = re.compile(
    r"(?<!\w)(?:(?:comprehensive|extensive|enhanced)\s+)?(?:strategic\s+)?(?:cooperative\s+)?partnership(?!\w)", re.I
)
_KINDS = re.compile(r"comprehensive|extensive|strategic|cooperative", re.I)  # (not a partnership of its own)
# The relations whose establishment an anniversary marks ("the 50th anniversary of the
# establishment of diplomatic ties", "the 25th anniversary of bilateral diplomatic relations").
_RELATIONS = re.compile(
    r"(?<!\w)anniversary\s+of\s+(?:the\s+)?(?:establishment\s+of\s+)?(?:(?:the\s+)?(?:bilateral|two\s+countries['’])\s+)?"
    r"(?P<words>diplomatic\s+(?:ties|relations))(?!\w)",
    re.I,
)


def new_frameworks(
    sentence: Sentence, memory: Memory, registry: Registry, source_id: str, proposed: dict[str, dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """A partnership or the establishment of relations, for each the sentence names in words of
    its kind only, that neither the registry nor an earlier proposal holds for the pair."""
    partner = _partner(sentence, memory, registry) if VIETNAM in registry.entities else None
    if partner is None:
        return
    pair = f"{registry.entities[VIETNAM].name}-{registry.entities[partner].name}"
    found = [
        (words, "agreement", f"{pair} {words.lower()}")
        for match in _PARTNERSHIP.finditer(sentence.text)
        if _KINDS.search(words := match.group())
    ]
    found += [
        (match.group("words"), "event", f"Establishment of {pair} diplomatic relations")
        for match in _RELATIONS.finditer(sentence.text)
    ]
    for words, kind, name in found:
        entity_id = f"{kind}:{entity_slug(name.removeprefix('Establishment of '))}"
        if entity_id in registry.entities or entity_id in proposed:
            continue
        entity = {
            "id": entity_id,
            "name": name,
            "aliases": [{"name": words, "kind": "short_name", "source": source_id}],
            "draft": f"the words '{words}' in '{sentence.text[:80]}'...; named for the pair the article is about"
            f" ({pair}), with those words as its name in this article only. Check the partner, the kind, and"
            " whether the registry already holds it under another name (then add the words as its alias instead)",
        }
        proposed[entity_id] = entity
        yield entity


def _partner(sentence: Sentence, memory: Memory, registry: Registry) -> str | None:
    named = [
        m.entity_id
        for m in sentence.mentions
        if registry.entities[m.entity_id].type == "country" and m.entity_id != VIETNAM
    ]
    if named:
        return named[0]
    pair = memory.pair("country")
    if pair is None or VIETNAM not in {pair[0].entity_id, pair[1].entity_id}:
        return None
    return pair[1].entity_id if pair[0].entity_id == VIETNAM else pair[0].entity_id
