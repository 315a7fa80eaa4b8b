"""The facts an article proposes, sentence by sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from factdb.drafting.frameworks import new_frameworks
from factdb.drafting.names import new_names
from factdb.drafting.offices import new_offices
from factdb.drafting.reading import Sentence, sentence_of, sentences
from factdb.drafting.roles import (
    BETWEEN,
    PLURAL,
    SPEECH,
    Memory,
    Role,
    abroad,
    host_country,
    is_vietnamese,
    rankings,
    read_ahead,
    referred_to,
    roles_of,
    triggers,
)
from factdb.drafting.values import EXPECTED, FUTURE, DraftDate, actions, counted_back, draft_date, value_of
from factdb.evidence import Mention, fold
from factdb.quotes import Span
from factdb.validation import Registry
from schema.dates import DateBounds, date_bounds
from schema.models import SLUG
from schema.vocabulary import PREDICATES, Predicate


@dataclass
class Drafted:
    """The facts and new entities proposed for one source, as JSON-ready dictionaries."""

    facts: list[dict[str, Any]] = field(default_factory=list)
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id


def draft(registry: Registry, source_id: str, published: DateBounds | None, taken: set[str]) -> Drafted:
    """The facts the source proposes; `taken`: fact ids already used (drafted ids avoid them).
    A fact proposed again by a later sentence (same predicate, entities and value) is one fact
    citing both."""
    drafted = Drafted()
    by_key: dict[tuple[Any, ...], dict[str, Any]] = {}
    read = sentences(registry, source_id)
    memory = read_ahead(read, registry)
    remark: tuple[dict[str, Any], Sentence] | None = None  # the last sentence's remark, and that sentence
    for sentence in read:
        found = list(proposals(sentence, memory, registry, source_id, published))
        # A remark goes on into one sentence at most: the quote of a second would not name the speaker.
        said_here = next(
            (
                (fact, sentence)
                for fact in found
                if fact["predicate"] in _REMARKS and fact["subject"].startswith("person:")
            ),
            None,
        )
        if remark is not None and all(fact["predicate"] == "holds_office" for fact in found):
            found += _continued(*remark, sentence, registry, source_id, published)
        remark = said_here
        for fact in found:
            key = (fact["predicate"], fact["subject"], fact.get("object"), fact.get("text"))
            key += (str(fact.get("quantity")), str(fact.get("qualifiers")))
            if key in by_key:
                by_key[key]["citations"] += fact["citations"]
                continue
            fact["id"] = _unique(fact.pop("_id"), taken)
            by_key[key] = fact
            drafted.facts.append(fact)
        memory.remember(sentence, registry)
        for entity in new_names(sentence, registry, drafted.entities):
            drafted.entities.setdefault(entity["id"], entity)
        for entity in new_offices(sentence, registry, drafted.entities, source_id):
            drafted.entities.setdefault(entity["id"], entity)
        for entity in new_frameworks(sentence, memory, registry, source_id, drafted.entities):
            drafted.entities.setdefault(entity["id"], entity)
    return drafted


def _fits(predicate: Predicate, subject: Role, obj: Role | None, registry: Registry) -> bool:
    """Whether the subject and object are of types the predicate takes."""
    types = registry.entities
    return types[subject.entity_id].type in predicate.subject_types and (
        obj is None or types[obj.entity_id].type in predicate.object_types
    )


def _unique(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}-{number}", number + 1
    taken.add(candidate)
    return candidate


# --- One sentence --------------------------------------------------------------------


def proposals(
    sentence: Sentence, memory: Memory, registry: Registry, source_id: str, published: DateBounds | None
) -> Iterator[dict[str, Any]]:
    """The facts one sentence proposes, given what the article named before it (`memory`)."""
    text, folded = sentence.text, fold(sentence.text).casefold()
    proposed: set[tuple[str, str, str | None]] = set()
    for triggered, places in triggers(folded):
        # The first place the predicate's words propose something ("economic-trade connections
        # remain modest ... the two countries' trade has grown": the second), or every place, of an
        # anniversary ("the 50th anniversary of diplomatic ties, and the 10th anniversary of ...").
        placed = (
            (trigger, start, found)
            for trigger, start, end in places
            if (found := abroad(roles_of(triggered, sentence, memory, (start, end), registry), registry))
        )
        for trigger, at, roles in placed if triggered.id in _EACH_PLACE else islice(placed, 1):
            for predicate, subject, obj in roles:
                if (
                    obj is not None
                    and predicate.id in BETWEEN
                    and is_vietnamese(obj, registry) > is_vietnamese(subject, registry)
                ):
                    subject, obj = obj, subject  # the project's convention: Vietnam's side first
                place = None
                if predicate.id == "visited" and obj is not None and (country := host_country(obj, memory, registry)):
                    place, obj = obj, country  # the project's convention: the country visited, the city as place
                key = (predicate.id, subject.entity_id, obj.entity_id if obj else None)
                if key in proposed or not _fits(predicate, subject, obj, registry):
                    continue  # (nor one of a type it does not take: "support each other", turned round)
                value = value_of(predicate, text, at, trigger)
                if (predicate.value and value is None) or (
                    predicate.id == "position_on" and ("stated", *key[1:]) in proposed
                ):
                    continue  # (a quotation is the speaker's statement, not also their position)
                proposed.add(key)
                fact = _fact(
                    predicate, trigger, subject, obj, value, sentence, registry, source_id, published, place, at
                )
                if predicate.id == "ranks_as_partner_of":
                    # "the largest trade partner, largest export market and the second largest importer
                    # of Vietnam": one ranking each, the same two countries.
                    for ranking in rankings(sentence.text, [place for place in places if place[1] >= at]):
                        yield {**fact, "qualifiers": ranking}
                elif predicate.id in _LISTED and isinstance(value, str):
                    # "agreed to open the market ..., exempt ... from testing, and reopen border gates":
                    # one agreement each.
                    for action in actions(value):
                        yield {**fact, "text": action}
                else:
                    yield fact
    if not proposed:
        yield from _said_by_a_pair(sentence, memory, registry, source_id, published, proposed)
    yield from _offices(sentence, registry, source_id, published, proposed)
    yield from _visits_abroad(sentence, memory, registry, source_id, published, proposed)


# Predicates whose every place in a sentence is a fact of its own.
_EACH_PLACE = {"anniversary"}
# What one or two parties agree, promise or ask, of which a sentence may list several.
_LISTED = {"agreed_with", "committed_to", "pledged_to", "requested"}


# What a pair says, wants or will do ("The two leaders underlined ...", "They will ...", "They
# reached a consensus ..."), not what they did ("They also attended the opening ceremony").
_SAYING = {
    *(
        trigger.rstrip(":")
        for predicate in ("position_on", "stated", "agreed_with", "committed_to", "pledged_to", "requested")
        for trigger in PREDICATES[predicate].triggers
    ),
    *("will", "would", "should", "shall", "must", "can", "could", "are to", "pointed to", "reached", "shared"),
    *("exchanged", "expressed", "reaffirmed", "vowed", "lauded", "praised", "valued", "applauded", "hoped"),
    *("wished", "looked forward", "discussed", "acknowledged", "recognised", "recognized", "underscored"),
    *("celebrated",),
}
_SAYS = re.compile(
    r",?\s+(?:(?:also|jointly|both|further|again|then|later)\s+)*(?:"
    + "|".join(re.escape(words) for words in sorted(_SAYING, key=len, reverse=True))
    + r")(?!\w)"
)


def _said_by_a_pair(
    sentence: Sentence,
    memory: Memory,
    registry: Registry,
    source_id: str,
    published: DateBounds | None,
    proposed: set[tuple[str, str, str | None]],
) -> Iterator[dict[str, Any]]:
    """ "The two leaders underlined ...", "They will speed up ...": whatever a pair says or will do
    together, with no trigger of its own, is what they agreed (not what they did: "They also
    attended ...")."""
    found = next(((start, end, words) for start, end, words in referred_to(sentence) if PLURAL.match(words)), None)
    if found is None or any(mention.start < found[0] for mention in sentence.mentions):
        return
    if not _SAYS.match(fold(sentence.text).lower(), found[1]):
        return
    predicate = PREDICATES["agreed_with"]
    roles = roles_of(predicate, sentence, memory, (found[1], found[1]), registry)
    text = sentence.text[found[1] :].strip(" .")
    if not roles or roles[0][2] is None or len(text.split()) < 3:
        return
    _, subject, obj = roles[0]
    proposed.add((predicate.id, subject.entity_id, obj.entity_id))
    yield _fact(predicate, found[2], subject, obj, text, sentence, registry, source_id, published)


# What a person says, that the next sentence may go on with.
_REMARKS = {"position_on", "stated"}


def _continued(
    remark: dict[str, Any],
    before: Sentence,
    sentence: Sentence,
    registry: Registry,
    source_id: str,
    published: DateBounds | None,
) -> Iterator[dict[str, Any]]:
    """A sentence that proposes nothing right after a person's remark, naming no one of its own
    ("Jan Zahradil stated that ... . Once taking effect, the agreement will stimulate ..."), goes
    on with the remark: the speaker's position, citing both sentences, since only the first names
    the speaker."""
    named = [m for m in sentence.mentions if registry.entities[m.entity_id].type == "person"]
    if named or referred_to(sentence) or len(sentence.text.split()) < 6:
        return
    start, end = before.span.start, sentence.span.end
    passage = sentence_of(registry, " ".join(registry.text(source_id)[start:end].split()), Span(start, end), source_id)
    speaker = next(
        (
            Role(remark["subject"], referent["words"], referent["words"], referent["context"])
            for referent in remark["citations"][0].get("referents", ())
            if referent["entity"] == remark["subject"]
        ),
        Role(remark["subject"], remark["subject"]),
    )
    fact = _fact(
        PREDICATES["position_on"], "", speaker, None, sentence.text.strip(" ."), passage, registry, source_id, published
    )
    fact["draft"] = (
        f"no words of its own suggest a fact: the sentence goes on with {remark['subject']}'s remark in the one "
        "before, so it is cited with it. Review every field against the quote, then delete this marker."
    )
    yield fact


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
    place: Role | None = None,
    at: int = 0,
) -> dict[str, Any]:
    """The fact, its trigger at `at` in the sentence (the date nearest after it is the fact's)."""
    fact: dict[str, Any] = {"_id": _fact_id(subject.entity_id, predicate.id, obj.entity_id if obj else None, published)}
    fact["subject"], fact["predicate"] = subject.entity_id, predicate.id
    if obj:
        fact["object"] = obj.entity_id
    if place:
        fact["place"] = place.entity_id
    if isinstance(value, dict):
        fact["quantity"] = value
    elif isinstance(value, str):
        fact["text"] = value
    modality = None
    if predicate.id not in SPEECH:  # what was said was said, whatever it plans ("next year")
        modality = "expected" if EXPECTED.search(sentence.text) else "planned" if FUTURE.search(sentence.text) else None
    # An anniversary falls in its year, whether still to come or not ("the 50th anniversary ... in 2023").
    ahead = modality is not None or predicate.id == "anniversary"
    date = draft_date(sentence.text, published, ahead=ahead, at=at)
    later = date is not None and published is not None and _after(date.edtf, published)
    if later and not ahead:
        date = None  # ("I look forward to ... next year": what it looks to, not when it was said)
    elif later and modality is None:
        modality = "planned"
    if date is None and published is not None and published.start:
        year = published.start[:4]
        date = DraftDate(
            year, f"No date in the sentence: the year of the article ({year}); check the text for a closer one."
        )
    if date is not None and predicate.id == "diplomatic_relations_with":
        date = counted_back(sentence.text, date) or date
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
        + (f"; the referent's context passage says whom {referents[0]['words']!r} stands for" if referents else "")
        + ". Review every field against the quote, then delete this marker."
    )
    return fact


