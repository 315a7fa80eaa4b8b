"""Rules that span files: references, the predicate vocabulary, quotes, duplicates.

A single file is validated by its pydantic model when it is loaded; what a
file cannot know alone (does this entity exist, is this quote really in that
source, is this fact id used twice) is checked here, and every breach is
reported as a Problem at the exact field.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from factdb.datadiff import changed_since_head
from factdb.evidence import EntityNames
from factdb.grounding import ENTITY_ROLES, Grounded, ground
from factdb.loading import Layout, Loaded, LoadedSource, Rejected, read_project_file
from factdb.naming import proposed_entry
from factdb.problems import FileProblems, Loc, Problem
from factdb.quotes import NormalisedText, Span, find_quote, normalise, why_not_found, word_count
from schema.dates import DateBounds, date_bounds
from schema.models import Entity, EntityFile, Exclusion, Fact, Referent, Source
from schema.vocabulary import ENTITY_TYPES, PREDICATES, QUALIFIERS, Predicate


class ResolvedCitation(NamedTuple):
    source: str
    quote: str
    spans: list[Span]
    referents: tuple[Referent, ...] = ()


class ResolvedFact(NamedTuple):
    """A fact that passed every check, with what the database needs beside it."""

    fact: Fact
    file: str
    date: DateBounds | None
    citations: list[ResolvedCitation]
    grounding: list[Grounded]


# Facts of a file mostly cite the same few sources; in a large corpus the others are
# almost never in any cache, so a larger one would only hold more memory.
SOURCE_CACHE = 64


class PreparedSource(NamedTuple):
    text: NormalisedText
    exclusions: list[tuple[Span, Exclusion]]  # where each excluded passage lies
    furniture: list[Span]  # those that are not part of the article: quotes must avoid them


@dataclass
class Registry:
    """What facts may refer to: the archived sources and the entities.

    A source is its id, its exclusions and its text on disk; no object per source is
    kept. Worker processes share the registry with this one (forked), and reading an
    object writes its reference count, which copies its memory page into the reader:
    ids in a set are compared, never referenced, so the sources cost each worker nothing.
    """

    layout: Layout
    sources: set[str] = field(default_factory=set)
    # Sources and entities that exist but cannot be used (an entity its model refused, a source
    # record with no readable text): their own errors say so, once; what names one is not also
    # told at each use that it is unknown. (A refused record whose text can be read is among the
    # sources: quotes are checked against its text, without its exclusions.)
    broken_sources: set[str] = field(default_factory=set)
    broken_entities: set[str] = field(default_factory=set)
    excluded: dict[str, tuple[Exclusion, ...]] = field(default_factory=dict)  # of the sources that have any
    published: dict[str, DateBounds] = field(default_factory=dict)  # of the sources whose date is known
    entities: dict[str, Entity] = field(default_factory=dict)
    # Each entity that is a country or belongs to one, and that country (asked of every fact).
    country_of: dict[str, str] = field(default_factory=dict)
    _prepared: dict[str, PreparedSource] = field(default_factory=dict)

    def add_source(self, record: Source) -> None:
        self.sources.add(record.id)
        if record.excluded:
            self.excluded[record.id] = tuple(record.excluded)
        if record.published:
            self.published[record.id] = date_bounds(record.published)

    def add_loaded(self, source: LoadedSource) -> None:
        """A source as loaded: usable, or cited against its text alone (its record refused), or
        broken (no readable text: its own errors say so)."""
        if source.record is not None:
            self.add_source(source.record)
        elif source.text:
            self.sources.add(source.id)
        else:
            self.broken_sources.add(source.id)

    @functools.cached_property
    def names(self) -> EntityNames:
        """Where texts name the entities (made once the registry is complete, when first asked)."""
        return EntityNames(self.entities)

    def prepared(self, source_id: str) -> PreparedSource:
        """A source's normalised text and where its exclusions lie; the most recently used
        sources are kept (facts of a file mostly cite the same few), so memory stays flat
        however many sources there are."""
        prepared = self._prepared.pop(source_id, None)
        if prepared is None:
            # Read when needed rather than kept: a million facts' sources are a few hundred
            # megabytes of text, and every worker process would hold its own copy.
            text = NormalisedText(self.text(source_id))
            exclusions = []
            for exclusion in self.excluded.get(source_id, ()):
                spans = find_quote(exclusion.text, text)
                if spans:
                    end = len(text.original) if exclusion.to_end else spans[-1].end
                    exclusions.append((Span(spans[0].start, end), exclusion))
            furniture = [span for span, exclusion in exclusions if exclusion.kind == "not_part_of_article"]
            prepared = PreparedSource(text, exclusions, furniture)
            if len(self._prepared) >= SOURCE_CACHE:
                del self._prepared[next(iter(self._prepared))]
        self._prepared[source_id] = prepared  # (re)inserted last: dicts keep insertion order
        return prepared

    def normalised(self, source_id: str) -> NormalisedText:
        return self.prepared(source_id).text

    def text(self, source_id: str) -> str:
        """A source's archived text as stored, byte for byte (read again unless prepared recently)."""
        prepared = self._prepared.get(source_id)
        if prepared:
            return prepared.text.original
        return read_project_file(self.layout.source_text(source_id), self.layout.root).decode("utf-8")

    def exclusions(self, source_id: str) -> list[tuple[Span, Exclusion]]:
        """Where each excluded passage of a source lies (to the end of the text for to_end)."""
        if source_id not in self.excluded:
            return []  # most sources: no need to prepare (normalise) the text
        return self.prepared(source_id).exclusions

    def suggest(self, wanted: str, options: Iterable[str]) -> str:
        return did_you_mean(wanted, options)


