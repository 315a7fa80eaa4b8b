"""Datasette on an immutable file: ask the schema once, read through a memory map.

Datasette 0.65 asks SQLite about the schema on every request: which columns, keys, foreign keys
and full-text table a table has, its definition, whether it exists (for the permission check),
and whether any database's schema changed. A table page of `fact` made 30 calls into SQLite,
of which 23 were such questions: work on every request, and, with Datasette's SQL threads, a
trip each to the back of the event loop's queue.

An immutable database's schema cannot change while it is served, so this plugin answers each
question once per process and keeps the answer; the data queries still run every time. It
also maps the file into memory, which reads a page with a pointer instead of a `read()` call
(the search's row lookups: 69 -> 39 ms at a million facts). Mutable databases are left alone.
"""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl

# Database methods whose answers depend on the schema (and the static metadata) only.
_SCHEMA_METHODS = (
    "table_columns",
    "table_column_details",
    "primary_keys",
    "fts_table",
    "label_column_for_table",
    "foreign_keys_for_table",
    "get_all_foreign_keys",
    "hidden_table_names",
)
# One SELECT that reads sqlite_master alone (no join, no subquery): what table_exists,
# table_names, view_names, get_table_definition and the permission check ask.
_SCHEMA_QUERY = re.compile(
    r"\s*select\b(?:(?!\bselect\b).)*\bfrom\s+sqlite_master\b(?!\s*,)(?:(?!\bselect\b|\bjoin\b).)*",
    re.IGNORECASE | re.DOTALL,
)
_SCHEMA_QUERIES_KEPT = 256  # distinct schema questions per database; far more than the site asks

# Larger than any database this project writes (3 GB per million facts): address space, not memory.
MMAP_BYTES = 64 * 2**30


@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    if _is_immutable(datasette, database):
        conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")


@hookimpl
def startup(datasette: Any) -> None:
    immutable = [db for name, db in datasette.databases.items() if _is_immutable(datasette, name)]
    for db in immutable:
        for name in _SCHEMA_METHODS:
            setattr(db, name, _remembered(getattr(db, name)))
        db.execute = _schema_queries_remembered(db.execute)
    served = [db for name, db in datasette.databases.items() if name != "_internal"]
    if served and len(immutable) == len(served):
        # Datasette compares every database's schema version on every request to refresh its
        # catalogue; with nothing that can change, once is enough.
        datasette.refresh_schemas = _once(datasette.refresh_schemas)


def _is_immutable(datasette: Any, name: str) -> bool:
    db = datasette.databases.get(name)
    return db is not None and not db.is_mutable and not db.is_memory


def _copied(answer: Any) -> Any:
    """A kept answer handed out as a fresh list of fresh dicts: callers may change what they get."""
    if isinstance(answer, list):
        return [dict(item) if isinstance(item, dict) else item for item in answer]
    return answer


def _remembered(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    answers: dict[tuple[Any, ...], Any] = {}

    @functools.wraps(method)
    async def remembered(*args: Any) -> Any:
        if args not in answers:
            answers[args] = await method(*args)
        return _copied(answers[args])

    return remembered


def _schema_queries_remembered(execute: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    answers: OrderedDict[str, Any] = OrderedDict()

    @functools.wraps(execute)
    async def remembering_execute(sql: str, params: Any = None, **options: Any) -> Any:
        if not _SCHEMA_QUERY.fullmatch(sql):
            return await execute(sql, params, **options)
        key = repr((sql, params, sorted(options.items())))
        if key in answers:
            answers.move_to_end(key)
        else:
            answers[key] = await execute(sql, params, **options)
            if len(answers) > _SCHEMA_QUERIES_KEPT:
                answers.popitem(last=False)
        return answers[key]

    return remembering_execute


def _once(refresh: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    done = False

    @functools.wraps(refresh)
    async def refresh_once() -> None:
        nonlocal done
        if not done:
            await refresh()
            done = True

    return refresh_once
