"""The build, top to bottom: load, validate, resolve, write.

`run` is the whole of it. Sources and entities are loaded first (they are
what facts refer to); then each fact file is loaded, checked fact by fact and,
when a database is being written, inserted straight away, so memory holds one
file of facts at a time. Problems are collected across every file; if any is
an error the database being written is thrown away and the old one stays.
"""

from __future__ import annotations

import hashlib
from contextlib import nullcontext
from pathlib import Path

from factdb.database import atomic_database, finish, write_facts, write_registry
from factdb.loading import Layout, iter_entity_files, iter_fact_files, load_sources
from factdb.problems import DataError, FileProblems, Problem
from factdb.validation import FactChecker, Registry, add_entities, check_source_exclusions
from schema.vocabulary import PREDICATES


def run(root: Path, output: Path | None) -> list[Problem]:
    """Validate everything under root and, if output is given, write the database.

    Returns the warnings; raises DataError with every problem if any is an error.
    """
    reports: list[FileProblems] = []

    # 1. Load what facts refer to: archived sources and the entity registry.
    sources, source_reports = load_sources(root)
    reports += source_reports
    registry = Registry(sources)
    check_source_exclusions(registry)
    entity_files = list(iter_entity_files(root))
    reports += [loaded.report for loaded in entity_files]
    add_entities(registry, [(loaded.items, loaded.report) for loaded in entity_files])

    # 2. Check each fact file and write its facts while it is in memory.
    checker = FactChecker(registry)
    with atomic_database(output) if output else nullcontext() as connection:
        if connection is not None:
            write_registry(connection, registry)
        for _, loaded in iter_fact_files(root):
            reports.append(loaded.report)
            resolved = [
                checked
                for index, fact in loaded.items
                if (checked := checker.check(fact, ("facts", index), loaded.report)) is not None
            ]
            if connection is not None and not _has_errors(reports):
                write_facts(connection, registry, resolved)

        # 3. Decide: any error discards the new database (the context manager removes it).
        problems = sorted(problem for report in reports for problem in report.problems)
        if _has_errors(reports):
            raise DataError(problems)
        if connection is not None:
            finish(connection, registry, inputs_hash(root))
    return problems


def _has_errors(reports: list[FileProblems]) -> bool:
    return any(problem.severity == "error" for report in reports for problem in report.problems)


def inputs_hash(root: Path) -> str:
    """SHA-256 over every input file and the vocabulary: recorded instead of a build time."""
    layout, digest = Layout(root), hashlib.sha256()
    files = sorted([*layout.sources.glob("*"), *layout.entity_files(), *layout.fact_files()])
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(repr(sorted(PREDICATES.items())).encode())
    return digest.hexdigest()
