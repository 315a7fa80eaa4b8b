"""Drafting: the facts an archived source proposes, for a contributor to review.

`python build.py draft SOURCE_ID` reads the archived text (less its excluded passages)
sentence by sentence with the evidence engine (factdb/evidence.py), the same one the
checks use, and proposes a fact where a predicate's trigger words meet entities of the
types it takes: the subject is the first actor named before the trigger, the object the
first entity of an allowed type after it; where the sentence says "the two leaders" or
"he" instead, the entities named in the sentence before stand in, with a referent. The
quote is the whole sentence, so whatever is proposed is grounded by construction; dates
are read from the sentence or resolved against the publication date ("on Thursday", "last
November", "this year"); quantities come with their unit.

Every proposed fact carries `"draft": "<why it was proposed>"`, which `check` refuses: a
contributor reviews the fact, corrects it and deletes the marker. Nothing is published
unreviewed.

Rules, not a statistical model: the sentences of news on diplomacy are formulaic, and a
rule says why it fired, which is what a reviewer needs (the marker quotes it).
"""

from __future__ import annotations

import calendar
import datetime
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from factdb.coverage import split_sentences
from factdb.evidence import MONTHS, Mention, ascii_form, fold, numbers, referring_words, stated_dates
from factdb.formatting import canonical
from factdb.loading import Layout, iter_entity_files, load_source, read_json
from factdb.naming import slug_of
from factdb.quotes import Span
from factdb.validation import Registry, add_entities
from schema.dates import DateBounds
from schema.models import SLUG, EntityFile, FactFile
from schema.vocabulary import PREDICATES, Predicate


class Sentence(NamedTuple):
    span: Span
    text: str
    mentions: list[Mention]  # offsets within the sentence


@dataclass
class Drafted:
    """The facts and new entities proposed for one source, as JSON-ready dictionaries."""

    facts: list[dict[str, Any]] = field(default_factory=list)
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id


def sentences(registry: Registry, source_id: str) -> list[Sentence]:
    """The article's sentences (none of its excluded passages), each with the entities it names."""
    text = registry.text(source_id)
    excluded = [span for span, _ in registry.exclusions(source_id)]
    found = []
    for span in split_sentences(text):
        if any(span.start < other.end and other.start < span.end for other in excluded):
            continue
        piece = text[span.start : span.end]
        found.append(Sentence(span, piece, _mentions(registry, piece)))
    return found


def _mentions(registry: Registry, text: str) -> list[Mention]:
    """The entities a sentence names, without names inside a longer one ("Abe" in "Shinzo Abe");
    entities named by the very same words ("President": several countries' offices) are all kept."""
    kept: list[Mention] = []
    for mention in registry.names.mentions(text):
        inside = any(
            other.start <= mention.start and mention.end <= other.end and (other.start, other.end) != mention[1:3]
            for other in kept
        )
        if not inside or _also_kept(mention, kept, registry):
            kept.append(mention)
    return kept


def _also_kept(mention: Mention, kept: list[Mention], registry: Registry) -> bool:
    """A demonym inside an office's name still names its country ("Japanese Prime Minister")."""
    entity = registry.entities[mention.entity_id]
    return entity.type == "country" and any(registry.entities[other.entity_id].type == "office" for other in kept)


def draft(registry: Registry, source_id: str, published: DateBounds | None, taken: set[str]) -> Drafted:
    """The facts the source proposes; `taken`: fact ids already used (drafted ids avoid them).
    A fact proposed again by a later sentence (same predicate, entities and value) is one fact
    citing both."""
    drafted = Drafted()
    by_key: dict[tuple[Any, ...], dict[str, Any]] = {}
    memory = Memory()
    for sentence in sentences(registry, source_id):
        for fact in _facts_of(sentence, memory, registry, source_id, published):
            key = (fact["predicate"], fact["subject"], fact.get("object"), fact.get("text"), str(fact.get("quantity")))
            if key in by_key:
                by_key[key]["citations"] += fact["citations"]
                continue
            fact["id"] = _unique(fact.pop("_id"), taken)
            by_key[key] = fact
            drafted.facts.append(fact)
        memory.remember(sentence, registry)
        for entity in _new_names(sentence, registry):
            drafted.entities.setdefault(entity["id"], entity)
    for fact in drafted.facts:
        fact.pop("_id", None)
    return drafted


