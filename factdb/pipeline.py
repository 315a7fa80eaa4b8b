"""The build, top to bottom: load, validate, rows, write, derive.

`run` is the whole of it, a plain sequence; where each step runs (worker processes, a second
process) is parallel.py's business. A fact goes from its file to its page through one function
per step:

1. load: `loading.load_model` parses a fact file into `FactFile` (the pydantic models in
   schema/models.py), each fact alone, in `_check_file`; what a fact refers to, the sources and
   entities, is loaded first by `_load_registry`.
2. validate: `validation.FactChecker.check` checks what a file cannot know alone (entities,
   the predicate vocabulary, quotes in their sources, grounding); `validation.FactIds.claim`
   checks that its id is used once across files, and `validation.likely_duplicates` that it
   does not repeat another fact.
3. rows: `database.fact_rows` turns the checked facts into table rows (tables.py's models).
4. write: `database.insert_fact_rows` inserts them, file by file in file order.
5. derive: `_derive` makes the rest from the inserted rows: the indexes, the coverage of each
   source, the full-text search, the reader tables (`reader_tables.make_apart`: fact_view,
   entity_fact, country_pair_fact) and each fact's history (history.py).

The page: Datasette's row page of the fact table (/facts/fact/<id>), through
templates/row-facts-fact.html, with the evidence and the history added by
plugins/fact_evidence.py and the cells written by plugins/row_rendering.py; metadata.json
(publishing.py) describes its columns.

Memory holds a few files of facts at a time (source texts stay on disk, read again when needed)
and the output does not depend on the number of workers. Problems are collected across every
file; if any is an error the database being written is thrown away and the old one stays."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from factdb import history, parallel
from factdb.coverage import SourceCoverage, cited_spans, insert_coverage, source_coverage
from factdb.database import (
    COVERAGE_TABLES,
    LOADED_TABLES,
    FactRows,
    atomic_database,
    create_indexes,
    fact_rows,
    finish,
    insert_fact_rows,
    make_searchable,
    snapshot_for_reading,
    write_registry,
    write_source,
)
from factdb.loading import (
    Layout,
    LoadedSource,
    UnreadableFile,
    iter_entity_files,
    load_model,
    load_source,
    read_project_file,
)
from factdb.parallel import InWorkers
from factdb.problems import DataError, Problem, relative
from factdb.quotes import Span
from factdb.reader_tables import copy_in, create_unsorted, make_apart
from factdb.validation import (
    ArchivedTexts,
    DuplicatePair,
    FactChecker,
    FactIds,
    Fingerprint,
    Registry,
    add_entities,
    check_exclusions,
    duplicate_pairs,
    fingerprint,
    likely_duplicates,
)
from schema.models import FactFile
from schema.vocabulary import PREDICATES


@dataclass
class Checked:
    """How much a run checked, for the line that says so when all is well."""

    facts: int = 0
    fact_files: int = 0
    entities: int = 0
    sources: int = 0

    def __str__(self) -> str:
        counts = [
            _counted(self.facts, "fact") + " in " + _counted(self.fact_files, "fact file"),
            _counted(self.entities, "entity", "entities"),
            _counted(self.sources, "source"),
        ]
        return "checked " + ", ".join(counts)


def _counted(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def run(root: Path, output: Path | None, jobs: int | None = None, checked: Checked | None = None) -> list[Problem]:
    """Validate everything under root and write the database to output (None: check only).

    Returns the warnings; raises DataError with every problem if any is an error. `checked`,
    if given, is filled with how many of each thing were checked.
    """
    if checked is None:
        checked = Checked()
    # Load what facts refer to: archived sources and the entity registry.
    # A check writes a throwaway database too: some checks (duplicates) are queries.
    with _database(output, root) as connection:
        registry, problems = _load_registry(root, connection, jobs)
        checked.entities, checked.sources = len(registry.entities), len(registry.sources)

        # Load, validate and make the rows of each fact file in the workers (_check_file);
        # here, claim their ids and write their rows, in file order.
        failed = _has_errors(problems)
        create_unsorted(connection)
        with parallel.workers(registry, jobs) as in_workers:
            ids = FactIds(root, connection)
            for result in in_workers(_check_file, Layout(root).fact_files()):
                checked.facts, checked.fact_files = checked.facts + len(result.ids), checked.fact_files + 1
                file_problems = result.problems + ids.claim(result.path, result.ids, result.inserted)
                problems += file_problems
                failed = failed or _has_errors(file_problems)
                # Valid facts are written even after an error, so that the checks made
                # by query (likely duplicates) still report on everything in one run.
                insert_fact_rows(connection, result.rows)

            # Derive the rest, or not: any error discards the new database (the context manager
            # removes it), and a check alone (no output) needs only the indexes its duplicate
            # query uses.
            if not failed and output is not None:
                duplicates = _derive(connection, sorted(registry.sources), in_workers, root, jobs)
            else:
                create_indexes(connection, LOADED_TABLES)
                duplicates = duplicate_pairs(connection)
            problems += likely_duplicates(duplicates, root)
            if failed:
                raise DataError(sorted(problems))
    return sorted(problems)


def _derive(
    connection: sqlite3.Connection, source_ids: list[str], in_workers: InWorkers, root: Path, jobs: int | None
) -> list[DuplicatePair]:
    """Everything derived from the inserted rows, on both cores: the reader tables and the
    likely duplicates in a process of their own (_apart, reading a snapshot of the rows), the
    rest here, the coverage with the workers. Returns the likely duplicates."""
    hashing = in_workers(inputs_hash, [root])  # reads every file: in a worker, meanwhile
    walking = in_workers(history.read, [root])  # git's history of the fact files: likewise
    with _apart_files(snapshot_for_reading(connection)) as (snapshot, made):
        with parallel.aside(_apart, (snapshot, made), jobs) as wait_for_apart:
            create_indexes(connection, LOADED_TABLES)
            for covered in in_workers(_cover_sources, _cited_by_source(connection, source_ids)):
                for source in covered:
                    insert_coverage(connection, source)
            create_indexes(connection, COVERAGE_TABLES)
            make_searchable(connection)
            duplicates = wait_for_apart()
        copy_in(connection, made)
    finish(connection, next(hashing))
    history.write(connection, next(walking))
    return duplicates


def _apart(snapshot: Path, made: Path) -> list[DuplicatePair]:
    """The second process's work: the reader tables, then the duplicates query (it only reads)."""
    make_apart(snapshot, made)
    with contextlib.closing(sqlite3.connect(snapshot)) as connection:
        return duplicate_pairs(connection)


