"""The project's own pages stay bounded however many facts there are: the timeline counts per
period and predicate when there are more marks than it draws, and zooms in down to them; the
lists of sources are paged; an entity's counterparts and who-met-whom show the first few of
tables counted at build time; and every query of these pages reads an index range, never a
whole table.

Real Datasette, real SQLite, on a corpus of 2,000 facts made by the bench's generator
(bench/generate.py) and built by `build.py build`: never the live facts. The limits are lowered
by setting the plugins' module constants, so that a small corpus exceeds them; expectations are
computed from the fact table in Python, not from the tables the pages read.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

from conftest import PROJECT, build
from factdb.publishing import TIMELINE_PREDICATES
from factdb.reader_tables import ENCOUNTERS


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bounded")
    generate = [
        sys.executable,
        str(PROJECT / "bench" / "generate.py"),
        "--facts",
        "2000",
        "--out",
        str(root / "corpus"),
    ]
    subprocess.run(generate, cwd=PROJECT, check=True, capture_output=True, timeout=300)
    return build(root / "corpus", root / "facts.db")


@pytest.fixture(scope="module")
def site(database: Path) -> Datasette:
    return Datasette(
        immutables=[str(database)],
        metadata=json.loads((PROJECT / "metadata.json").read_text(encoding="utf-8")),
        plugins_dir=str(PROJECT / "plugins"),
        template_dir=str(PROJECT / "templates"),
        settings={"trace_debug": True},
    )


def plugin(site: Datasette, name: str) -> ModuleType:
    """The plugin module as Datasette loaded it (registered under its file name)."""
    module = pm.get_plugin(f"{name}.py")
    assert module is not None, name
    return module


def get(site: Datasette, path: str) -> str:
    response = asyncio.run(site.client.get(path))
    assert response.status_code == 200, path
    return response.text


def links(page: str, css_class: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(rf'<a class="{css_class}" href="([^"]+)"', page)]


# --- What the fact table says ---------------------------------------------------------------


def _period(start: str | None, end: str | None) -> str:
    """The shortest period known to hold a date: its day, its month, else the year it begins."""
    if start == end:
        return str(start)
    if start and end and start[:7] == end[:7]:
        return start[:7]
    return str(start or end)[:4]


def events(database: Path, country: str = "") -> dict[str, str]:
    """fact id -> period of the timeline's events (of a country, or all)."""
    marks = ", ".join("?" * len(TIMELINE_PREDICATES))
    sql = (
        f"SELECT id, date_start, date_end FROM fact WHERE predicate_id IN ({marks}) AND rank != 'deprecated' "
        "AND coalesce(date_start, date_end) IS NOT NULL"
    )
    parameters = list(TIMELINE_PREDICATES)
    if country:
        sql += " AND id IN (SELECT fact_id FROM fact_country WHERE country_id = ?)"
        parameters.append(country)
    with sqlite3.connect(database) as connection:
        return {fact_id: _period(start, end) for fact_id, start, end in connection.execute(sql, parameters)}


def counterparts(database: Path) -> dict[str, Counter[str]]:
    """Entity -> its counterparts' numbers of encounters, a visit to a place counting as one to its country."""
    marks = ", ".join("?" * len(ENCOUNTERS))
    sql = (
        "SELECT f.subject_id, CASE WHEN o.type = 'place' THEN coalesce(o.country_id, o.id) ELSE o.id END "
        f"FROM fact AS f JOIN entity AS o ON o.id = f.object_id WHERE f.predicate_id IN ({marks}) "
        "AND f.rank != 'deprecated'"
    )
    found: dict[str, Counter[str]] = {}
    with sqlite3.connect(database) as connection:
        for a, b in connection.execute(sql, ENCOUNTERS):
            if a != b:
                found.setdefault(a, Counter())[b] += 1
                found.setdefault(b, Counter())[a] += 1
    return found


def drawn_marks(page: str) -> list[str]:
    return re.findall(r'class="event-mark[^"]*" data-fact-id="([^"]+)"', page)