def _unique(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}-{number}", number + 1
    taken.add(candidate)
    return candidate


# --- One sentence --------------------------------------------------------------------


def _facts_of(
    sentence: Sentence, memory: Memory, registry: Registry, source_id: str, published: DateBounds | None
) -> Iterator[dict[str, Any]]:
    text, folded = sentence.text, fold(sentence.text).casefold()
    proposed: set[tuple[str, str, str | None]] = set()
    for triggered, trigger, at in _triggers(folded):
        roles = _roles(triggered, sentence, memory, at, registry)
        if roles is None:
            continue
        predicate, subject, obj = roles
        if (
            obj is not None
            and predicate.id in SYMMETRIC
            and _vietnamese(obj, registry) > _vietnamese(subject, registry)
        ):
            subject, obj = obj, subject  # the project's convention: Vietnam's side first
        key = (predicate.id, subject.entity_id, obj.entity_id if obj else None)
        if key in proposed:
            continue
        value = _value(predicate, text, at)
        if (predicate.value and value is None) or (predicate.id == "position_on" and ("stated", *key[1:]) in proposed):
            continue  # (a quotation is the speaker's statement, not also their position)
        proposed.add(key)
        yield _fact(predicate, trigger, subject, obj, value, sentence, registry, source_id, published)
    if not proposed:
        yield from _said_by_a_pair(sentence, memory, registry, source_id, published, proposed)
    yield from _offices(sentence, registry, source_id, published, proposed)


def _said_by_a_pair(
    sentence: Sentence,
    memory: Memory,
    registry: Registry,
    source_id: str,
    published: DateBounds | None,
    proposed: set[tuple[str, str, str | None]],
) -> Iterator[dict[str, Any]]:
    """ "The two leaders underlined ...", "They will speed up ...": whatever a pair says or will do
    together, with no trigger of its own, is what they agreed."""
    found = next(
        ((start, end, words) for start, end, words in referring_words(sentence.text) if _PLURAL.match(words)), None
    )
    if found is None or any(mention.start < found[0] for mention in sentence.mentions):
        return
    predicate = PREDICATES["agreed_with"]
    roles = _roles(predicate, sentence, memory, found[1], registry)
    text = sentence.text[found[1] :].strip(" .")
    if roles is None or roles[2] is None or len(text.split()) < 3:
        return
    _, subject, obj = roles
    proposed.add((predicate.id, subject.entity_id, obj.entity_id))
    yield _fact(predicate, found[2], subject, obj, text, sentence, registry, source_id, published)


class Role(NamedTuple):
    """An entity a fact names, and how the sentence names it: by its own words (mention), or by
    referring words ("the two leaders") that the sentence before (context) resolves."""

    entity_id: str
    words: str
    referent_words: str | None = None
    context: str | None = None


_PLURAL = re.compile(
    r"^(?:the|both|these)\b.*\b(?:leaders|sides|countries|nations|governments|ministers)$|^they$", re.I
)
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


def _roles(
    predicate: Predicate, sentence: Sentence, memory: Memory, at: int, registry: Registry
) -> tuple[Predicate, Role, Role | None] | None:
    def typed(mentions: list[Mention], types: tuple[str, ...]) -> list[Mention]:
        return [mention for mention in mentions if registry.entities[mention.entity_id].type in types]

    before = typed([m for m in sentence.mentions if m.end <= at], predicate.subject_types)
    after = typed([m for m in sentence.mentions if m.start >= at], predicate.object_types)
    referring = [words for start, _, words in referring_words(sentence.text) if start < at]
    plural = next((words for words in referring if _PLURAL.match(words)), None)
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


def _vietnamese(role: Role, registry: Registry) -> bool:
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
    if pronoun and not _PLURAL.match(pronoun[1]) and memory.person is not None:
        person, named_in = memory.person
        return predicate, Role(person.entity_id, person.words, pronoun[1], named_in.text), None
    return None