def _words(text: str) -> set[str]:
    return set(re.split(r"[^a-z0-9]+", text.lower())) - {""}


def did_you_mean(wanted: str, options: Iterable[str]) -> str:
    """Up to three likely intended names: close spellings first, then names sharing words.

    Spelling alone misleads on compound names ('met_with' is spelt like 'trade_with' but
    means 'met'), so a shared word counts as much as a near spelling. Entity ids are told
    apart by their slugs only (see _close_entities).
    """
    kind, colon, slug = wanted.partition(":")
    if colon and kind in ENTITY_TYPES:
        guesses = _close_entities(kind, slug, options)
    else:
        guesses = _best({option: _likeness(wanted, option) for option in options}, 0.6)
    if not guesses:
        return ""
    return "; did you mean " + " or ".join(repr(guess) for guess in guesses) + "?"


def _likeness(wanted: str, option: str) -> float:
    spelling = difflib.SequenceMatcher(None, wanted, option).ratio()
    shared = _words(wanted) & _words(option)
    overlap = len(shared) / len(_words(wanted) | _words(option)) if shared else 0.0
    return max(spelling, overlap + 0.3 if shared - {"with", "of", "to"} else overlap)


def _close_entities(kind: str, slug: str, options: Iterable[str]) -> list[str]:
    """The entity ids a contributor most likely meant: the same slug under another type, else ids of
    the same type whose slug is spelt nearly alike or names a part of it ('abe' of 'shinzo-abe').

    The type prefix is left out of the spelling ('country:' made 'country:russia' look like
    'country:australia'), and so is a shared word alone: Vietnamese names share 'nguyen' or 'van'
    without being the same person, and a new entity must not be mistaken for a typo.
    """
    ids = list(options)  # read twice
    same_slug = [option for option in ids if option.partition(":")[2] == slug]
    if same_slug:
        return sorted(same_slug)[:3]
    words = set(slug.split("-"))
    scores: dict[str, float] = {}
    for option in ids:
        option_kind, _, option_slug = option.partition(":")
        if option_kind == kind:
            part = words <= set(option_slug.split("-")) or set(option_slug.split("-")) <= words
            scores[option] = max(difflib.SequenceMatcher(None, slug, option_slug).ratio(), 0.8 if part else 0.0)
    return _best(scores, 0.8)


def _best(scores: dict[str, float], floor: float) -> list[str]:
    """Up to three options scoring at least floor and near the best."""
    ranked = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
    best = ranked[0][1] if ranked else 0.0
    return [option for option, value in ranked[:3] if value >= max(floor, best - 0.1)]