# Between an office and its holder's name: a comma, the office's abbreviation, military ranks
# ("Chairman of the National Assembly (NA) X", "Defence Minister Sen. Lieut. Gen X").
_ABBREVIATION = re.compile(
    r"[\s,]*(?:\([A-Z][A-Za-z]{0,7}\)[\s,]*)?"
    r"(?:(?:Sen|Senior|Lieut|Lieutenant|Lt|Gen|General|Col|Colonel|Maj|Major|Brig)\.?\s+)*"
)
_AND = re.compile(r"\s+and\s+(?:[A-Z][\w.-]*\s+){0,2}")  # ("... Secretary and State President X")
_APPOSITION = re.compile(r",\s+(?:the\s+)?")


def _offices(
    sentence: Sentence, registry: Registry, source_id: str, published: DateBounds | None, proposed: set
) -> Iterator[dict[str, Any]]:
    """'Japanese Prime Minister Shinzo Abe': an office's name right before a person's."""
    predicate = PREDICATES["holds_office"]
    entities = registry.entities
    for person in sentence.mentions:
        if entities[person.entity_id].type != "person":
            continue
        # Offices named just before the person, nothing but a comma or the office's abbreviation
        # between ("Chairman of the National Assembly (NA) Vuong Dinh Hue"); a bare title
        # ("Prime Minister") names the office of several countries: the person's own is meant,
        # and another country's is none of theirs ("Prime Minister Albanese" of Australia).
        offices = [m for m in sentence.mentions if entities[m.entity_id].type == "office"]
        before = [m for m in offices if m.end <= person.start]
        titles = [m for m in before if _ABBREVIATION.fullmatch(sentence.text, m.end, person.start)]
        # or set off after the name by a comma ("Jan Zahradil, Vice Chair of the Committee ..."),
        # unless it is the title of the next name ("Xi Jinping, Premier Li Keqiang")
        people = [m for m in sentence.mentions if entities[m.entity_id].type == "person"]
        titles += [
            m
            for m in offices
            if m.start >= person.end
            and _APPOSITION.fullmatch(sentence.text, person.end, m.start)
            and not any(
                _ABBREVIATION.fullmatch(sentence.text, m.end, other.start) for other in people if other.start >= m.end
            )
        ]
        # and those joined to them by "and" ("State Counsellor and Defence Minister Wei Fenghe")
        for office in [*before[::-1], *offices]:
            joined = any(
                _AND.fullmatch(sentence.text, office.end, t.start) or _AND.fullmatch(sentence.text, t.end, office.start)
                for t in titles
            )
            if office not in titles and joined:
                titles.append(office)
        # Of a person whose country is unknown, only an office named with its country ("Japanese
        # Prime Minister"), not a bare title ("Prime Minister") that it may share with other offices.
        country = entities[person.entity_id].country
        fitting = [
            m
            for m in titles
            if entities[m.entity_id].country in (country, None)
            or (country is None and _with_country(m, sentence, registry))
        ]
        # Of the offices one title's words name ("Prime Minister"), the person's country's.
        by_words: dict[tuple[int, int], list[Mention]] = {}
        for office in fitting:
            by_words.setdefault((office.start, office.end), []).append(office)
        for named in by_words.values():
            office = next((m for m in named if entities[m.entity_id].country == country), named[0])
            key = (predicate.id, person.entity_id, office.entity_id)
            if key in proposed:
                continue
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