def _triggers(folded: str) -> Iterator[tuple[Predicate, str, int]]:
    """Each predicate whose trigger words (schema/vocabulary.py) the sentence holds, with the first
    that does and where: the trigger's place splits the subject's side from the object's."""
    for predicate in PREDICATES.values():
        for trigger in predicate.triggers:
            match = re.search(rf"(?<!\w){re.escape(trigger)}(?!\w)", folded)
            if match:
                yield predicate, trigger, match.start()
                break


# --- Values ----------------------------------------------------------------------------

_QUOTED = re.compile(r"[\"“]([^\"”]{12,})(?:[\"”]|$)")  # a quotation may close in a later sentence
_THAT = re.compile(r"\bthat\s+(.+)", re.IGNORECASE)
_CURRENCY = re.compile(r"\$|US\$|\bUSD\b|\bdollars?\b", re.IGNORECASE)
_APPROXIMATE = re.compile(r"\b(?:about|some|nearly|around|approximately|almost|roughly|over|more than)\s+$", re.I)


def _value(predicate: Predicate, text: str, at: int) -> dict[str, Any] | str | None:
    if predicate.value == "text":
        if predicate.text_is_quoted:
            quoted = _QUOTED.search(text)
            return quoted.group(1).strip(" ,") if quoted else None
        rest = text[at:]
        clause = _THAT.search(rest)
        words = (clause.group(1) if clause else rest.split(" ", 1)[-1]).strip().rstrip(".")
        if len(words.split()) < 3:  # "..., he said.": what was said comes first
            words = re.split(r",\s*[^,]*$", text[:at])[0].strip(' ,“”"')
        return words if len(words.split()) >= 3 else None
    if predicate.value == "quantity":
        found = [number for number in numbers(text) if not re.fullmatch(r"(?:19|20)\d\d", number.words)]
        if not found:
            return None
        number = found[0]
        after = text[number.end : number.end + 30]
        if _CURRENCY.search(text[max(0, number.start - 4) : number.end + 12]):
            unit = "USD"
        elif re.match(r"\s*(?:%|percent|per cent)", after):
            unit = "percent"
        else:
            word = re.match(r"\s*([A-Za-z-]+)", after)
            unit = word.group(1) if word else "units"
        approximately = bool(_APPROXIMATE.search(text[max(0, number.start - 20) : number.start]))
        quantity: dict[str, Any] = {"amount": number.value, "unit": unit}
        if approximately:
            quantity["approximately"] = True
        return quantity
    return None


# --- Dates -------------------------------------------------------------------------------

_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_RELATIVE = re.compile(
    r"\b(?:(?P<on>on|last|this)\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    rf"|(?P<last>last|in|this|next)\s+(?P<month>{'|'.join(name for name in MONTHS if len(name) > 3)})"
    r"|(?P<year>this|last|next) year)\b",
    re.IGNORECASE,
)


class DraftDate(NamedTuple):
    edtf: str
    reasoning: str | None  # None: the sentence states it in full


def draft_date(text: str, published: DateBounds | None) -> DraftDate | None:
    """The date a sentence gives: stated in full, or relative to the publication date with the
    precision that date allows (a weekday only against a publication day)."""
    stated = stated_dates(text)
    if stated:
        bounds = stated[0].bounds
        return DraftDate(_edtf(bounds), None)
    match = _RELATIVE.search(fold(text))
    if match is None or published is None or published.start is None or published.end is None:
        return None
    day = datetime.date.fromisoformat(published.end)
    exact_day = published.start == published.end
    said = match.group()
    if match["weekday"] and exact_day:
        back = (day.weekday() - _WEEKDAYS[match["weekday"].lower()]) % 7
        resolved = day - datetime.timedelta(days=back)
        return DraftDate(
            resolved.isoformat(), f"'{said}' in an article of {published.end}: the {match['weekday']} on or before it."
        )
    if match["month"]:
        month = MONTHS[match["month"].lower()]
        word = match["last"].lower()
        year = day.year - 1 if word == "last" or (word == "in" and month > day.month) else day.year
        year = day.year + 1 if word == "next" else year
        return DraftDate(f"{year:04d}-{month:02d}", f"'{said}' in an article of {published.end[:7]}: {year}.")
    if match["year"]:
        offset = {"this": 0, "last": -1, "next": 1}[match["year"].lower()]
        return DraftDate(str(day.year + offset), f"'{said}' in an article of {day.year}.")
    return None