def check_exclusions(source: LoadedSource) -> None:
    """Every excluded passage of a source record must occur in its text."""
    assert source.record is not None
    if not source.record.excluded:
        return  # most sources: no text to normalise
    text = NormalisedText(source.text)
    for index, exclusion in enumerate(source.record.excluded):
        if find_quote(exclusion.text, text) is None:
            reason = why_not_found(exclusion.text, text, "passage")
            source.report.add(("excluded", index, "text"), f"passage does not occur in the archived text; {reason}")


class Fingerprint(NamedTuple):
    """What tells archived texts apart: the SHA-256 of the text, and of its normalised form."""

    exact: str
    normalised: str


def fingerprint(text: str) -> Fingerprint:
    return Fingerprint(hashlib.sha256(text.encode()).hexdigest(), hashlib.sha256(normalise(text).encode()).hexdigest())


@dataclass
class ArchivedTexts:
    """Each article archived once. Two records of one text (byte for byte, or but for white space and
    quote marks, as when a page is saved twice) would let an article corroborate itself, and split
    its facts and its coverage between two ids."""

    root: Path
    _first: dict[str, tuple[str, str]] = field(default_factory=dict)  # normalised digest -> record, exact digest

    def add(self, source: LoadedSource, text: Fingerprint) -> list[Problem]:
        """Note a record's text. When another record has it already, the error on this record goes
        in its report, and the one on the other record is returned: both are marked, since in a pull
        request either may be the new one."""
        first, exact = self._first.setdefault(text.normalised, (source.report.path, text.exact))
        if first == source.report.path:
            return []
        how = "identical to" if exact == text.exact else "the same (but for white space or quote marks) as"
        advice = "the same article is archived twice: keep one record, and cite it in every fact"
        source.report.add(("sha256",), f"its text is {how} the text of {first}: {advice}")
        there = FileProblems(first, _read_again(self.root, first))
        there.add(("sha256",), f"its text is {how} the text of {source.report.path}: {advice}")
        return there.problems


def _outside_article(spans: list[Span], exclusions: list[tuple[Span, Exclusion]]) -> Exclusion | None:
    """The not-part-of-article exclusion a quote overlaps, if any."""
    for excluded, exclusion in exclusions:
        overlaps = any(span.start < excluded.end and excluded.start < span.end for span in spans)
        if exclusion.kind == "not_part_of_article" and overlaps:
            return exclusion
    return None


def add_entities(registry: Registry, files: list[Loaded[EntityFile]]) -> None:
    """Fill the registry (and note the entities their model refused), then check what entities
    refer to (sources of aliases, countries)."""
    first: dict[str, tuple[FileProblems, int]] = {}  # where each entity is defined first
    for loaded in files:
        for index, entity in loaded.items:
            if entity.id not in registry.entities:
                registry.entities[entity.id] = entity
                first[entity.id] = (loaded.report, index)
                continue
            # Mark both definitions, as for fact ids: in a pull request either may be the new one.
            there, there_index = first[entity.id]
            loaded.report.add(
                ("entities", index, "id"),
                f"entity {entity.id!r} is already defined in {there.path}: ids must be unique",
            )
            there.add(
                ("entities", there_index, "id"),
                f"entity {entity.id!r} is defined again in {loaded.report.path}: ids must be unique",
            )
    refused = {rejected.text_field("entities", "id") for loaded in files for rejected in loaded.rejected}
    registry.broken_entities |= {entity_id for entity_id in refused if entity_id and entity_id not in registry.entities}
    for loaded in files:
        for index, entity in loaded.items:
            if entity.draft is not None:
                loaded.report.add(
                    ("entities", index, "draft"),
                    f"entity {entity.id!r} is a draft proposed by `build.py draft` ({entity.draft}): check its "
                    'type, name and country, then delete "draft" to accept it',
                )
            country_known = _check_entity_references(registry, loaded.report, index, EntityReferences.of(entity))
            if country_known and (country_of := entity.id if entity.type == "country" else entity.country):
                registry.country_of[entity.id] = country_of
        # What an entity its model refused names is checked too, by the same rules: its errors
        # then come in the same run as the model's.
        for rejected in loaded.rejected:
            _check_entity_references(registry, loaded.report, rejected.index, EntityReferences.of_rejected(rejected))


