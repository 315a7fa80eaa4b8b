"""The plugins that make reading an immutable database cheap give Datasette's own answers.

On a real built database (a frozen project of the tests' own, the README's example and the two
2015 articles: over fifty facts, so that a word one fact holds is rare): facets equal the counts
SQLite makes of the rows, cells are those Datasette's own template writes, and Datasette's query
trace shows that the cheap path was taken.
(Datasette registers a plugins folder's modules for the whole process, so "Datasette as it
comes" is compared by what it answers, SQL or its own templates, not by a second instance
without the plugins.)
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from datasette.app import Datasette
from datasette.utils import tilde_encode

from conftest import PROJECT
from factdb.reader_tables import PRECOUNTED_FACETS


def _datasette(database: Path, template_dir: Path | None) -> Datasette:
    return Datasette(
        immutables=[str(database)],
        metadata=json.loads((PROJECT / "metadata.json").read_text(encoding="utf-8")),
        plugins_dir=str(PROJECT / "plugins"),
        template_dir=str(template_dir) if template_dir else None,
        settings={"trace_debug": True, "suggest_facets": False},
    )


@pytest.fixture(scope="module")
def site(three_articles_database: Path) -> Datasette:
    """The site as published: the project's plugins and templates."""
    return _datasette(three_articles_database, PROJECT / "templates")


@pytest.fixture(scope="module")
def stock_templates(three_articles_database: Path) -> Datasette:
    """The same, with Datasette's own templates."""
    return _datasette(three_articles_database, None)


def get(datasette: Datasette, path: str) -> dict:
    response = asyncio.run(datasette.client.get(path))
    assert response.status_code == 200, response.text[:300]
    return response.json()


def traced_sql(datasette: Datasette, path: str) -> list[str]:
    """The SQL a page ran, from Datasette's trace (appended to an HTML page, inside a JSON one)."""
    response = asyncio.run(datasette.client.get(path + ("&" if "?" in path else "?") + "_trace=1"))
    assert response.status_code == 200, response.text[:300]
    if response.headers["content-type"].startswith("text/html"):
        trace = json.loads(html.unescape(response.text.rsplit("<pre>", 1)[1].split("</pre>", 1)[0]))
    else:
        trace = response.json()["_trace"]
    return [query["sql"] for query in trace["traces"]]


def test_facet_counts_are_the_counts_of_the_rows(three_articles_database: Path) -> None:
    with sqlite3.connect(three_articles_database) as connection:
        for table, columns in PRECOUNTED_FACETS.items():
            for column in columns:
                stored = connection.execute(
                    "SELECT value, count FROM facet_count WHERE table_name = ? AND column_name = ? ORDER BY value",
                    (table, column),
                ).fetchall()
                counted = connection.execute(
                    f"SELECT {column}, count(*) FROM {table} WHERE {column} IS NOT NULL GROUP BY 1 ORDER BY 1"
                ).fetchall()
                assert stored == counted and counted, (table, column)


def _facet_counts(database: Path, table: str, column: str, where: str = "") -> list[tuple[str, int]]:
    """A facet as SQLite counts it from the rows, in Datasette's order (most rows first)."""
    with sqlite3.connect(database) as connection:
        return connection.execute(
            f"SELECT {column}, count(*) AS n FROM {table} WHERE {column} IS NOT NULL {where} "
            f"GROUP BY 1 ORDER BY n DESC, 1 LIMIT 200"
        ).fetchall()


def _facet(answer: dict, column: str) -> list[tuple[str, int]]:
    return [(value["value"], value["count"]) for value in answer["facet_results"][column]["results"]]


@pytest.mark.parametrize(("table", "column"), [(t, c) for t, columns in PRECOUNTED_FACETS.items() for c in columns])
def test_a_whole_table_facet_is_read_from_the_counts(
    site: Datasette, three_articles_database: Path, table: str, column: str
) -> None:
    path = f"/facts/{table}.json?_facet={column}&_facet_size=max"
    assert _facet(get(site, path), column) == _facet_counts(three_articles_database, table, column)
    queries = traced_sql(site, path)
    assert any("from facet_count" in sql for sql in queries)
    assert not any("count(*) as count" in sql for sql in queries)  # no GROUP BY over the rows


def test_a_filtered_facet_is_counted_from_the_rows(site: Datasette, three_articles_database: Path) -> None:
    path = "/facts/fact.json?modality=actual&_facet=predicate_id&_facet_size=max"
    expected = _facet_counts(three_articles_database, "fact", "predicate_id", "AND modality = 'actual'")
    assert _facet(get(site, path), "predicate_id") == expected
    queries = traced_sql(site, path)
    assert any("count(*) as count" in sql for sql in queries)
    assert not any("from facet_count" in sql for sql in queries)


def _schema_questions(queries: list[str]) -> list[str]:
    return [sql for sql in queries if "sqlite_master" in sql or sql.lstrip().upper().startswith("PRAGMA")]


def test_the_schema_of_the_immutable_database_is_asked_once(three_articles_database: Path) -> None:
    site = _datasette(three_articles_database, PROJECT / "templates")  # a new process's first requests
    page = "/facts/fact?_size=10"  # small: Datasette's tracer leaves pages over 256 KB unanswered
    assert _schema_questions(traced_sql(site, page)) != []  # the first time, Datasette asks
    assert _schema_questions(traced_sql(site, page)) == []
    assert _schema_questions(traced_sql(site, "/facts/entity?_size=10")) != []  # another table: asked once too
    assert _schema_questions(traced_sql(site, "/facts/entity?_size=10")) == []