def _edtf(bounds: DateBounds) -> str:
    start, end = bounds.start or "", bounds.end or ""
    if start == end:
        return start
    if start.endswith("-01-01") and end.endswith("-12-31") and start[:4] == end[:4]:
        return start[:4]
    if start[:7] == end[:7] and start.endswith("-01"):
        return start[:7]
    return f"{start}/{end}"


_FUTURE = re.compile(r"\b(?:will|shall|to be held|is to|are to|plans? to|next)\b", re.IGNORECASE)
_EXPECTED = re.compile(r"\b(?:expected|likely|could|may)\b", re.IGNORECASE)


# --- The fact ------------------------------------------------------------------------------


def _fact(
    predicate: Predicate,
    trigger: str,
    subject: Role,
    obj: Role | None,
    value: dict[str, Any] | str | None,
    sentence: Sentence,
    registry: Registry,
    source_id: str,
    published: DateBounds | None,
) -> dict[str, Any]:
    fact: dict[str, Any] = {"_id": _fact_id(subject.entity_id, predicate.id, obj.entity_id if obj else None, published)}
    fact["subject"], fact["predicate"] = subject.entity_id, predicate.id
    if obj:
        fact["object"] = obj.entity_id
    if isinstance(value, dict):
        fact["quantity"] = value
    elif isinstance(value, str):
        fact["text"] = value
    modality = "expected" if _EXPECTED.search(sentence.text) else "planned" if _FUTURE.search(sentence.text) else None
    date = draft_date(sentence.text, published)
    if date is None and published is not None and published.start:
        year = published.start[:4]
        date = DraftDate(
            year, f"No date in the sentence: the year of the article ({year}); check the text for a closer one."
        )
    if date is not None:
        fact["date"] = date.edtf
        if date.reasoning:
            fact["date_reasoning"] = date.reasoning
    if modality:
        fact["modality"] = modality
    citation: dict[str, Any] = {"source": source_id, "quote": sentence.text}
    referents = [
        {"entity": role.entity_id, "words": role.referent_words, "context": role.context}
        for role in (subject, obj)
        if role is not None and role.referent_words and role.context
    ]
    if referents:
        citation["referents"] = referents
    fact["citations"] = [citation]
    names = ", ".join(f"{role.entity_id} as {role.referent_words or role.words!r}" for role in (subject, obj) if role)
    fact["draft"] = (
        f"'{trigger}' suggests {predicate.id}; {names}"
        + (f"; the sentence before says who {referents[0]['words']!r} are" if referents else "")
        + ". Review every field against the quote, then delete this marker."
    )
    return fact


def _offices(
    sentence: Sentence, registry: Registry, source_id: str, published: DateBounds | None, proposed: set
) -> Iterator[dict[str, Any]]:
    """'Japanese Prime Minister Shinzo Abe': an office's name right before a person's."""
    predicate = PREDICATES["holds_office"]
    entities = registry.entities
    for person in sentence.mentions:
        if entities[person.entity_id].type != "person":
            continue
        # Offices named just before the person, nothing but a comma between; a bare title
        # ("President") names the office of several countries: the person's own is meant.
        titles = [
            m
            for m in sentence.mentions
            if entities[m.entity_id].type == "office"
            and not sentence.text[m.end : person.start].strip(" ,")
            and m.end <= person.start
        ]
        country = entities[person.entity_id].country
        office = next((m for m in titles if entities[m.entity_id].country == country), titles[0] if titles else None)
        if office is not None:
            key = (predicate.id, person.entity_id, office.entity_id)
            if key not in proposed:
                proposed.add(key)
                yield _fact(
                    predicate,
                    office.words,
                    Role(person.entity_id, person.words),
                    Role(office.entity_id, office.words),
                    None,
                    sentence,
                    registry,
                    source_id,
                    published,
                )