class EntityReferences(NamedTuple):
    """What an entity names in other files: its country and its aliases' sources (with each
    alias's index). Of an entity its model refused, only what it did not refuse."""

    country: str | None
    alias_sources: list[tuple[int, str]]

    @classmethod
    def of(cls, entity: Entity) -> EntityReferences:
        sources = [(number, alias.source) for number, alias in enumerate(entity.aliases) if alias.source]
        return cls(entity.country, sources)

    @classmethod
    def of_rejected(cls, rejected: Rejected) -> EntityReferences:
        aliases = rejected.entry.get("aliases") if isinstance(rejected.entry, dict) else None
        sources = [
            (number, alias["source"])
            for number, alias in enumerate(aliases if isinstance(aliases, list) else [])
            if isinstance(alias, dict)
            and isinstance(alias.get("source"), str)
            and ("entities", rejected.index, "aliases", number, "source") not in rejected.invalid
        ]
        return cls(rejected.text_field("entities", "country"), sources)


def _check_entity_references(
    registry: Registry, report: FileProblems, index: int, references: EntityReferences
) -> bool:
    """The rules on what an entity names: its aliases' sources exist and its country is one.
    Returns whether its country (if any) is one."""
    country = references.country
    for number, source in references.alias_sources:
        if source not in registry.sources and source not in registry.broken_sources:
            hint = registry.suggest(source, registry.sources)
            report.add(("entities", index, "aliases", number, "source"), f"unknown source {source!r}{hint}")
    found = registry.entities.get(country) if country else None
    if country and country not in registry.broken_entities and (found is None or found.type != "country"):
        hint = registry.suggest(country, registry.entities)
        report.add(("entities", index, "country"), f"{country!r} is not a known country{hint}")
        return False
    return True


def _read_again(root: Path, name: str) -> str:
    """A fact file read again to locate a problem in it (it was read and checked once already,
    through the same guard: a file swapped for a link meanwhile is refused, not followed)."""
    return read_project_file(root / name, root).decode("utf-8")


@dataclass
class FactIds:
    """Fact ids across all files (one process sees them all): each must be used once.

    Inserted facts are looked up by the fact table's primary key, so a million ids are
    not held in memory; only the ids of facts that failed their checks (and so have no
    row) are kept here. The rare duplicate is located by reading the files again, except the
    files in `unreported`, whose problems are not wanted (`check --changed`: unchanged files,
    claimed only for the ids a changed file uses too).
    """

    root: Path
    connection: sqlite3.Connection
    without_row: dict[str, str] = field(default_factory=dict)  # id -> file
    unreported: frozenset[str] = frozenset()

    def claim(self, path: str, ids: list[tuple[int, str]], inserted: set[str]) -> list[Problem]:
        """Record a file's fact ids (index in the file, id) before its rows are inserted;
        problems for any used before. `inserted`: the ids whose facts will get a row."""
        used = self._used_before([fact_id for _, fact_id in ids])
        problems: list[Problem] = []
        for index, fact_id in ids:
            first = used.get(fact_id)
            if first is None:
                used[fact_id] = path
                if fact_id not in inserted:
                    self.without_row[fact_id] = path
                continue
            # Mark both uses: in a pull request either file may be the new one.
            if path not in self.unreported:
                here = FileProblems(path, _read_again(self.root, path))
                here.add(("facts", index, "id"), f"fact id {fact_id!r} is already used in {first}: ids must be unique")
                problems += here.problems
            if first not in self.unreported:
                there = FileProblems(first, _read_again(self.root, first))
                first_index = [item.get("id") for item in json.loads(there.text)["facts"]].index(fact_id)
                message = f"fact id {fact_id!r} is used again in {path}: ids must be unique"
                there.add(("facts", first_index, "id"), message)
                problems += there.problems
        return problems

    def _used_before(self, ids: list[str]) -> dict[str, str]:
        """The files already holding any of these ids."""
        used = {fact_id: self.without_row[fact_id] for fact_id in ids if fact_id in self.without_row}
        for start in range(0, len(ids), 500):  # within SQLite's limit of bound parameters
            chunk = ids[start : start + 500]
            query = f"SELECT id, file FROM fact WHERE id IN ({', '.join('?' * len(chunk))})"
            used.update(self.connection.execute(query, chunk).fetchall())
        return used


