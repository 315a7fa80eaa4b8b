"""`python build.py check --changed BASE`: what a pull request changed, checked against an index of the rest.

The files changed since the git revision BASE (`git diff --name-only BASE`, and the files under
facts/ and sources/ not yet added) are checked in full, by the checks a full `check` makes
(pipeline.check_files, FactIds, add_entities, likely_duplicates), and report exactly what a full
check reports for them. What they refer to comes from an index of everything else: a database of
BASE (`--against`, e.g. the published facts.db), or by default the one the last valid full `check`
kept (pipeline.check_index: ROOT/dist/.check-index.db).

- Unchanged fact files are not read: their ids (is a new id already used?) and their facts (is a
  new fact a likely duplicate?) come from the index's fact table.
- Unchanged sources come from its source and source_exclusion tables; their archived texts are
  read when a changed fact quotes them. Changed and new source records are loaded and checked.
- Every entity file is read and checked (the entities are the registry the facts are checked
  against, names and aliases included, and entity ids must be unique across files).
- A fact file the index shows naming an entity whose definition changed (or went), or citing a
  changed or removed source, is checked again in full, as if it had changed.

Not checked against the index: whether a changed source's text is another record's text too
(the index keeps no normalised fingerprint of the texts); a full check still tells.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from factdb import pipeline, tables
from factdb.gitrepo import GitError, git
from factdb.loading import Layout, UnreadableFile, iter_entity_files, load_source, read_project_file
from factdb.problems import DataError, Problem, relative
from factdb.validation import FactIds, Registry, add_entities, check_exclusions, duplicate_pairs, likely_duplicates
from schema.dates import date_bounds
from schema.models import Exclusion

# What the index must hold (the tables of a check's database and of the published one).
_TABLES = ("fact", "entity", "alias", "source", "source_exclusion", "citation", "qualifier", "grounding")


class UnusableIndex(Exception):
    """The index is missing or is not a fact database, or BASE is not a git revision."""


@dataclass
class CheckedChanges(pipeline.Checked):
    """What a check of the changes checked, for the line that says so when all is well: the fact
    files checked in full (changed, or referring to what changed), every entity, the changed
    sources, and what they were checked against."""

    base: str = ""
    index: str = ""

    def __str__(self) -> str:
        return f"{super().__str__()} (changed since {self.base}, or referring to what did), against {self.index}"


@dataclass(frozen=True)
class Changes:
    """The data files changed since BASE (paths from the root, as problems name them)."""

    fact_files: set[str]  # facts/*.json, present or removed
    entity_files: set[str]  # facts/entities/*.json
    sources: set[str]  # ids of the sources whose record or text changed, was added or removed
    texts: set[str]  # sources/*.txt

    @classmethod
    def since(cls, root: Path, base: str) -> Changes:
        try:
            changed = git(root, "diff", "--name-only", "--relative", "-z", base, "--", "facts", "sources")
            added = git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", "facts", "sources")
        except GitError as error:
            raise UnusableIndex(f"cannot compare with revision {base!r}: {error}") from None
        paths = [PurePosixPath(name) for name in set((changed + added).split("\0")) - {""}]
        return cls(
            fact_files={
                str(path) for path in paths if path.parent == PurePosixPath("facts") and path.suffix == ".json"
            },
            entity_files={str(path) for path in paths if path.parent.as_posix() == "facts/entities"},
            sources={path.stem for path in paths if path.parent.as_posix() == "sources"},
            texts={str(path) for path in paths if path.parent.as_posix() == "sources" and path.suffix == ".txt"},
        )


def run(
    root: Path, base: str, index: Path | None = None, jobs: int | None = None, checked: CheckedChanges | None = None
) -> list[Problem]:
    """Check what changed since `base` against `index` (default: pipeline.check_index(root)).

    Returns the warnings; raises DataError with every problem if any is an error, as pipeline.run
    does, and UnusableIndex when there is nothing to compare with. `checked`, if given, is filled
    with what was checked."""
    if checked is None:
        checked = CheckedChanges()
    changes = Changes.since(root, base)
    index = index or pipeline.check_index(root)
    checked.base, checked.index = base, relative(index, root)
    with contextlib.closing(_open_index(index)) as indexed:
        registry, problems = _registry(root, indexed, changes, checked)
        changed_entities = _changed_entities(root, base, changes.entity_files)
        rechecked = changes.fact_files | _referring_files(indexed, changed_entities, changes.sources)
        problems += _check_fact_files(root, registry, indexed, sorted(rechecked), jobs, checked)
    if any(problem.severity == "error" for problem in problems):
        raise DataError(sorted(problems))
    return sorted(problems)


def _open_index(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise UnusableIndex(
            f"no index at {path}: run a full `python build.py check` first, or give a database of the base "
            "revision with --against"
        )
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    found = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if missing := [table for table in _TABLES if table not in found]:
        connection.close()
        raise UnusableIndex(f"{path} is not a fact database: it has no table {', '.join(missing)}")
    return connection


def _registry(
    root: Path, indexed: sqlite3.Connection, changes: Changes, checked: CheckedChanges
) -> tuple[Registry, list[Problem]]:
    """The unchanged sources from the index, the changed ones loaded and checked, and every entity:
    the registry a full check would have, with the problems of the changed sources and the entities."""
    registry, problems, layout = Registry(Layout(root)), [], Layout(root)
    for source_id, published in indexed.execute("SELECT id, published FROM source"):
        if source_id not in changes.sources:
            registry.sources.add(source_id)
            if published:
                registry.published[source_id] = date_bounds(published)
    exclusions: dict[str, list[Exclusion]] = {}
    for source_id, *exclusion in indexed.execute(
        "SELECT source_id, kind, reason, text, to_end FROM source_exclusion ORDER BY id"
    ):
        if source_id in registry.sources:
            kind, reason, text, to_end = exclusion
            exclusions.setdefault(source_id, []).append(
                Exclusion(kind=kind, reason=reason, text=text, to_end=bool(to_end))
            )
    registry.excluded.update((source_id, tuple(excluded)) for source_id, excluded in exclusions.items())
    for source_id in sorted(changes.sources):
        record = layout.sources / f"{source_id}.json"
        if record.exists():
            source = load_source(record, root)
            if source.record is not None:
                check_exclusions(source)
            registry.add_loaded(source)
            problems += source.report.problems
            checked.sources += 1
    texts = (root / text for text in sorted(changes.texts))
    problems += [pipeline.text_without_record(path, root) for path in texts if path in layout.texts_without_record()]
    entity_files = list(iter_entity_files(root))
    add_entities(registry, entity_files)
    problems += [problem for loaded in entity_files for problem in loaded.report.problems]
    checked.entities = len(registry.entities)
    return registry, problems


def _changed_entities(root: Path, base: str, entity_files: Iterable[str]) -> set[str]:
    """The ids of the entities whose definition differs between `base` and now, added and removed
    ones included (an entity file that cannot be read now counts as removing its entities)."""
    changed: set[str] = set()
    for name in entity_files:
        try:
            before = _entries(git(root, "show", f"{base}:./{name}"))
        except GitError:  # not in base: added
            before = {}
        try:
            now = _entries(read_project_file(root / name, root).decode("utf-8"))
        except (UnreadableFile, UnicodeDecodeError):
            now = {}
        changed |= {
            entity_id for entity_id in before.keys() | now.keys() if before.get(entity_id) != now.get(entity_id)
        }
    return changed


def _entries(text: str) -> dict[str, Any]:
    """An entity file's entries by id, as written (an unreadable file has none)."""
    try:
        entries = json.loads(text).get("entities", [])
    except (ValueError, AttributeError):
        return {}
    if not isinstance(entries, list):
        return {}
    return {entry["id"]: entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("id"), str)}