def _fact_id(subject: str, predicate: str, obj: str | None, published: DateBounds | None) -> str:
    parts = [subject.partition(":")[2], predicate.replace("_", "-")]
    if obj:
        parts.append(obj.partition(":")[2])
    if published and published.start:
        parts.append(published.start[:4])
    slug = re.sub(r"-+", "-", "-".join(parts))[:100].strip("-")
    assert re.fullmatch(SLUG, slug)
    return slug


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
    | {name.title() for name in _WEEKDAYS}
)


def _new_names(sentence: Sentence, registry: Registry) -> Iterator[dict[str, Any]]:
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


# --- The command ---------------------------------------------------------------------------


class DraftError(Exception):
    """Why a source cannot be drafted (unknown, or its record or text unusable)."""


def draft_file(root: Path, source_id: str, output: Path | None) -> tuple[Path, int]:
    """Draft the source's facts into `output` (default facts/SOURCE_ID.json), after the facts
    already there, which are kept as they are; a drafted fact saying what one there says (same
    predicate, subject and object) is left out. Returns the file and how many were added."""
    layout = Layout(root)
    record_path = layout.sources / f"{source_id}.json"
    if not record_path.exists():
        known = ", ".join(path.stem for path in layout.source_records())
        raise DraftError(f"unknown source {source_id!r} (sources: {known})")
    loaded = load_source(record_path, root)
    if loaded.record is None:
        problems = "; ".join(problem.message for problem in loaded.report.problems)
        raise DraftError(f"sources/{source_id}.json cannot be used: {problems} (run `python build.py check`)")
    registry = Registry(layout)
    registry.add_source(loaded.record)
    add_entities(registry, list(iter_entity_files(root)))
    # Proposed entities still awaiting review are not names to draft facts with.
    registry.entities = {key: entity for key, entity in registry.entities.items() if entity.draft is None}
    target = output or layout.facts / f"{source_id}.json"
    document: dict[str, Any] = {"$schema": "../schema/facts.schema.json", "facts": []}
    if target.exists():
        existing, report = read_json(target, root)
        if not isinstance(existing, dict) or not isinstance(existing.get("facts"), list):
            raise DraftError(f"{target}: cannot add to it ({'; '.join(p.message for p in report.problems)})")
        document = existing
    said = {(fact.get("predicate"), fact.get("subject"), fact.get("object")) for fact in document["facts"]}
    taken = {fact.get("id") for fact in document["facts"]} | _fact_ids(root)
    published = registry.published.get(source_id)
    drafted = draft(registry, source_id, published, taken)
    added = [fact for fact in drafted.facts if (fact["predicate"], fact["subject"], fact.get("object")) not in said]
    document["facts"] = [*document["facts"], *added]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(canonical(document, FactFile), encoding="utf-8")
    _write_entities(root, source_id, drafted.entities)
    return target, len(added)


def _write_entities(root: Path, source_id: str, proposed: dict[str, dict[str, Any]]) -> Path | None:
    """The names the registry lacks, as draft entries of facts/entities/draft-SOURCE_ID.json (kept
    apart so that a reviewer moves each, once checked, to the file of its type)."""
    path = Layout(root).entities / f"draft-{source_id}.json"
    document: dict[str, Any] = {"$schema": "../../schema/entities.schema.json", "entities": []}
    if path.exists():
        existing, _ = read_json(path, root)
        if isinstance(existing, dict) and isinstance(existing.get("entities"), list):
            document = existing
    known = {entity.get("id") for entity in document["entities"] if isinstance(entity, dict)}
    new = [entity for entity_id, entity in proposed.items() if entity_id not in known]
    if not new:
        return None
    document["entities"] = [*document["entities"], *new]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(canonical(document, EntityFile), encoding="utf-8")
    return path


def _fact_ids(root: Path) -> set[str]:
    """Every fact id of the project (a drafted id must be new everywhere)."""
    ids: set[str] = set()
    for path in Layout(root).fact_files():
        document, _ = read_json(path, root)
        if isinstance(document, dict) and isinstance(document.get("facts"), list):
            ids |= {
                fact["id"] for fact in document["facts"] if isinstance(fact, dict) and isinstance(fact.get("id"), str)
            }
    return ids