def period_counts(page: str) -> dict[str, int]:
    return {period: int(count) for period, count in re.findall(r'data-period="([^"]+)" data-count="(\d+)"', page)}


# --- The timeline ---------------------------------------------------------------------------


def test_the_timeline_of_too_many_events_counts_them_per_year(site: Datasette, database: Path) -> None:
    every = events(database)
    assert len(every) > plugin(site, "factdb_pages").MARK_LIMIT, "the corpus must exceed the limit"
    page = get(site, "/-/timeline")
    assert drawn_marks(page) == []
    assert period_counts(page) == Counter(period[:4] for period in every.values())
    assert "The same counts as a table" in page


def test_zooming_in_leads_from_the_years_down_to_the_marks(
    site: Datasette, database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 4
    monkeypatch.setattr(plugin(site, "factdb_pages"), "MARK_LIMIT", limit)
    every = events(database)
    per_year = Counter(period[:4] for period in every.values())
    year = max(per_year, key=lambda key: (per_year[key], key))
    top = get(site, "/-/timeline")
    year_page = get(site, f"/-/timeline?period={year}")
    assert f'href="/-/timeline?period={year}"' in top
    # Months: the events held by a month or one of its days; the rest are known only to the year.
    months = Counter(period[:7] for period in every.values() if period.startswith(year) and len(period) > 4)
    assert period_counts(year_page) == months and drawn_marks(year_page) == []
    whole = sorted(fact_id for fact_id, period in every.items() if period == year)
    assert f"{len(whole)} events are known only to the year as a whole" in year_page
    # Those are drawn a page at a time, each page linking to the next, until every one is drawn.
    seen, path = [], links(year_page, "whole-link")[0]
    while path:
        shown = get(site, path)
        assert 0 < len(drawn_marks(shown)) <= limit
        seen += drawn_marks(shown)
        path = next(iter(links(shown, "later")), "")
    assert seen == whole
    # A busy month is counted per day; a day's events are drawn.
    month = max(months, key=lambda key: (months[key], key))
    month_page = get(site, f"/-/timeline?period={month}")
    days = Counter(period for period in every.values() if period.startswith(month) and len(period) == 10)
    if months[month] > limit:
        assert period_counts(month_page) == days and drawn_marks(month_page) == []
    day = max(days, key=lambda key: (days[key], key))
    day_page = get(site, f"/-/timeline?period={day}")
    expected = sorted(fact_id for fact_id, period in every.items() if period == day)
    assert sorted(drawn_marks(day_page)) == expected[:limit] or len(expected) > limit
    assert len(drawn_marks(day_page)) == min(len(expected), limit)


def test_a_country_and_a_period_narrow_the_counts(
    site: Datasette, database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plugin(site, "factdb_pages"), "MARK_LIMIT", 4)
    japanese = events(database, "country:japan")
    years = Counter(period[:4] for period in japanese.values())
    year = max(years, key=lambda key: (years[key], key))
    page = get(site, f"/-/timeline?country=country:japan&period={year}")
    assert period_counts(page) == Counter(
        period[:7] for period in japanese.values() if period.startswith(year) and len(period) > 4
    )
    assert 'name="period" value="' + year + '"' in page  # choosing another country keeps the period


def test_the_deprecated_events_named_are_bounded(site: Datasette, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugin(site, "factdb_pages"), "LEFT_OUT_LIMIT", 1)
    page = get(site, "/-/timeline")
    assert page.count('class="deprecated-fact"') == 1
    assert re.search(r'and <a href="/facts/fact\?rank=deprecated">\d+ more</a>', page)


# --- Lists of sources -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "pattern"),
    [("/-/sources", r'<li><a href="/-/sources/([^"]+)"'), ("/-/coverage", r'data-source-id="([^"]+)"')],
)
def test_the_sources_are_listed_a_page_at_a_time(
    site: Datasette, database: Path, monkeypatch: pytest.MonkeyPatch, path: str, pattern: str
) -> None:
    limit = 7
    monkeypatch.setattr(plugin(site, "factdb_pages"), "SOURCES_PAGE", limit)
    with sqlite3.connect(database) as connection:
        sources = [row[0] for row in connection.execute("SELECT id FROM source ORDER BY id")]
    assert len(sources) > limit
    seen: list[str] = []
    while path:
        page = get(site, path)
        listed = re.findall(pattern, page)
        assert 0 < len(listed) <= limit
        seen += listed
        path = next(iter(links(page, "later")), "")
    assert seen == sources