# Where a place is where something happens: "in Hanoi", "at Hoanh Mo border gate", "in the
# northern port city of Haiphong".
_IN_A_PLACE = re.compile(r"(?<!\w)(?:in|at)\s+(?:the\s+(?:[\w-]+\s+){0,3}?of\s+)?$", re.I)


_ENVOY = re.compile(r"(?<!\w)(?:ambassador|envoy|charge d'affaires|consul)(?!\w)", re.I)


def _visits_abroad(
    sentence: Sentence,
    memory: Memory,
    registry: Registry,
    source_id: str,
    published: DateBounds | None,
    proposed: set,
) -> Iterator[dict[str, Any]]:
    """A person of one country in a place of another ("Giang attended the exchange in Dongxing
    city", of China; "Hue hosted a reception in Hanoi for Jan Zahradil", of the EU): a visit to
    that country, with the place, though no word says "visit"."""
    entities = registry.entities
    # Only the sentence's actors (not "a letter from ... Raul Castro"), and no ambassador: being
    # in the country of their posting is no visit.
    actors = {entity for predicate, *roles in proposed if predicate != "holds_office" for entity in roles}
    envoys = {m.entity_id for m in sentence.mentions if _ENVOY.search(sentence.text, max(0, m.start - 40), m.start)}
    for place in sentence.mentions:
        host = entities[place.entity_id]
        if host.type != "place" or host.country is None or not _IN_A_PLACE.search(sentence.text, 0, place.start):
            continue
        country = host_country(Role(place.entity_id, place.words), memory, registry)
        if country is None:
            continue  # (the article names the country nowhere: no sentence says what the city is of)
        for person in sentence.mentions:
            visitor = entities[person.entity_id]
            key = ("visited", person.entity_id, host.country)
            if (
                visitor.type != "person"
                or visitor.country in (None, host.country)
                or person.entity_id not in actors - envoys
                or key in proposed
            ):
                continue
            proposed.add(key)
            fact = _fact(
                PREDICATES["visited"],
                place.words,
                Role(person.entity_id, person.words),
                country,
                None,
                sentence,
                registry,
                source_id,
                published,
                Role(place.entity_id, place.words),
                place.start,
            )
            fact["draft"] = (
                f"{person.entity_id} (of {visitor.country}) {sentence.text[place.start - 3 : place.end].strip()!r}, "
                f"a place of {host.country}: a visit there, though no word says so. Review every field against "
                "the quote, then delete this marker."
            )
            yield fact


def _after(edtf: str, published: DateBounds) -> bool:
    """Whether a date starts after the article was published (what it reports had happened by then)."""
    return bool(published.end) and date_bounds(edtf).start > published.end


def _with_country(office: Mention, sentence: Sentence, registry: Registry) -> bool:
    """Whether the office's words name its country, in them or right before them."""
    country = registry.entities[office.entity_id].country
    return any(
        m.entity_id == country
        and (
            office.start <= m.start < office.end
            or (m.end <= office.start and not sentence.text[m.end : office.start].strip())
        )
        for m in sentence.mentions
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
