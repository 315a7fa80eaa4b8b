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
DEPRECATED = "deprecated"  # fact.rank of a fact found wrong, kept so that its id resolves


def _config(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN) or {}


# --- Timeline ------------------------------------------------------------------

LANE = 12  # height of one lane of marks within a year's row
ROW_PADDING = 14
LEFT = 70
WIDTH = 900
PLOT = WIDTH - LEFT - 30  # the width of a year
_QUALIFIERS = ("?", "~", "%")  # EDTF's uncertain, approximate, and both


class Piece(NamedTuple):
    """What a mark draws in one year's row: a dot (width 0) or a bar from x to x + width."""

    x: float
    y: float
    width: float


class Mark(NamedTuple):
    fact_id: str
    statement: str
    predicate: str
    date: str  # EDTF
    text: str  # the date in words, as precise as it is known (fact.date_text)
    colour: str
    qualified: bool  # uncertain or approximate: drawn dashed
    pieces: tuple[Piece, ...]


class YearRow(NamedTuple):
    year: int
    y: float
    height: float


def _x(day: date, *, end: bool = False) -> float:
    """Where a day starts in its year's row (or ends, for the last day of a bar)."""
    start = date(day.year, 1, 1)
    days = (date(day.year + 1, 1, 1) - start).days
    return LEFT + 10 + ((day - start).days + end) / days * PLOT


def _extents(row: Any) -> list[tuple[int, float, float]]:
    """The (year, x from, x to) a fact's date covers, row by row. A day is a point; a year or a
    month is a bar over the whole period (a year is never its first day); an open end runs to
    the edge of the known side's year, since it goes on beyond what is drawn."""
    first = date.fromisoformat(row["date_start"] or row["date_end"][:4] + "-01-01")
    last = date.fromisoformat(row["date_end"] or row["date_start"][:4] + "-12-31")
    if row["date_start"] == row["date_end"]:
        return [(first.year, _x(first), _x(first))]
    return [
        (
            year,
            _x(first) if year == first.year else _x(date(year, 1, 1)),
            _x(last, end=True) if year == last.year else _x(date(year, 12, 31), end=True),
        )
        for year in range(first.year, last.year + 1)
    ]


def _lane(lanes: list[list[tuple[float, float]]], left: float, right: float) -> int:
    """The first lane of a year's row where [left, right] overlaps nothing drawn, so that no mark
    hides another (a year's bar would cover every dot of that year)."""
    for index, taken in enumerate(lanes):
        if all(right + 2 < other_left or left - 2 > other_right for other_left, other_right in taken):
            taken.append((left, right))
            return index
    lanes.append([(left, right)])
    return len(lanes) - 1


async def _timeline_marks(datasette: Any, country: str) -> tuple[list[Mark], list[YearRow], dict[str, str], list[Any]]:
    """The marks of the events, the rows of their years, the colours, and the deprecated events left out."""
    predicates = _config(datasette).get("timeline_predicates", [])
    palette = _config(datasette).get("palette", ["#1f77b4"])
    colours = {predicate: palette[index % len(palette)] for index, predicate in enumerate(predicates)}
    placeholders = ", ".join(f":p{index}" for index in range(len(predicates)))
    parameters: dict[str, Any] = {f"p{index}": predicate for index, predicate in enumerate(predicates)}
    sql = (
        "SELECT id, statement, predicate_id, date, date_text, date_start, date_end, rank, deprecation_reason, "
        "coalesce(date_start, date_end) AS day "
        f"FROM fact WHERE day IS NOT NULL AND predicate_id IN ({placeholders})"
    )
    if country:
        sql += " AND id IN (SELECT fact_id FROM fact_country WHERE country_id = :country)"
        parameters["country"] = country
    found = (await datasette.get_database(DATABASE).execute(sql + " ORDER BY day, id", parameters)).rows
    # A deprecated fact is wrong: not drawn as an event, but named under the picture.
    rows = [row for row in found if row["rank"] != DEPRECATED]
    left_out = [row for row in found if row["rank"] == DEPRECATED]
    extents = {row["id"]: _extents(row) for row in rows}
    lanes: dict[int, list[list[tuple[float, float]]]] = {
        year: [] for covered in extents.values() for year, _, _ in covered
    }
    placed = {  # fact id -> (year, x from, x to, lane) of each of its pieces
        fact_id: [(year, left, right, _lane(lanes[year], left - 6, right + 6)) for year, left, right in covered]
        for fact_id, covered in extents.items()
    }
    years, y = [], 24.0
    for year in sorted(lanes):
        height = ROW_PADDING + max(len(lanes[year]), 1) * LANE
        years.append(YearRow(year, y, height))
        y += height
    top = {row.year: row.y + ROW_PADDING / 2 + LANE / 2 for row in years}
    marks = [
        Mark(
            row["id"],
            row["statement"],
            row["predicate_id"],
            row["date"],
            row["date_text"],
            colours[row["predicate_id"]],
            any(mark in row["date"] for mark in _QUALIFIERS),
            tuple(Piece(left, top[year] + lane * LANE, right - left) for year, left, right, lane in placed[row["id"]]),
        )
        for row in rows
    ]
    return marks, years, colours, left_out