# --- Entities and who met whom --------------------------------------------------------------


def test_a_hub_shows_its_most_frequent_counterparts(
    site: Datasette, database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 5
    monkeypatch.setattr(plugin(site, "entity_pages"), "COUNTERPARTS", limit)
    expected = counterparts(database)["country:vietnam"]
    assert len(expected) > limit
    page = get(site, "/-/entities/country:vietnam")
    listed = re.findall(r'<a class="counterpart" href="/-/entities/([^"]+)"', page)
    assert listed == [other for other, _ in sorted(expected.items(), key=lambda item: (-item[1], item[0]))[:limit]]
    facts = re.findall(r'<tr class="fact[ "]', page)
    assert 0 < len(facts) <= plugin(site, "entity_pages").PAGE_SIZE


def test_who_met_whom_draws_the_most_connected(site: Datasette, database: Path) -> None:
    module = plugin(site, "entity_pages")
    degrees = {entity: sum(others.values()) for entity, others in counterparts(database).items()}
    assert len(degrees) > module.NETWORK_TOP
    page = get(site, "/-/network")
    drawn = re.findall(r'class="node node-[a-z]+" data-entity-id="([^"]+)"', page)
    top = sorted(degrees, key=lambda entity: (-degrees[entity], entity))[: module.NETWORK_TOP]
    assert set(drawn) <= set(top) and len(drawn) <= module.NETWORK_TOP
    assert page.count("<line ") <= module.NETWORK_EDGES


# --- Every query reads an index range ------------------------------------------------------

PAGES = [
    "/-/timeline",
    "/-/timeline?period=2018",
    "/-/timeline?period=2018-05",
    "/-/timeline?country=country:vietnam&period=2018&exact=1",
    "/-/sources",
    "/-/coverage",
    "/-/entities/country:vietnam",
    "/-/relations/country:japan/country:vietnam",
    "/-/network",
]


def traces(site: Datasette, path: str) -> list[dict]:
    page = get(site, path + ("&" if "?" in path else "?") + "_trace=1")
    return json.loads(html.unescape(page.rsplit("<pre>", 1)[1].split("</pre>", 1)[0]))["traces"]


# Whole-table scans allowed: SQLite's own tables, a JSON list of parameters, a subquery's rows.
_HARMLESS_SCAN = re.compile(r"SCAN (json_each|\(subquery|node|sqlite_|CONSTANT ROW)")
# Index scans that stay small: encounter_count read in its index's order, the first rows only
# (LIMIT); the partial index of deprecated facts, which holds those alone.
_BOUNDED_SCAN = re.compile(r"INDEX (ix_encounter_count_order|ix_fact_deprecated)$")


@pytest.mark.parametrize("path", PAGES)
def test_every_query_of_the_page_reads_an_index(site: Datasette, database: Path, path: str) -> None:
    queries = [trace for trace in traces(site, path) if trace.get("sql") and "sqlite_master" not in trace["sql"]]
    assert queries
    with sqlite3.connect(database) as connection:
        for query in queries:
            if query["sql"].lstrip().upper().startswith(("PRAGMA", "EXPLAIN")):
                continue
            plan = [row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + query["sql"], query["params"] or {})]
            scans = [step for step in plan if step.startswith("SCAN") and not _HARMLESS_SCAN.match(step)]
            scans = [step for step in scans if not _BOUNDED_SCAN.search(step)]
            assert not scans, f"{path}: {query['sql']}\n{plan}"