@contextlib.contextmanager
def _apart_files(snapshot: Path) -> Iterator[tuple[Path, Path]]:
    """The snapshot _apart reads and the file it writes, both removed when the block ends."""
    made = snapshot.with_name(snapshot.name + ".readers")
    try:
        yield snapshot, made
    finally:
        made.unlink(missing_ok=True)
        snapshot.unlink(missing_ok=True)


def _load_registry(root: Path, connection: sqlite3.Connection, jobs: int | None) -> tuple[Registry, list[Problem]]:
    """Sources and entities, written to the database, with the problems found in them.

    Source records are read and checked in workers (forked while the registry is still
    empty: they need only the root), and each is written as it arrives and not kept: the
    registry holds only what the fact checks need of it (its id and exclusions; its text
    stays on disk).
    """
    registry, problems, texts = Registry(Layout(root)), [], ArchivedTexts(root)
    with parallel.workers(registry, jobs) as in_workers:
        for batch in in_workers(_load_sources, _batches(Layout(root).source_records(), _SOURCES_PER_TASK)):
            for source, text in batch:
                if source.record is not None and text is not None:
                    problems += texts.add(source, text)
                    registry.add_source(source.record)
                    write_source(connection, source.record, source.text)
                elif source.text:  # quotes are still checked against it (without exclusions)
                    registry.sources.add(source.id)
                else:
                    registry.broken_sources.add(source.id)
                problems += source.report.problems
    problems += [text_without_record(path, root) for path in Layout(root).texts_without_record()]
    entity_files = list(iter_entity_files(root))
    add_entities(registry, entity_files)
    problems += [problem for loaded in entity_files for problem in loaded.report.problems]
    write_registry(connection, registry)
    return registry, problems


def text_without_record(path: Path, root: Path) -> Problem:
    """A warning for an archived text no record names, or an error if it cannot be read: the
    build would read it for its inputs hash (and a pipe, say, must fail `check` too)."""
    try:
        read_project_file(path, root)
    except UnreadableFile as error:
        return Problem(relative(path, root), 1, 1, "(file)", error.strerror)
    return Problem(relative(path, root), 1, 1, "(file)", _WITHOUT_RECORD.format(id=path.stem), "warning")