async def timeline(datasette: Any, request: Any) -> Response:
    country = request.args.get("country", "")
    marks, years, colours, left_out = await _timeline_marks(datasette, country)
    countries = (
        await datasette.get_database(DATABASE).execute(
            "SELECT DISTINCT entity.id, entity.name FROM fact_country "
            "JOIN entity ON entity.id = fact_country.country_id ORDER BY entity.name"
        )
    ).rows
    context = {
        "marks": marks,
        "left_out": left_out,
        "years": years,
        "colours": colours,
        "country": country,
        "countries": countries,
        "width": WIDTH,
        "left": LEFT,
        "plot": PLOT,
        "height": (years[-1].y + years[-1].height if years else 24) + 16,
        "months": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    }
    return Response.html(await datasette.render_template("factdb_timeline.html", context, request=request))


# --- Coverage ------------------------------------------------------------------


# How many deprecated facts cite the source of the row (`source.id`): the pages about sources say
# so, since the sentences such a fact cites count as cited.
_DEPRECATED_CITING = (
    "(SELECT count(DISTINCT citation.fact_id) FROM citation JOIN fact ON fact.id = citation.fact_id "
    f"WHERE citation.source_id = source.id AND fact.rank = '{DEPRECATED}')"
)


async def coverage(datasette: Any, request: Any) -> Response:
    rows = (
        await datasette.get_database(DATABASE).execute(
            f"SELECT coverage.*, source.title, {_DEPRECATED_CITING} AS deprecated FROM coverage "
            "JOIN source ON source.id = coverage.source_id ORDER BY coverage.source_id"
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


class Span(NamedTuple):
    """A stretch of the text marked for the reader: [start, end) with what marks it.

    `kind` says what the mark is ("cited" and "deprecated": a fact's citation, `key` the fact's
    id; "sentence": `key` the sentence's status, `note` the reason it is excluded); another kind
    (the words of a fact's grounding) is one more kind of span, not another cutting of the text.
    """

    start: int
    end: int
    key: str
    kind: str
    note: str | None = None


Marker = tuple[str, str, str | None]  # a span's (kind, key, note): what marks the text, wherever


class Segment(NamedTuple):
    text: str
    marks: tuple[Marker, ...]  # of every span over the segment, sorted

    def keys(self, kind: str) -> list[str]:
        return [key for marked, key, _ in self.marks if marked == kind]

    def mark(self, kind: str) -> tuple[str, str | None] | None:
        """(key, note) of the first span of this kind over the segment, if any."""
        return next(((key, note) for marked, key, note in self.marks if marked == kind), None)


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """Cut the text where the set of spans over it changes.

    Made from the spans' boundaries alone (each start and end, sorted), so that time and
    memory grow with the number of spans, not the characters: a 2 MB source with thousands of
    citations was cut character by character in 6.6 s and 674 MB. A span reaching past the text
    is cut at its end; an empty one marks nothing.
    """
    events: dict[int, list[tuple[int, Marker]]] = {}
    for span in spans:
        start, end = max(span.start, 0), min(span.end, len(text))
        if start < end:
            mark = (span.kind, span.key, span.note)
            events.setdefault(start, []).append((1, mark))
            events.setdefault(end, []).append((-1, mark))
    over: dict[Marker, int] = {}  # the marks over the stretch being read, each with its number of spans
    cuts: list[tuple[int, tuple[Marker, ...]]] = []  # where a segment starts, and its marks
    for position in sorted(events):
        for change, mark in events[position]:
            over[mark] = over.get(mark, 0) + change
            if not over[mark]:
                del over[mark]
        marks = tuple(sorted(over, key=_mark_order))
        if not cuts or cuts[-1][1] != marks:  # a span ending where an equal one starts cuts nothing
            cuts.append((position, marks))
    if not cuts or cuts[0][0] > 0:
        cuts.insert(0, (0, ()))
    ends = [position for position, _ in cuts[1:]] + [len(text)]
    return [Segment(text[start:end], marks) for (start, marks), end in zip(cuts, ends, strict=True) if start < end]


def _mark_order(mark: Marker) -> tuple[str, str, str]:
    return mark[0], mark[1], mark[2] or ""


def marked_text(cut: list[Segment]) -> Markup:
    """The source's text with its marks, written in one Python call (Jinja's async mode costs
    tens of microseconds an expression, and a long source has tens of thousands of segments).
    Every piece of text and every id is escaped."""
    return Markup("".join(map(_passage, cut)))


def _passage(segment: Segment) -> str:
    text = escape(segment.text)
    named = [(key, note) for kind, key, note in segment.marks if kind == "named"]
    if named:  # words that name a fact's entity (its grounding), inside the cited passage
        entities = " ".join(dict.fromkeys(key for key, _ in named))
        title = "; ".join(dict.fromkeys(note or key for key, note in named))
        text = Markup(f'<span class="named" data-entities="{escape(entities)}" title="{escape(title)}">{text}</span>')
    facts, wrong = segment.keys("cited"), segment.keys("deprecated")
    if facts or wrong:
        linked = facts + wrong
        href = f"/facts/fact/{linked[0]}" if len(linked) == 1 else f"/facts/fact?id__in={','.join(linked)}"
        title = "; ".join(filter(None, [", ".join(facts), wrong and "deprecated: " + ", ".join(wrong)]))
        data = (f' data-facts="{escape(" ".join(facts))}"' if facts else "") + (
            f' data-deprecated-facts="{escape(" ".join(wrong))}"' if wrong else ""
        )
        kind = "cited" if facts else "deprecated"
        return f'<mark class="{kind}"{data}><a href="{escape(href)}" title="{escape(title)}">{text}</a></mark>'
    status, reason = segment.mark("sentence") or ("between", None)
    if status == "excluded":
        return f'<span class="excluded" title="{escape(reason or "")}">{text}</span>'
    if status == "uncovered":
        return f'<span class="uncovered">{text}</span>'
    return str(text)


# Where the source's words name the entities of the facts citing it (factdb/grounding.py).
_GROUNDING_IN_SOURCE = """
SELECT g.fact_id, g.role, g.entity_id, e.name, g.how, g.start, g."end" FROM grounding AS g
JOIN entity AS e ON e.id = g.entity_id WHERE g.source_id = :id AND g.start < :last AND g."end" > :first
ORDER BY g.id
"""


def _grounding_note(row: Any) -> str:
    """What a reader hovering over grounded words is told: whom they name, in which fact."""
    stands = "stands for" if row["how"] == "referent" else "names"
    return f"{stands} {row['name']} ({row['role']} of {row['fact_id']})"


# A source page shows its text a part at a time, each ending at a line break after this many
# characters: a long archived text (and its thousands of marks) never renders whole.
PART_SIZE = 100_000


def parts(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each part of a text, cut at the first line break after PART_SIZE."""
    cuts, start = [], 0
    while start < len(text):
        end = text.find("\n", start + PART_SIZE)
        end = len(text) if end < 0 else end + 1
        cuts.append((start, end))
        start = end
    return cuts or [(0, 0)]


async def source_page(datasette: Any, request: Any) -> Response:
    source_id = request.url_vars["source_id"]
    db = datasette.get_database(DATABASE)
    found = (await db.execute("SELECT * FROM source WHERE id = :id", {"id": source_id})).first()
    if found is None:
        return Response.html(f"<h1>No source {escape(source_id)}</h1>", status=404)
    cuts = parts(found["text"])
    requested = request.args.get("part", "1")
    number = min(max(int(requested), 1), len(cuts)) if requested.isdigit() else 1
    first, last = cuts[number - 1]
    window = {"id": source_id, "first": first, "last": last}
    citations = (
        await db.execute(
            "SELECT c.fact_id, c.spans, f.rank, f.deprecation_reason FROM citation AS c "
            'JOIN fact AS f ON f.id = c.fact_id WHERE c.source_id = :id AND c.start < :last AND c."end" > :first '
            "ORDER BY c.id",
            window,
        )
    ).rows
    sentences = (
        await db.execute(
            'SELECT start, "end", status, reason FROM sentence WHERE source_id = :id AND start < :last '
            'AND "end" > :first ORDER BY number',
            window,
        )
    ).rows
    spans = [Span(row["start"], row["end"], row["status"], "sentence", row["reason"]) for row in sentences]
    for row in citations:
        # A deprecated fact's passage is marked apart: wrong, but its id must keep resolving.
        kind, note = ("deprecated", row["deprecation_reason"]) if row["rank"] == DEPRECATED else ("cited", None)
        spans += [Span(start, end, row["fact_id"], kind, note) for start, end in json.loads(row["spans"])]
    spans += [
        Span(row["start"], row["end"], row["entity_id"], "named", _grounding_note(row))
        for row in (await db.execute(_GROUNDING_IN_SOURCE, window)).rows
    ]
    here = [span._replace(start=span.start - first, end=span.end - first) for span in spans]
    counts = (await db.execute(_FACTS_CITING, {"id": source_id})).first()
    deprecated = (await db.execute(_DEPRECATED_FACTS_CITING, {"id": source_id})).rows
    coverage_row = (await db.execute("SELECT * FROM coverage WHERE source_id = :id", {"id": source_id})).first()
    context = {
        "source": found,
        "marked_text": marked_text(segments(found["text"][first:last], here)),
        "part": number,
        "part_count": len(cuts),
        "coverage": coverage_row,
        "fact_count": counts["facts"],
        "deprecated": {row["fact_id"]: row["deprecation_reason"] for row in deprecated},
    }
    return Response.html(await datasette.render_template("factdb_source.html", context, request=request))


_FACTS_CITING = """SELECT count(DISTINCT c.fact_id) AS facts FROM citation AS c JOIN fact AS f ON f.id = c.fact_id
WHERE c.source_id = :id AND f.rank != 'deprecated'"""
_DEPRECATED_FACTS_CITING = """SELECT DISTINCT f.id AS fact_id, f.deprecation_reason FROM citation AS c
JOIN fact AS f ON f.id = c.fact_id WHERE c.source_id = :id AND f.rank = 'deprecated' ORDER BY f.id LIMIT 100"""


async def source_index(datasette: Any, request: Any) -> Response:
    rows = (
        await datasette.get_database(DATABASE).execute(
            "SELECT source.id, source.title, source.publisher, source.published_text, coverage.percent_covered, "
            f"{_DEPRECATED_CITING} AS deprecated FROM source LEFT JOIN coverage ON coverage.source_id = source.id "
            "ORDER BY source.published_start"
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
