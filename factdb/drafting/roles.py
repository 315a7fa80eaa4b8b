"""Who a proposed fact is about: the trigger that names its predicate, its subject and object,
and whom "he" or "the two leaders" stand for (the entities named earlier)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from factdb.drafting.reading import Sentence
from factdb.evidence import Mention, referring_words
from factdb.validation import Registry
from schema.vocabulary import PREDICATES, Predicate


class Role(NamedTuple):
    """An entity a fact names, and how the sentence names it: by its own words (mention), or by
    referring words ("the two leaders") that the sentence before (context) resolves."""

    entity_id: str
    words: str
    referent_words: str | None = None
    context: str | None = None


PLURAL = re.compile(r"^(?:the|both|these)\b.*\b(?:leaders|sides|countries|nations|governments|ministers)$|^they$", re.I)
_STATES = re.compile(r"\b(?:sides|countries|nations|governments)$", re.I)
# Said of a pair ("the two leaders vowed to ..."): what both said or promised is what they agreed.
_AGREED_BY_A_PAIR = {"agreed_with", "committed_to", "position_on", "strengthens_ties_with", "pledged_to"}
SYMMETRIC = {"agreed_with", "held_talks_with", "met", "held_press_conference_with", "exchanged_documents_with"}


@dataclass
class Memory:
    """What the sentences read so far named: the last pair of people and of countries ("the two
    leaders", "the two sides"), and the last sentence naming anyone ("he")."""

    pairs: dict[str, tuple[Mention, Mention, Sentence]] = field(default_factory=dict)
    last: Sentence | None = None
    # Each person named so far, how often, and where last: "he" is the article's main actor
    # (named most often; an interview's subject, not whoever he quoted last).
    people: dict[str, tuple[int, Mention, Sentence]] = field(default_factory=dict)

    def remember(self, sentence: Sentence, registry: Registry) -> None:
        for kind in ("person", "country"):
            named = list(
                {m.entity_id: m for m in sentence.mentions if registry.entities[m.entity_id].type == kind}.values()
            )
            if len(named) >= 2:
                self.pairs[kind] = (named[0], named[1], sentence)
        for mention in sentence.mentions:
            if registry.entities[mention.entity_id].type == "person":
                count = self.people.get(mention.entity_id, (0, mention, sentence))[0]
                self.people[mention.entity_id] = (count + 1, mention, sentence)
        if sentence.mentions:
            self.last = sentence

    @property
    def person(self) -> tuple[Mention, Sentence] | None:
        if not self.people:
            return None
        _, mention, sentence = max(self.people.values(), key=lambda entry: entry[0])
        return mention, sentence


def roles_of(
    predicate: Predicate, sentence: Sentence, memory: Memory, at: int, registry: Registry
) -> tuple[Predicate, Role, Role | None] | None:
    def typed(mentions: list[Mention], types: tuple[str, ...]) -> list[Mention]:
        return [mention for mention in mentions if registry.entities[mention.entity_id].type in types]

    before = typed([m for m in sentence.mentions if m.end <= at], predicate.subject_types)
    after = typed([m for m in sentence.mentions if m.start >= at], predicate.object_types)
    referring = [words for start, _, words in referring_words(sentence.text) if start < at]
    plural = next((words for words in referring if PLURAL.match(words)), None)
    if not before and plural:  # "The two leaders agreed ...": the pair named last
        kind = "country" if _STATES.search(plural) else "person"
        remembered = memory.pairs.get(kind)
        if remembered and predicate.id in _AGREED_BY_A_PAIR | SYMMETRIC:
            first, second, named_in = remembered
            chosen = predicate if predicate.id in SYMMETRIC else PREDICATES["agreed_with"]
            return (
                chosen,
                Role(first.entity_id, first.words, plural, named_in.text),
                Role(second.entity_id, second.words, plural, named_in.text),
            )
    if predicate.id in SPEECH:
        return _speaker(predicate, sentence, memory, at, before)
    if before:
        subject = Role(before[0].entity_id, before[0].words)
    elif referring and memory.last is not None:  # "He said ...": the first of those named last
        stand_ins = typed(memory.last.mentions, predicate.subject_types)
        if not stand_ins:
            return None
        subject = Role(stand_ins[0].entity_id, stand_ins[0].words, referring[0], memory.last.text)
    else:
        return None
    if not predicate.object_types:
        return predicate, subject, None
    # "Vietnam and Japan have agreed", "Chinh and his Japanese counterpart Kishida discussed":
    # both named before the trigger, the pair joined by "and" nearest to it.
    joined = [
        (first, second)
        for first, second in itertools.pairwise(before)
        if re.fullmatch(
            r",?\s+and\s+(?:his|her|its)?\s*(?:[\w-]+\s+)?(?:counterpart\s+)?", sentence.text[first.end : second.start]
        )
    ]
    if predicate.id in SYMMETRIC | {"strengthens_ties_with"} and joined:
        first, second = joined[-1]
        return predicate, Role(first.entity_id, first.words), Role(second.entity_id, second.words)
    partners = [m for m in typed(before[1:], predicate.object_types) if m.entity_id != subject.entity_id]
    others = [m for m in after if m.entity_id != subject.entity_id]
    if predicate.id in SYMMETRIC and partners:
        return predicate, subject, Role(partners[0].entity_id, partners[0].words)
    if others:
        return predicate, subject, Role(others[0].entity_id, others[0].words)
    return None


SPEECH = {"position_on", "stated"}
VIETNAM = "country:vietnam"


def is_vietnamese(role: Role, registry: Registry) -> bool:
    return role.entity_id == VIETNAM or registry.entities[role.entity_id].country == VIETNAM


def _speaker(
    predicate: Predicate, sentence: Sentence, memory: Memory, at: int, before: list[Mention]
) -> tuple[Predicate, Role, None] | None:
    """Who says it: the actor named, or referred to ("he", "the leader"), closest before the
    speech verb ("Trong said", "..., he said")."""
    named = before[-1] if before else None
    referring = [(start, words) for start, _, words in referring_words(sentence.text) if start < at]
    pronoun = referring[-1] if referring else None
    if named and (pronoun is None or named.start > pronoun[0]):
        return predicate, Role(named.entity_id, named.words), None
    if pronoun and not PLURAL.match(pronoun[1]) and memory.person is not None:
        person, named_in = memory.person
        return predicate, Role(person.entity_id, person.words, pronoun[1], named_in.text), None
    return None


def triggers(folded: str) -> Iterator[tuple[Predicate, str, int]]:
    """Each predicate whose trigger words (schema/vocabulary.py) the sentence holds, with the first
    that does and where: the trigger's place splits the subject's side from the object's."""
    for predicate in PREDICATES.values():
        for trigger in predicate.triggers:
            match = re.search(rf"(?<!\w){re.escape(trigger)}(?!\w)", folded)
            if match:
                yield predicate, trigger, match.start()
                break