# The fact files whose facts name any of the entities ($1) or cite any of the sources ($2), both
# JSON lists: every way a fact refers to an entity (its roles, a qualifier, a referent's grounding).
_REFERRING = """
WITH entity_ids(id) AS (SELECT value FROM json_each(?1)), source_ids(id) AS (SELECT value FROM json_each(?2))
SELECT file FROM fact WHERE subject_id IN entity_ids OR object_id IN entity_ids OR place_id IN entity_ids
  OR attributed_to_id IN entity_ids
UNION SELECT file FROM fact WHERE id IN (SELECT fact_id FROM qualifier WHERE entity_id IN entity_ids)
UNION SELECT file FROM fact WHERE id IN (SELECT fact_id FROM grounding WHERE entity_id IN entity_ids)
UNION SELECT file FROM fact WHERE id IN (SELECT fact_id FROM citation WHERE source_id IN source_ids)
"""


def _referring_files(indexed: sqlite3.Connection, entities: set[str], sources: set[str]) -> set[str]:
    if not entities and not sources:
        return set()
    rows = indexed.execute(_REFERRING, (json.dumps(sorted(entities)), json.dumps(sorted(sources))))
    return {file for (file,) in rows}


def _check_fact_files(
    root: Path,
    registry: Registry,
    indexed: sqlite3.Connection,
    files: list[str],
    jobs: int | None,
    checked: CheckedChanges,
) -> list[Problem]:
    """The files checked alone (those still present), their fact ids claimed in file order among the
    unchanged files' that they use too, and their likely duplicates among the index's facts."""
    present = [root / name for name in files if (root / name).exists()]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(present)))
    results = {result.path: result for result in pipeline.check_files(root, registry, present, jobs)}
    problems = [problem for result in results.values() for problem in result.problems]
    checked.fact_files, checked.facts = len(results), sum(len(result.ids) for result in results.values())
    with contextlib.closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        connection.execute(tables.create_table_sql(tables.FactTable))
        used = _used_elsewhere(indexed, [fact_id for result in results.values() for _, fact_id in result.ids], files)
        ids = FactIds(root, connection, unreported=frozenset(used))
        for path in sorted(results.keys() | used.keys()):  # the order a full check claims them in
            if path in used:  # an unchanged file: only the ids a checked file uses too, without a row here
                problems += ids.claim(path, [(0, fact_id) for fact_id in used[path]], set())
                continue
            result = results[path]
            problems += ids.claim(path, result.ids, result.inserted)
            tables.insert_values(connection, tables.FactTable, result.rows["fact"])
        _add_alike(connection, indexed, files)
        checked = set(files)
        pairs = [pair for pair in duplicate_pairs(connection) if pair[1] in checked or pair[3] in checked]
        problems += [problem for problem in likely_duplicates(pairs, root) if problem.path in checked]
    return problems