class FactReferences(NamedTuple):
    """What a fact names in other files: its predicate, its entities (by ENTITY_ROLES) and its
    citations' sources and quotes (with each citation's index). Of a fact its model refused, only
    what it did not refuse (None, or the citation left out)."""

    fact_id: str | None  # named in a quote's errors
    predicate: str | None
    entities: tuple[str | None, ...]
    citations: list[tuple[int, str, str]]

    @classmethod
    def of(cls, fact: Fact) -> FactReferences:
        citations = [(index, citation.source, citation.quote) for index, citation in enumerate(fact.citations)]
        return cls(fact.id, fact.predicate, tuple(getattr(fact, role) for role in ENTITY_ROLES), citations)

    @classmethod
    def of_rejected(cls, rejected: Rejected) -> FactReferences | None:
        if not isinstance(rejected.entry, dict):
            return None
        entries = rejected.entry.get("citations")
        citations = []
        for index, citation in enumerate(entries if isinstance(entries, list) else []):
            here = ("facts", rejected.index, "citations", index)
            if any(failed[: len(here)] == here for failed in rejected.invalid) or not isinstance(citation, dict):
                continue
            source, quote = citation.get("source"), citation.get("quote")
            if isinstance(source, str) and isinstance(quote, str):
                citations.append((index, source, quote))
        return cls(
            rejected.text_field("facts", "id"),
            rejected.text_field("facts", "predicate"),
            tuple(rejected.text_field("facts", role) for role in ENTITY_ROLES),
            citations,
        )


