"""Datasette pages of the fact database: a timeline, per-source coverage, readable sources.

A plugin loaded with `--plugins-dir plugins` (and its templates with
`--template-dir templates`), self-contained so that `datasette publish` can
ship it (Datasette loads it without registering the module, hence NamedTuple
rather than dataclasses). Pages are drawn as SVG on the server: no JavaScript, no network.
Every value from the data reaches the page through Jinja's autoescaping.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, NamedTuple

from datasette import Response, hookimpl
from markupsafe import Markup, escape

DATABASE = "facts"
PLUGIN = "factdb-pages"


def _config(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN) or {}


# --- Timeline ------------------------------------------------------------------

ROW_HEIGHT = 34
LEFT = 70
WIDTH = 900


class Mark(NamedTuple):
    fact_id: str
    statement: str
    predicate: str
    day: str
    x: float
    y: float
    colour: str


def _year_fraction(day: str) -> float:
    moment = date.fromisoformat(day)
    start = date(moment.year, 1, 1)
    return (moment - start).days / (date(moment.year + 1, 1, 1) - start).days


async def _timeline_marks(datasette: Any, country: str) -> tuple[list[Mark], list[int], dict[str, str]]:
    predicates = _config(datasette).get("timeline_predicates", [])
    palette = _config(datasette).get("palette", ["#1f77b4"])
    colours = {predicate: palette[index % len(palette)] for index, predicate in enumerate(predicates)}
    placeholders = ", ".join(f":p{index}" for index in range(len(predicates)))
    parameters: dict[str, Any] = {f"p{index}": predicate for index, predicate in enumerate(predicates)}
    sql = (
        # A date with an open start ("../2015-09") is placed at its latest day.
        "SELECT id, statement, predicate_id, coalesce(date_start, date_end) AS day FROM fact "
        f"WHERE day IS NOT NULL AND rank = 'normal' AND predicate_id IN ({placeholders})"
    )
    if country:
        sql += " AND id IN (SELECT fact_id FROM fact_country WHERE country_id = :country)"
        parameters["country"] = country
    rows = (await datasette.get_database(DATABASE).execute(sql + " ORDER BY day, id", parameters)).rows
    years = sorted({int(row["day"][:4]) for row in rows})
    row_of = {year: index for index, year in enumerate(years)}
    stacked: dict[tuple[int, int], int] = {}
    marks = []
    for row in rows:
        year = int(row["day"][:4])
        x = LEFT + 10 + _year_fraction(row["day"]) * (WIDTH - LEFT - 30)
        slot = (year, round(x / 8))  # marks on the same spot stack upwards instead of hiding each other
        stacked[slot] = stacked.get(slot, 0) + 1
        y = 24 + row_of[year] * ROW_HEIGHT + ROW_HEIGHT / 2 - (stacked[slot] - 1) * 5
        colour = colours[row["predicate_id"]]
        marks.append(Mark(row["id"], row["statement"], row["predicate_id"], row["day"], x, y, colour))
    return marks, years, colours


async def timeline(datasette: Any, request: Any) -> Response:
    country = request.args.get("country", "")
    marks, years, colours = await _timeline_marks(datasette, country)
    countries = (
        await datasette.get_database(DATABASE).execute(
            "SELECT DISTINCT entity.id, entity.name FROM fact_country "
            "JOIN entity ON entity.id = fact_country.country_id ORDER BY entity.name"
        )
    ).rows
    context = {
        "marks": marks,
        "years": years,
        "colours": colours,
        "country": country,
        "countries": countries,
        "width": WIDTH,
        "left": LEFT,
        "row_height": ROW_HEIGHT,
        "height": 40 + len(years) * ROW_HEIGHT,
        "months": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    }
    return Response.html(await datasette.render_template("factdb_timeline.html", context, request=request))


# --- Coverage ------------------------------------------------------------------


async def coverage(datasette: Any, request: Any) -> Response:
    rows = (
        await datasette.get_database(DATABASE).execute(
            "SELECT coverage.*, source.title FROM coverage JOIN source ON source.id = coverage.source_id "
            "ORDER BY coverage.source_id"
        )
    ).rows
    most = max((row["sentences"] for row in rows), default=1)
    bars = []
    for index, row in enumerate(rows):
        scale = 520 / most
        cited, excluded, uncovered = (row[key] * scale for key in ("cited", "excluded", "uncovered"))
        bars.append({"row": row, "y": 30 + index * 46, "cited": cited, "excluded": excluded, "uncovered": uncovered})
    context = {"bars": bars, "height": 50 + len(rows) * 46}
    return Response.html(await datasette.render_template("factdb_coverage.html", context, request=request))


# --- Source pages --------------------------------------------------------------


class Segment(NamedTuple):
    text: str
    facts: tuple[str, ...]
    status: str
    reason: str | None


def segments(text: str, citations: list[tuple[str, list[list[int]]]], sentences: list[Any]) -> list[Segment]:
    """Cut the text where what covers it changes: cited passages (with their facts) and sentence status."""
    facts_at: list[set[str]] = [set() for _ in text]
    status_at: list[tuple[str, str | None]] = [("between", None)] * len(text)
    for sentence in sentences:
        for index in range(sentence["start"], min(sentence["end"], len(text))):
            status_at[index] = (sentence["status"], sentence["reason"])
    for fact_id, spans in citations:
        for start, end in spans:
            for index in range(start, min(end, len(text))):
                facts_at[index].add(fact_id)
    cut: list[Segment] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or facts_at[index] != facts_at[start] or status_at[index] != status_at[start]:
            status, reason = status_at[start]
            cut.append(Segment(text[start:index], tuple(sorted(facts_at[start])), status, reason))
            start = index
    return cut


async def source_page(datasette: Any, request: Any) -> Response:
    source_id = request.url_vars["source_id"]
    db = datasette.get_database(DATABASE)
    found = (await db.execute("SELECT * FROM source WHERE id = :id", {"id": source_id})).first()
    if found is None:
        return Response.html(f"<h1>No source {escape(source_id)}</h1>", status=404)
    citations = [
        (row["fact_id"], json.loads(row["spans"]))
        for row in (
            await db.execute("SELECT fact_id, spans FROM citation WHERE source_id = :id ORDER BY id", {"id": source_id})
        ).rows
    ]
    sentences = (
        await db.execute(
            'SELECT start, "end", status, reason FROM sentence WHERE source_id = :id ORDER BY number', {"id": source_id}
        )
    ).rows
    coverage_row = (await db.execute("SELECT * FROM coverage WHERE source_id = :id", {"id": source_id})).first()
    context = {
        "source": found,
        "segments": segments(found["text"], citations, sentences),
        "coverage": coverage_row,
        "fact_count": len({fact_id for fact_id, _ in citations}),
    }
    return Response.html(await datasette.render_template("factdb_source.html", context, request=request))


async def source_index(datasette: Any, request: Any) -> Response:
    rows = (
        await datasette.get_database(DATABASE).execute(
            "SELECT source.id, source.title, source.publisher, source.published, coverage.percent_covered "
            "FROM source LEFT JOIN coverage ON coverage.source_id = source.id ORDER BY source.published_start"
        )
    ).rows
    return Response.html(await datasette.render_template("factdb_sources.html", {"sources": rows}, request=request))


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/timeline$", timeline),
        (r"^/-/coverage$", coverage),
        (r"^/-/sources$", source_index),
        (r"^/-/sources/(?P<source_id>[a-z0-9-]+)$", source_page),
    ]


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str) -> Markup | None:
    """Source ids link to their readable page, beside Datasette's own row link."""
    if database == DATABASE and table in {"source", "coverage"} and column in {"id", "source_id"} and value:
        return Markup('{0} · <a href="/-/sources/{0}">read with its facts</a>').format(escape(str(value)))
    return None


@hookimpl
def menu_links() -> list[dict[str, str]]:
    return [
        {"href": "/-/timeline", "label": "Timeline of events"},
        {"href": "/-/coverage", "label": "Coverage of sources"},
        {"href": "/-/sources", "label": "Read the sources"},
    ]
