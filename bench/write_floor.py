"""The floor under the build: the published database written again by SQLite alone.

    python bench/write_floor.py BUILT OUTPUT

bench/run.py's `floor` step, the build's yardstick (issue 20: the build within 2x of it). The
tables of BUILT (a database `build.py build` wrote) are written again into OUTPUT with nothing
checked and no Python per row: each table is created from its own definition and filled with
`INSERT INTO t SELECT * FROM built.t WHERE 1` (the WHERE keeps SQLite from its transfer
optimisation, so every row is encoded and inserted, and the fact table's key index kept up, as
the build's inserts do), in the build's order and with its page size and pragmas; then every
index; then the full-text search with the project's own `make_searchable`. Prints each part's
(wall, CPU) seconds as JSON, into the step's log.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))


def write_again(built: Path, output: Path) -> dict[str, tuple[float, float]]:
    """Write built's tables, indexes and search into a new file `output`; returns each part's
    (wall, CPU) seconds."""
    from factdb.database import make_searchable

    output.unlink(missing_ok=True)
    timings: dict[str, tuple[float, float]] = {}
    with contextlib.closing(sqlite3.connect(output, isolation_level=None)) as connection:
        (page_size,) = sqlite3.connect(built).execute("PRAGMA page_size").fetchone()
        connection.execute(f"PRAGMA page_size = {page_size}")
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("ATTACH DATABASE ? AS built", (str(built),))
        connection.execute("BEGIN")
        tables, indexes = _definitions(connection)
        with _timed(timings, "tables"):
            for name, sql in tables:
                connection.execute(sql)
                connection.execute(f"INSERT INTO main.[{name}] SELECT * FROM built.[{name}] WHERE 1")
        with _timed(timings, "indexes"):
            for sql in indexes:
                connection.execute(sql)
        with _timed(timings, "search"):
            make_searchable(connection)
        if connection.in_transaction:
            connection.execute("COMMIT")
    return timings


def _definitions(connection: sqlite3.Connection) -> tuple[list[tuple[str, str]], list[str]]:
    """The built file's ordinary tables (name, CREATE) in the order they were made, and its
    explicit indexes; not the full-text tables, which make_searchable makes."""
    schema = connection.execute("SELECT type, name, sql FROM built.sqlite_master ORDER BY rowid").fetchall()
    searchable = [name for kind, name, sql in schema if kind == "table" and sql.startswith("CREATE VIRTUAL")]
    tables = [
        (name, sql)
        for kind, name, sql in schema
        if kind == "table" and not name.startswith("sqlite_") and not any(name.startswith(fts) for fts in searchable)
    ]
    indexes = [sql for kind, name, sql in schema if kind == "index" and sql is not None]
    return tables, indexes


@contextlib.contextmanager
def _timed(timings: dict[str, tuple[float, float]], part: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    timings[part] = (time.perf_counter() - wall, time.process_time() - cpu)


def main(argv: list[str] | None = None) -> int:
    built, output = (Path(argument) for argument in (sys.argv[1:] if argv is None else argv))
    try:
        print(json.dumps(write_again(built, output)))
    finally:
        output.unlink(missing_ok=True)  # a yardstick, not a product: only its time is kept
    return 0


if __name__ == "__main__":
    sys.exit(main())