@dataclass
class FactChecker:
    """Checks facts one at a time against the registry (ids are FactIds' business)."""

    registry: Registry

    def check(self, fact: Fact, loc: Loc, report: FileProblems) -> ResolvedFact | None:
        before = len(report.problems)
        predicate, found = self._check_references(FactReferences.of(fact), loc, report)
        if predicate is not None:
            self._check_shape(fact, predicate, loc, report)
        citations = [
            found[index]._replace(referents=tuple(citation.referents))
            for index, citation in enumerate(fact.citations)
            if index in found
        ]
        self._check_corrections(fact, loc, report)
        bounds = date_bounds(fact.date) if fact.date else None  # the model checked it: it parses
        grounding = ground(fact, bounds, citations, self.registry, loc, report)
        if fact.draft is not None:
            report.add(
                (*loc, "draft"),
                f"fact {fact.id!r} is a draft proposed by `build.py draft` ({fact.draft}): review it against its "
                'quote, correct it, then delete "draft" to accept it',
            )
        if any(problem.severity == "error" for problem in report.problems[before:]):
            return None
        return ResolvedFact(fact, report.path, bounds, citations, grounding)

    def _entity(
        self, entity_id: str | None, allowed: tuple[str, ...], loc: Loc, report: FileProblems, role: str
    ) -> None:
        if entity_id is None:
            return
        entity = self.registry.entities.get(entity_id)
        if entity is None:
            if entity_id in self.registry.broken_entities:
                return
            # A close match is most likely a typo; without one the entity is new: say what to add, and where.
            hint = self.registry.suggest(entity_id, self.registry.entities)
            added = f"; {proposed_entry(entity_id)}" if not hint else ""
            report.add(loc, f"unknown entity {entity_id!r}{hint} (entities are defined in facts/entities/){added}")
        elif allowed and entity.type not in allowed:
            report.add(loc, f"{role} must be of type {' or '.join(allowed)}, but {entity_id!r} is a {entity.type}")

    def check_rejected(self, rejected: Rejected, report: FileProblems) -> None:
        """A fact its model refused: what it names and quotes, where its model did not refuse it,
        by the same rules as a valid fact's. A contributor then sees these errors in the same run
        as the model's, not one run after fixing those. (Its id is claimed by the pipeline.)"""
        if (references := FactReferences.of_rejected(rejected)) is not None:
            self._check_references(references, ("facts", rejected.index), report)

    def _check_references(
        self, references: FactReferences, loc: Loc, report: FileProblems
    ) -> tuple[Predicate | None, dict[int, ResolvedCitation]]:
        """The rules on what a fact names: its predicate is known, its entities are and have types
        their roles allow (when the predicate is known), and each quote is in its source. Returns
        the predicate (None if unknown) and the place of each quote found, by citation index."""
        predicate = self._predicate(references.predicate, loc, report) if references.predicate is not None else None
        self._check_entities(references.entities, predicate, loc, report)
        found: dict[int, ResolvedCitation] = {}
        for index, source, quote in references.citations:
            here = (*loc, "citations", index)
            if (citation := self._check_citation(source, quote, here, report, references.fact_id)) is not None:
                found[index] = citation
        return predicate, found

    def _check_shape(self, fact: Fact, predicate: Predicate, loc: Loc, report: FileProblems) -> None:
        """The rules on what a valid fact's predicate asks of it: an object, a value, qualifiers."""
        if predicate.object_types and fact.object is None:
            report.add(
                (*loc, "object"), f"predicate {predicate.id!r} needs an object ({' or '.join(predicate.object_types)})"
            )
        elif not predicate.object_types and fact.object is not None:
            report.add((*loc, "object"), f"predicate {predicate.id!r} takes no object")
        for kind in ("quantity", "text"):
            present = getattr(fact, kind) is not None
            if predicate.value == kind and not present:
                report.add((*loc, kind), f"predicate {predicate.id!r} needs a {kind}")
            elif predicate.value != kind and present:
                report.add((*loc, kind), f"predicate {predicate.id!r} takes no {kind}")
        for name, value in fact.qualifiers.items():
            qualifier = QUALIFIERS.get(name)
            if name not in predicate.qualifiers or qualifier is None:
                allowed = ", ".join(predicate.qualifiers) or "none"
                report.add(
                    (*loc, "qualifiers", name),
                    f"qualifier {name!r} is not allowed on {predicate.id!r} (allowed: {allowed})",
                )
            elif qualifier.entity_types:
                self._entity(value, qualifier.entity_types, (*loc, "qualifiers", name), report, f"qualifier {name}")

    def _predicate(self, name: str, loc: Loc, report: FileProblems) -> Predicate | None:
        """The predicate of that name, or None after reporting that there is none."""
        predicate = PREDICATES.get(name)
        if predicate is None:
            hint = self.registry.suggest(name, PREDICATES)
            report.add((*loc, "predicate"), f"unknown predicate {name!r}{hint} (see schema/vocabulary.py)")
        return predicate

    def _check_entities(
        self, entity_ids: tuple[str | None, ...], predicate: Predicate | None, loc: Loc, report: FileProblems
    ) -> None:
        """Each entity a fact names (its ENTITY_ROLES in order) exists and has a type its role
        allows; without a known predicate, the subject's and object's types are not known."""
        for role, entity_id in zip(ENTITY_ROLES, entity_ids, strict=True):
            if entity_id is None:
                continue
            if role == "place":
                self._entity(entity_id, ("place", "country"), (*loc, role), report, role)
            elif predicate is None or role == "attributed_to":
                self._entity(entity_id, (), (*loc, role), report, role)
            else:
                allowed = predicate.subject_types if role == "subject" else predicate.object_types
                self._entity(entity_id, allowed, (*loc, role), report, f"the {role} of {predicate.id}")

    def _check_citation(
        self, source: str, quote: str, here: Loc, report: FileProblems, fact_id: str | None
    ) -> ResolvedCitation | None:
        """The quote's place in its source; or None, after saying why it has none (naming the fact)."""
        of_fact = f"fact {fact_id!r}: " if fact_id else ""
        if source not in self.registry.sources:
            if source not in self.registry.broken_sources:
                hint = self.registry.suggest(source, self.registry.sources)
                report.add((*here, "source"), f"unknown source {source!r}{hint} (sources are sources/<id>.json)")
            return None
        prepared = self.registry.prepared(source)
        text = prepared.text
        if word_count(quote) < 2:
            report.add(
                (*here, "quote"),
                f"{of_fact}a quote is at least two whole words, and {quote!r} is not: quote the words that state "
                "the fact",
            )
            return None
        spans = find_quote(quote, text, prepared.furniture)
        if spans is None:
            message = f"{of_fact}quote not found in source {source!r}"
            # Quoted from another article than the one cited? Name it (only on this failure path).
            elsewhere = [
                other
                for other in sorted(self.registry.sources)
                if other != source and find_quote(quote, self.registry.normalised(other))
            ]
            if elsewhere:
                message += f", but it occurs in source {elsewhere[0]!r}: cite that source"
            else:
                message += f"; {why_not_found(quote, text)}"
            report.add((*here, "quote"), message)
            return None
        outside = _outside_article(spans, prepared.exclusions)
        if outside is not None:
            message = f"{of_fact}quote includes text that is not part of the article ({outside.reason})"
            report.add((*here, "quote"), f"{message}: cite the article's own words only")
            return None
        return ResolvedCitation(source, quote, spans)

    def _check_corrections(self, fact: Fact, loc: Loc, report: FileProblems) -> None:
        cited = {citation.source for citation in fact.citations}
        for index, correction in enumerate(fact.corrections):
            here = (*loc, "corrections", index)
            if correction.source not in cited:  # (its words are checked against the quotes by grounding)
                report.add((*here, "source"), f"source {correction.source!r} is not cited by this fact")


