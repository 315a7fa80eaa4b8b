"""Datasette's costliest queries on an immutable database, answered the cheap way with the same rows.

Three of the queries Datasette 0.65 writes for a table page cost a million-fact database far more
than the page they serve, and each has an equal that costs little because the file never changes:

- **A facet of a whole table** (no filter, no search) is a GROUP BY over every row (110 ms); the
  build counts the facets readers ask for most into facet_count (factdb/reader_tables.py), and
  the facet is read from there.
- **The count of a search** looks every match up in the table (39 ms for 35,000 matches); the
  full-text index is built from every row of its table and nothing else (FTS5, content=table),
  so counting the index's matches gives the same number (2 ms).
- **A search sorted by a column** reads every match to sort them (50 ms); when the word is
  common, reading the column's index in order and keeping the matches finds the first page
  after a few thousand index entries (under 2 ms). A rare word keeps Datasette's plan, which
  is then the cheap one.

Only queries in exactly the form Datasette writes them, with nothing else in their WHERE clause,
are answered this way; any other query, or a future Datasette that words them otherwise, runs as
written. Only immutable databases that this project's build wrote (they have its build_info
table, and their full-text indexes are whole) are served this way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple

from datasette import hookimpl

_NAME = r"(?:\w+|\[[^\]]+\])"  # a table or column name as Datasette's escape_sqlite writes it

# datasette/facets.py ColumnFacet, when the table is not filtered: the inner query is the bare table.
_WHOLE_TABLE_FACET = re.compile(
    rf"\s*select (?P<column>{_NAME}) as value, count\(\*\) as count from \(\s*"
    rf"select [\w\[\], ]+ from (?P<table>{_NAME})\s*\)\s*"
    r"where (?P=column) is not null\s*"
    r"group by (?P=column) order by count desc, value limit (?P<limit>\d+)\s*"
)
_FACET_FROM_COUNTS = (
    "select value, count from facet_count where table_name = :table and column_name = :column "
    "order by count desc, value limit :limit"
)

# datasette/views/table.py with datasette/filters.py search_filters, for ?_search= and nothing else.
_MATCHES = rf"rowid in \(select rowid from (?P<fts>{_NAME}) where (?P=fts) match escape_fts\(:search\)\)"
_SEARCH_COUNT = re.compile(rf"\s*select count\(\*\) from (?P<table>{_NAME}) where {_MATCHES}\s*")
_SEARCH_PAGE = re.compile(
    rf"\s*select (?P<columns>[\w\[\], ]+) from (?P<table>{_NAME}) where {_MATCHES}\s*"
    rf"order by (?P<sort>{_NAME})(?: desc)? limit (?P<limit>\d+)\s*"
)
# A search reads its sort column's index in order when at least one row in this many matches:
# the first page is then found within about this many index entries per row shown.
_COMMON_WORD = 50


class _Searchable(NamedTuple):  # not a dataclass: Datasette loads this module without registering it
    fts: str
    rows: int
    sort_indexes: dict[str, str]  # column -> an index whose first column it is


@hookimpl
def startup(datasette: Any) -> Callable[[], Awaitable[None]]:
    async def shortcuts() -> None:
        for name, db in datasette.databases.items():
            built_here = not db.is_mutable and not db.is_memory and name != "_internal"
            if built_here and await db.table_exists("build_info"):
                db.execute = _shortcut(db.execute, await _precounted_facets(db), await _searchable_tables(db))

    return shortcuts


async def _precounted_facets(db: Any) -> set[tuple[str, str]]:
    """The (table, column) facets the database holds counts of."""
    if not await db.table_exists("facet_count"):
        return set()
    rows = await db.execute("select distinct table_name, column_name from facet_count")
    return {(row["table_name"], row["column_name"]) for row in rows}


async def _searchable_tables(db: Any) -> dict[str, _Searchable]:
    """Tables whose full-text index holds their rows (the form Datasette detects), with their sizes."""
    found = {}
    for table in await db.table_names():
        fts = await db.fts_table(table)
        if fts:
            rows = (await db.execute(f"select count(*) from [{table}]")).first()[0]
            indexes = await db.execute(
                "select list.name as index_name, info.name as column_name from pragma_index_list(:table) as list "
                "join pragma_index_info(list.name) as info on info.seqno = 0 where not list.partial",
                {"table": table},
            )
            sort_indexes = {row["column_name"]: row["index_name"] for row in indexes}
            found[table] = _Searchable(fts, rows, sort_indexes)
    return found


def _shortcut(
    execute: Callable[..., Awaitable[Any]],
    precounted: set[tuple[str, str]],
    searchable: dict[str, _Searchable],
) -> Callable[..., Awaitable[Any]]:
    async def cheaper_equal(sql: str, params: Any) -> tuple[str, dict[str, Any]] | None:
        """A cheaper query with the same answer, if this is one of the three; else None."""
        if not params and (facet := _WHOLE_TABLE_FACET.fullmatch(sql)):
            table, column = _unquoted(facet["table"]), _unquoted(facet["column"])
            if (table, column) in precounted:
                return _FACET_FROM_COUNTS, {"table": table, "column": column, "limit": facet["limit"]}
        if not (isinstance(params, dict) and set(params) == {"search"}):
            return None
        if (count := _SEARCH_COUNT.fullmatch(sql)) and _searched(count, searchable):
            return _count_in_index(count["fts"]), params
        if (page := _SEARCH_PAGE.fullmatch(sql)) and (searched := _searched(page, searchable)):
            index = searched.sort_indexes.get(_unquoted(page["sort"]))
            if (
                index
                and (await execute(_count_in_index(page["fts"]), params)).first()[0] * _COMMON_WORD >= searched.rows
            ):
                return f"{sql[: page.end('table')]} indexed by [{index}]{sql[page.end('table') :]}", params
        return None

    @functools.wraps(execute)
    async def execute_with_shortcuts(sql: str, params: Any = None, **options: Any) -> Any:
        sql, params = await cheaper_equal(sql, params) or (sql, params)
        return await execute(sql, params, **options)

    return execute_with_shortcuts


def _count_in_index(fts: str) -> str:
    return f"select count(*) from {fts} where {fts} match escape_fts(:search)"


def _searched(query: re.Match[str], searchable: dict[str, _Searchable]) -> _Searchable | None:
    """The searched table, if the query searches it through its own full-text index."""
    table = searchable.get(_unquoted(query["table"]))
    return table if table is not None and table.fts == _unquoted(query["fts"]) else None


def _unquoted(name: str) -> str:
    return name[1:-1] if name.startswith("[") else name
