"""The build, top to bottom: load, validate, resolve, write.

`run` is the whole of it. Sources and entities are loaded first (they are what
facts refer to). Then the fact files are checked, and their rows built, in
worker processes (one per core), while this process checks that fact ids are
unique and inserts each file's rows in file order: memory holds a few files of
facts at a time, and the output does not depend on the number of workers.
Problems are collected across every file; if any is an error the database being
written is thrown away and the old one stays.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import multiprocessing
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from factdb.database import (
    FactRows,
    atomic_database,
    create_indexes,
    fact_rows,
    finish,
    insert_fact_rows,
    write_registry,
)
from factdb.loading import Layout, iter_entity_files, load_model, load_sources
from factdb.problems import DataError, Problem, relative
from factdb.validation import FactChecker, FactIds, Registry, add_entities, check_source_exclusions, likely_duplicates
from schema.models import FactFile
from schema.vocabulary import PREDICATES


def run(root: Path, output: Path | None, jobs: int | None = None) -> list[Problem]:
    """Validate everything under root and write the database to output (None: check only).

    Returns the warnings; raises DataError with every problem if any is an error.
    """
    # 1. Load what facts refer to: archived sources and the entity registry.
    sources, reports = load_sources(root)
    registry = Registry(sources)
    check_source_exclusions(registry)
    entity_files = list(iter_entity_files(root))
    add_entities(registry, [(loaded.items, loaded.report) for loaded in entity_files])
    problems = [problem for report in [*reports, *(e.report for e in entity_files)] for problem in report.problems]

    # 2. Check the fact files in workers; here, claim their ids and insert their rows.
    #    A check writes a throwaway database too: some checks (duplicates) are queries.
    ids = FactIds(root)
    failed = _has_errors(problems)
    with _database(output) as connection, _checked_files(root, registry, jobs) as results:
        write_registry(connection, registry)
        for result in results:
            file_problems = result.problems + ids.claim(result.path, result.ids)
            problems += file_problems
            failed = failed or _has_errors(file_problems)
            # Valid facts are written even after an error, so that the checks made
            # by query (likely duplicates) still report on everything in one run.
            insert_fact_rows(connection, result.rows)

        # 3. Decide: any error discards the new database (the context manager removes it).
        create_indexes(connection)
        if not failed:
            finish(connection, registry, inputs_hash(root))
        problems += likely_duplicates(connection, root)
        if failed:
            raise DataError(sorted(problems))
    return sorted(problems)


@dataclass(frozen=True)
class CheckedFile:
    """What a worker sends back for one fact file (plain data: it crosses processes)."""

    path: str
    problems: list[Problem]
    ids: list[tuple[int, str]]  # every parsed fact's index in the file and id
    rows: FactRows  # the rows of the facts that passed every check


# What the workers check against: set before they are forked, so they inherit it.
_WORKER_STATE: tuple[Path, Registry] | None = None


def _check_file(path: Path) -> CheckedFile:
    assert _WORKER_STATE is not None  # set by _checked_files before any worker starts
    root, registry = _WORKER_STATE
    loaded = load_model(path, root, FactFile)
    checker = FactChecker(registry)
    resolved = [
        checked
        for index, fact in loaded.items
        if (checked := checker.check(fact, ("facts", index), loaded.report)) is not None
    ]
    ids = [(index, fact.id) for index, fact in loaded.items]
    return CheckedFile(relative(path, root), loaded.report.problems, ids, fact_rows(resolved, registry))


@contextlib.contextmanager
def _checked_files(root: Path, registry: Registry, jobs: int | None) -> Iterator[Iterator[CheckedFile]]:
    """The checked fact files in file order, from `jobs` worker processes (1: in this one)."""
    global _WORKER_STATE
    _WORKER_STATE = (root, registry)
    paths = Layout(root).fact_files()
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(paths) < 2:
        yield (_check_file(path) for path in paths)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield _in_order(pool, paths, window=2 * jobs)


def _in_order(pool: multiprocessing.pool.Pool, paths: list[Path], window: int) -> Iterator[CheckedFile]:
    """Results in file order, with at most `window` files in flight: memory stays flat
    even when inserting is slower than checking."""
    pending: collections.deque = collections.deque()
    remaining = iter(paths)
    for path in remaining:
        pending.append(pool.apply_async(_check_file, (path,)))
        if len(pending) >= window:
            break
    while pending:
        result = pending.popleft().get()
        for path in remaining:
            pending.append(pool.apply_async(_check_file, (path,)))
            break
        yield result


@contextlib.contextmanager
def _database(output: Path | None) -> Iterator[sqlite3.Connection]:
    with contextlib.ExitStack() as stack:
        if output is None:
            output = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="factdb-check-"))) / "facts.db"
        yield stack.enter_context(atomic_database(output))


def _has_errors(problems: list[Problem]) -> bool:
    return any(problem.severity == "error" for problem in problems)


def inputs_hash(root: Path) -> str:
    """SHA-256 over every input file and the vocabulary: recorded instead of a build time."""
    layout, digest = Layout(root), hashlib.sha256()
    files = sorted([*layout.sources.glob("*"), *layout.entity_files(), *layout.fact_files()])
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(repr(sorted(PREDICATES.items())).encode())
    return digest.hexdigest()
