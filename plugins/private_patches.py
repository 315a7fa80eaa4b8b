"""Every method of Datasette or asyncio this project replaces, in one place, on versions it knows.

Each replacement below wraps a method that its library does not document as replaceable, and
so may change in any release. Each is applied only on the versions it was written and tested
for (Datasette 0.65.x; Python 3.11 to 3.13 for asyncio's); on any other version it is left out,
and a warning at start-up names the version and what is switched off. The site still works
without them, only slower. Everything else in plugins/ uses Datasette's documented hooks.

- **Schema answers, once** (the startup hook). Datasette 0.65 asks SQLite about the schema on
  every request: which columns, keys, foreign keys and full-text table a table has, its
  definition, whether it exists (for the permission check), and whether any database's schema
  changed. A table page of `fact` made 30 calls into SQLite, of which 23 were such questions:
  work on every request, and, with Datasette's SQL threads, a trip each to the back of the event
  loop's queue. An immutable database's schema cannot change while it is served, so each
  question is answered once per process and the answer kept (the data queries still run every
  time); mutable databases are left alone.
- **One connection a turn** (`accept_one_connection_a_turn`, called by factdb/serving.py in each
  of its workers). asyncio accepts every connection waiting on the shared socket at once: when
  readers connect together, the first worker to wake takes nearly all of them (twenty readers
  were seen split 18 to 2). Taking one at a time, the other worker, awake as well, takes the
  next: connections, and so the work, are shared (tests/test_load.py checks the share).

This is a plugin file, not a module of factdb/, because the published site has only plugins/
(`datasette publish --plugins-dir plugins`); factdb/serving.py loads it by its path.
"""

from __future__ import annotations

import asyncio.selector_events
import functools
import logging
import re
import sys
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl
from datasette.version import __version__ as _datasette_version

# The versions the replacements were written for, and the ones running (read at start-up: a
# test changes them to see the replacements switched off).
KNOWN_DATASETTE = "0.65."  # any 0.65.x
DATASETTE_VERSION: str = _datasette_version
KNOWN_PYTHON = ((3, 11), (3, 12), (3, 13))
PYTHON_VERSION: tuple[int, int] = (sys.version_info.major, sys.version_info.minor)

# Named, not __name__: Datasette loads plugin files under their file name.
LOG = logging.getLogger("factdb.private_patches")

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


def datasette_known() -> bool:
    """Whether the Datasette running is one the replacements were written for (else: say so)."""
    if DATASETTE_VERSION.startswith(KNOWN_DATASETTE):
        return True
    LOG.warning(
        "Datasette %s is not a version this site knows (%sx): its schema answers are not kept "
        "(plugins/private_patches.py switched off); every page still works, more slowly",
        DATASETTE_VERSION,
        KNOWN_DATASETTE,
    )
    return False


@hookimpl
def startup(datasette: Any) -> None:
    if not datasette_known():
        return
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


def accept_one_connection_a_turn() -> bool:
    """Make this process's event loops accept one waiting connection each time round (see the
    module's docstring), on a Python whose asyncio is known. Returns whether it did."""
    if PYTHON_VERSION not in KNOWN_PYTHON:
        LOG.warning(
            "Python %d.%d is not a version this server knows (3.11 to 3.13): each worker accepts every "
            "waiting connection at once (plugins/private_patches.py switched off), so the workers may "
            "share the readers unevenly",
            *PYTHON_VERSION,
        )
        return False
    loop_class = asyncio.selector_events.BaseSelectorEventLoop
    accept_all_waiting = loop_class._accept_connection

    def accept_one(
        self: Any,
        protocol_factory: Any,
        sock: Any,
        sslcontext: Any = None,
        server: Any = None,
        backlog: int = 100,
        *more: Any,
    ) -> None:
        accept_all_waiting(self, protocol_factory, sock, sslcontext, server, 1, *more)

    loop_class._accept_connection = accept_one  # type: ignore[method-assign]
    return True