_CELL = re.compile(r"<td class=\"[^\"]*\">.*?</td>", re.DOTALL)


@pytest.mark.parametrize(
    "path",
    [
        "/facts/fact?_size=max",  # foreign keys shown as labelled links, empty cells, numbers
        "/facts/source",  # the plugin's own links beside source ids
        "/facts/entity?_size=max",
        "/facts/predicate/visited",  # a row page without foreign keys
        "/facts/timeline_between?country_a=Vietnam&country_b=Japan&year=2015",  # canned queries
        "/facts/entity_facts?name=Shizo+Abe",
        "/facts/source_coverage?source=vov-2018-quang-japan",  # the plugin's links beside source ids
    ],
)
def test_table_cells_are_written_as_datasette_writes_them(
    site: Datasette, stock_templates: Datasette, path: str
) -> None:
    ours, theirs = (asyncio.run(datasette.client.get(path)).text for datasette in (site, stock_templates))
    cells = _CELL.findall(theirs)
    assert cells and _CELL.findall(ours) == cells


@pytest.mark.parametrize(
    ("table", "naming"),
    [
        ("fact", "object_id IS NOT NULL"),
        ("citation", "1"),
        ("alias", "source_id IS NOT NULL"),
        ("entity", "country_id IS NOT NULL"),
    ],
)
def test_a_row_page_links_its_foreign_keys_as_its_table_page_does(
    site: Datasette, stock_templates: Datasette, three_articles_database: Path, table: str, naming: str
) -> None:
    """Datasette 0.65 shows a row page's foreign keys as bare ids; here each is the labelled link
    the table page shows for the same row, and every other cell is as Datasette writes it."""
    with sqlite3.connect(three_articles_database) as connection:
        keys = [row[3] for row in connection.execute(f"PRAGMA foreign_key_list({table})")]
        key, filled = connection.execute(
            f"SELECT id, {' + '.join(f'({column} IS NOT NULL)' for column in keys)} FROM {table} "
            f"WHERE {naming} ORDER BY rowid LIMIT 1"
        ).fetchone()

    def cells(datasette: Datasette, path: str) -> dict[str, str]:
        page = asyncio.run(datasette.client.get(path)).text
        return {re.match(r'<td class="col-(\S+)', cell)[1]: cell for cell in _CELL.findall(page)}

    path = f"/facts/{table}/{tilde_encode(str(key))}"
    row, bare = cells(site, path), cells(stock_templates, path)
    listed = cells(site, f"/facts/{table}?id={quote(str(key), safe='')}")
    linked = {column for column in keys if "<a href=" in listed[column]}
    assert len(linked) == filled >= 1
    assert {column: row[column] for column in linked} == {column: listed[column] for column in linked}
    assert {column: cell for column, cell in row.items() if column not in linked} == {
        column: cell for column, cell in bare.items() if column not in linked
    }


def _search(database: Path, word: str, where: str = "") -> list[tuple[str, str | None]]:
    """The facts a search finds, as SQLite finds them: (id, date_start) in date order."""
    with sqlite3.connect(database) as connection:
        return connection.execute(
            f"SELECT id, date_start FROM fact WHERE rowid IN (SELECT rowid FROM fact_fts WHERE fact_fts MATCH ?) "
            f"{where} ORDER BY date_start",
            (f'"{word}"',),
        ).fetchall()


@pytest.mark.parametrize(("word", "common"), [("Japan", True), ("cooperation", True), ("Shizo", False)])
def test_a_search_finds_and_counts_what_sqlite_finds(
    site: Datasette, three_articles_database: Path, word: str, common: bool
) -> None:
    found = _search(three_articles_database, word)
    whole = get(site, f"/facts/fact.json?_search={word}&_size=max&_shape=objects")
    assert whole["filtered_table_rows_count"] == len(found) and found
    assert sorted(row["id"] for row in whole["rows"]) == sorted(fact_id for fact_id, _ in found)
    assert [row["date_start"] for row in whole["rows"]] == [date for _, date in found]  # in date order
    first = get(site, f"/facts/fact.json?_search={word}&_size=3&_shape=objects")["rows"]
    assert [row["date_start"] for row in first] == [date for _, date in found[:3]]

    queries = traced_sql(site, f"/facts/fact.json?_search={word}")
    assert "select count(*) from fact_fts where fact_fts match escape_fts(:search)" in queries  # counted in the index
    assert not any(sql.startswith("select count(*) from fact ") for sql in queries)
    assert any("indexed by [ix_fact_date_start]" in sql for sql in queries) is common  # a common word: index order


def test_a_search_with_a_filter_runs_as_datasette_writes_it(site: Datasette, three_articles_database: Path) -> None:
    found = _search(three_articles_database, "Japan", "AND modality = 'actual'")
    answer = get(site, "/facts/fact.json?_search=Japan&modality=actual&_size=max&_shape=objects")
    assert answer["filtered_table_rows_count"] == len(found) and found
    assert [row["date_start"] for row in answer["rows"]] == [date for _, date in found]
    queries = traced_sql(site, "/facts/fact.json?_search=Japan&modality=actual")
    assert any(sql.startswith("select count(*) from fact where") for sql in queries)
    assert not any("indexed by" in sql for sql in queries)


def test_an_entity_is_found_by_any_name_through_an_index(three_articles_database: Path) -> None:
    with sqlite3.connect(three_articles_database) as connection:
        for table in ("entity", "alias"):
            plan = connection.execute(
                f"EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE lower(name) = lower(?)", ("Shizo Abe",)
            ).fetchall()
            assert any(f"USING INDEX ix_{table}_name_lower" in step[-1] for step in plan), plan