_WITHOUT_RECORD = (
    "an archived text without its record sources/{id}.json, so no fact can cite it: add the record "
    "(`python build.py new` writes both) or remove the text"
)


@dataclass(frozen=True)
class CheckedFile:
    """What a worker sends back for one fact file (plain data: it crosses processes)."""

    path: str
    problems: list[Problem]
    ids: list[tuple[int, str]]  # every parsed fact's index in the file and id
    inserted: set[str]  # the ids of the facts that passed every check: those with rows
    rows: FactRows


def check_files(root: Path, registry: Registry, paths: list[Path], jobs: int | None) -> Iterator[CheckedFile]:
    """Fact files checked alone against the registry, as `run` checks them (in `jobs` workers), in
    order; their ids are not yet claimed (see FactIds)."""
    with parallel.workers(registry, jobs) as in_workers:
        yield from in_workers(_check_file, paths)


def _check_file(path: Path) -> CheckedFile:
    """One fact file loaded, its facts validated, and the rows of those that passed (in a worker)."""
    registry = parallel.inherited(Registry)
    root = registry.layout.root
    loaded = load_model(path, root, FactFile)
    checker = FactChecker(registry)
    resolved = [
        checked
        for index, fact in loaded.items
        if (checked := checker.check(fact, ("facts", index), loaded.report)) is not None
    ]
    for rejected in loaded.rejected:
        checker.check_rejected(rejected, loaded.report)
    # A rejected fact's id counts too, where the model did not refuse it: a second use of it is
    # then reported in the same run as the rejection, not after it is mended.
    ids = sorted(
        [(index, fact.id) for index, fact in loaded.items]
        + [(rejected.index, fact_id) for rejected in loaded.rejected if (fact_id := rejected.text_field("facts", "id"))]
    )
    inserted = {checked.fact.id for checked in resolved}
    return CheckedFile(relative(path, root), loaded.report.problems, ids, inserted, fact_rows(resolved, registry))


_SOURCES_PER_TASK = 100


def _load_sources(paths: list[Path]) -> list[tuple[LoadedSource, Fingerprint | None]]:
    """Source records with their texts, each checked alone (its hash, its exclusions), and the
    fingerprint of each usable record's text (made here, in a worker: it reads the whole text)."""
    root = parallel.inherited(Registry).layout.root
    sources = [load_source(path, root) for path in paths]
    for source in sources:
        if source.record is not None:
            check_exclusions(source)
    return [(source, fingerprint(source.text) if source.record is not None else None) for source in sources]


def _cited_by_source(connection: sqlite3.Connection, source_ids: list[str]) -> Iterator[dict[str, list[Span]]]:
    """The cited spans of every source, a batch of sources at a time (read lazily, between inserts)."""
    for batch in _batches(source_ids, _SOURCES_PER_TASK):
        yield cited_spans(connection, batch)


Item = TypeVar("Item")


def _batches(items: list[Item], size: int) -> Iterator[list[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _cover_sources(cited: dict[str, list[Span]]) -> list[SourceCoverage]:
    registry = parallel.inherited(Registry)
    return [source_coverage(registry, source_id, spans) for source_id, spans in cited.items()]


def check_index(root: Path) -> Path:
    """Where a check keeps its database when the data is valid: the index of everything checked
    that `check --changed` reads by default."""
    return root / "dist" / ".check-index.db"


@contextlib.contextmanager
def _database(output: Path | None, root: Path) -> Iterator[sqlite3.Connection]:
    """The database being written: `output`, or for a check its index (check_index), or a
    temporary file when that folder cannot be written (a read-only checkout must still check)."""
    with contextlib.ExitStack() as stack:
        if output is None:
            output = check_index(root)
            with contextlib.suppress(OSError):
                output.parent.mkdir(parents=True, exist_ok=True)
            if not os.access(output.parent, os.W_OK):
                output = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="factdb-check-"))) / "facts.db"
        yield stack.enter_context(atomic_database(output))


def _has_errors(problems: list[Problem]) -> bool:
    return any(problem.severity == "error" for problem in problems)


def inputs_hash(root: Path) -> str:
    """SHA-256 over every input file and the vocabulary: recorded instead of a build time.

    Run once the files are checked, so each is readable; one changed since into a pipe or a
    link raises UnreadableFile (it is then named by the command line), rather than being read."""
    digest = hashlib.sha256()
    for path in Layout(root).inputs():
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(read_project_file(path, root)).digest())
    digest.update(repr(sorted(PREDICATES.items())).encode())
    return digest.hexdigest()
