"""The build, top to bottom: load, validate, resolve, write.

`run` is the whole of it. Sources and entities are loaded first (they are
what facts refer to); then each fact file is loaded, checked fact by fact and,
when a database is being written, inserted straight away, so memory holds one
file of facts at a time. Problems are collected across every file; if any is
an error the database being written is thrown away and the old one stays.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from factdb.database import atomic_database, create_indexes, finish, write_facts, write_registry
from factdb.loading import Layout, iter_entity_files, iter_fact_files, load_sources
from factdb.problems import DataError, Problem
from factdb.validation import FactChecker, Registry, add_entities, check_source_exclusions, likely_duplicates
from schema.vocabulary import PREDICATES


def run(root: Path, output: Path | None) -> list[Problem]:
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

    # 2. Check each fact file and write its facts while it is in memory. A check
    #    writes a throwaway database too: some checks (duplicates) are queries.
    checker = FactChecker(registry, root)
    failed = _has_errors(problems)
    with _database(output) as connection:
        write_registry(connection, registry)
        for _, loaded in iter_fact_files(root):
            resolved = [
                checked
                for index, fact in loaded.items
                if (checked := checker.check(fact, ("facts", index), loaded.report)) is not None
            ]
            problems += loaded.report.problems
            failed = failed or _has_errors(loaded.report.problems)
            # Valid facts are written even after an error, so that the checks made
            # by query (likely duplicates) still report on everything in one run.
            write_facts(connection, registry, resolved)
        problems += checker.late_problems
        failed = failed or _has_errors(checker.late_problems)

        # 3. Decide: any error discards the new database (the context manager removes it).
        create_indexes(connection)
        if not failed:
            finish(connection, registry, inputs_hash(root))
        problems += likely_duplicates(connection, root)
        if failed:
            raise DataError(sorted(problems))
    return sorted(problems)


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