# Same subject, predicate, object, value and qualifiers (JSON with sorted keys, so equal
# qualifiers compare equal), with dates that overlap (or no dates). The keys that repeat
# are found first and only their facts are paired: a self-join on the key alone pairs
# every two statements of a much-cited entity, which grows with the square of the corpus.
_KEY = ["subject_id", "predicate_id", "object_id", "text", "amount", "unit", "qualifiers"]
_DUPLICATES = f"""
WITH repeated AS (
  SELECT {", ".join(_KEY)} FROM fact WHERE rank = 'normal'
  GROUP BY {", ".join(_KEY)} HAVING count(*) > 1
), candidate AS MATERIALIZED (
  SELECT f.id, f.file, f.date_start, f.date_end, {", ".join(f"f.{column}" for column in _KEY)}
  FROM fact AS f JOIN repeated AS r ON {" AND ".join(f"f.{column} IS r.{column}" for column in _KEY)}
  WHERE f.rank = 'normal'
)
SELECT a.id, a.file, b.id, b.file
FROM candidate AS a JOIN candidate AS b
  ON {" AND ".join(f"b.{column} IS a.{column}" for column in _KEY)} AND b.id > a.id
WHERE coalesce(a.date_start, '') <= coalesce(b.date_end, '9999')
  AND coalesce(b.date_start, '') <= coalesce(a.date_end, '9999')
ORDER BY b.file, b.id
"""


DuplicatePair = tuple[str, str, str, str]  # a fact's id and file, then the later fact's


def duplicate_pairs(connection: sqlite3.Connection) -> list[DuplicatePair]:
    """The pairs of facts that state the same thing (the query only reads: any process may run it)."""
    return connection.execute(_DUPLICATES).fetchall()


def likely_duplicates(pairs: Iterable[DuplicatePair], root: Path) -> list[Problem]:
    """Warnings for facts that state what another fact states, each naming the other fact.

    A warning goes where a pull request most likely added the repetition: of two facts in one
    file, on the later; of two files, on the one changed since the last commit (or not yet
    committed), and on both when git cannot tell them apart (both changed, neither, no git).
    """
    pairs = list(pairs)
    changed = changed_since_head(root) if any(pair[1] != pair[3] for pair in pairs) else None
    reports: dict[str, FileProblems] = {}
    for first_id, first_file, second_id, second_file in pairs:
        warned = [(second_id, second_file, first_id, first_file)]
        if first_file != second_file:
            both = [(first_id, first_file, second_id, second_file), *warned]
            newer = [entry for entry in both if changed is not None and entry[1] in changed]
            warned = newer if len(newer) == 1 else both
        for fact_id, file, other_id, other_file in warned:
            report = reports.get(file)
            if report is None:
                report = reports[file] = FileProblems(file, _read_again(root, file))
            index = next(i for i, item in enumerate(json.loads(report.text)["facts"]) if item.get("id") == fact_id)
            report.add(
                ("facts", index, "id"),
                f"likely duplicate of fact {other_id!r} in {other_file} (same subject, predicate, object and "
                "overlapping date): make it one fact citing both sources, or make the difference explicit",
                "warning",
            )
    return [problem for report in reports.values() for problem in report.problems]