def _used_elsewhere(indexed: sqlite3.Connection, fact_ids: list[str], files: list[str]) -> dict[str, list[str]]:
    """Of these fact ids, those the index has in other files than `files`, by file."""
    query = """SELECT file, id FROM fact WHERE id IN (SELECT value FROM json_each(?1))
      AND file NOT IN (SELECT value FROM json_each(?2)) ORDER BY file, id"""
    used: dict[str, list[str]] = {}
    for file, fact_id in indexed.execute(query, (json.dumps(fact_ids), json.dumps(files))):
        used.setdefault(file, []).append(fact_id)
    return used


def _add_alike(connection: sqlite3.Connection, indexed: sqlite3.Connection, files: list[str]) -> None:
    """Copy in the index's facts of other files with the subject, predicate and object of a checked
    fact: all that the likely-duplicates query can pair with one (by the index on those columns)."""
    keys = connection.execute("SELECT DISTINCT subject_id, predicate_id, object_id FROM fact").fetchall()
    query = """SELECT * FROM fact WHERE subject_id = ? AND predicate_id = ? AND object_id IS ?
      AND file NOT IN (SELECT value FROM json_each(?))"""
    others = json.dumps(files)
    for key in keys:
        rows = indexed.execute(query, (*key, others)).fetchall()
        if rows:
            connection.executemany(f"INSERT OR IGNORE INTO fact VALUES ({', '.join('?' * len(rows[0]))})", rows)
