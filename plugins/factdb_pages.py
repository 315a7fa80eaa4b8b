"""Datasette pages of the fact database: a timeline, per-source coverage, readable sources.

A plugin loaded with `--plugins-dir plugins` (and its templates with
`--template-dir templates`), self-contained so that `datasette publish` can
ship it (Datasette loads it without registering the module, hence NamedTuple
rather than dataclasses). Pages are drawn as SVG on the server: no JavaScript, no network.
Every value from the data reaches the page through Jinja's autoescaping. No page renders an
unbounded list: the timeline counts per period when it has more than MARK_LIMIT marks (from
tables counted at build time, factdb/reader_tables.py) and lets the reader zoom in, the lists
of sources are paged by id, and a long source is shown a part at a time.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, NamedTuple
from urllib.parse import urlencode

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
COUNT_ROOM = 70  # after a period's longest bar, room for its count (up to seven digits)
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


# A page draws at most MARK_LIMIT marks: a period (or country) with more events is drawn as
# counts per finer period and predicate, each a link that zooms in, down to a day; a day, or the
# events known only to a whole period, with more are drawn MARK_LIMIT at a time.
MARK_LIMIT = 300
LEFT_OUT_LIMIT = 20  # deprecated events named under the picture at most
COUNT_ROW = 22  # height of a period's row of counts
PERIOD = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")  # timeline_fact.period: a year, a month or a day
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_FULL_MONTHS = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]


def period_text(period: str) -> str:
    """A period as precisely as it is: 2018, May 2018, 31 May 2018; every year for ''."""
    if not period:
        return "every year"
    year, *rest = period.split("-")
    month = [_FULL_MONTHS[int(rest[0]) - 1]] if rest else []
    day = [str(int(rest[1]))] if len(rest) > 1 else []
    return " ".join([*day, *month, year])


class Scope(NamedTuple):
    """What the timeline shows: the events of a country ('' for all) in a period ('' for all),
    or only those whose date is known to that period alone (`exact`: not to one of its parts)."""

    country: str
    period: str
    exact: bool

    def bounds(self) -> dict[str, str]:
        """The range of timeline_fact.period this scope reads (inclusive): '~' sorts after every
        digit and dash, so that 2018~ ends the periods within 2018."""
        return {"country": self.country, "low": self.period, "high": self.period + ("" if self.exact else "~")}

    def link(self, after: str = "", **changes: Any) -> str:
        """The timeline of this scope changed by `changes`, from the cursor `after` if given."""
        chosen = self._replace(**changes)
        query = {
            "country": chosen.country,
            "period": chosen.period,
            "exact": "1" if chosen.exact else "",
            "after": after,
        }
        return "/-/timeline?" + urlencode({key: value for key, value in query.items() if value})


class CountRow(NamedTuple):
    """A period's events counted per predicate, drawn as one bar of a colour per predicate."""

    period: str
    text: str
    href: str
    total: int
    y: float
    pieces: tuple[tuple[str, int, float, float], ...]  # (predicate, count, x, width)
    end: float  # where the last piece ends


_RANGE = "FROM timeline_fact WHERE country_id = :country AND period BETWEEN :low AND :high"


async def _count_at_most(db: Any, scope: Scope, limit: int) -> int:
    sql = f"SELECT count(*) AS n FROM (SELECT 1 {_RANGE} LIMIT {limit + 1})"
    return (await db.execute(sql, scope.bounds())).first()["n"]


async def _marks(datasette: Any, scope: Scope, after: str) -> tuple[list[Mark], list[YearRow], str | None]:
    """A page of the scope's marks, from the cursor `after` (period~fact id) on, with the rows
    of their years; and the cursor of the next page, if any."""
    db = datasette.get_database(DATABASE)
    parameters = scope.bounds()
    sql = f"SELECT period, fact_id {_RANGE}"
    if after:
        sql += " AND (period, fact_id) > (:after_period, :after_id)"
        parameters["after_period"], _, parameters["after_id"] = after.partition("~")
    found = (await db.execute(sql + f" ORDER BY period, fact_id LIMIT {MARK_LIMIT + 1}", parameters)).rows
    later = f"{found[MARK_LIMIT - 1]['period']}~{found[MARK_LIMIT - 1]['fact_id']}" if len(found) > MARK_LIMIT else None
    ids = [row["fact_id"] for row in found[:MARK_LIMIT]]
    facts = {
        row["id"]: row
        for row in (
            await db.execute(
                "SELECT id, statement, predicate_id, date, date_text, date_start, date_end FROM fact "
                "WHERE id IN (SELECT value FROM json_each(:ids))",
                {"ids": json.dumps(ids)},
            )
        ).rows
    }
    rows = [facts[fact_id] for fact_id in ids if fact_id in facts]
    colours = _colours(datasette)
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
            colours.get(row["predicate_id"], "#7f7f7f"),
            any(mark in row["date"] for mark in _QUALIFIERS),
            tuple(Piece(left, top[year] + lane * LANE, right - left) for year, left, right, lane in placed[row["id"]]),
        )
        for row in rows
    ]
    return marks, years, later


async def _counts(datasette: Any, scope: Scope) -> tuple[list[CountRow], int]:
    """The scope's events counted per part of its period (years of every year, months of a year,
    days of a month) and predicate, as rows of bars; and how many events are known only to the
    period as a whole (a year-precise date in a year, a span of months), which no part holds."""
    db = datasette.get_database(DATABASE)
    bounds = scope.bounds()
    if len(scope.period) == 7:  # the days of a month: a range of the month's events
        sql = f"SELECT period, predicate_id, count(*) AS facts {_RANGE} AND period > :low GROUP BY 1, 2"
    else:  # years or months: counted at build time
        parts = "length(period) = 4" if not scope.period else "period > :low"
        sql = f"SELECT period, predicate_id, facts FROM timeline_count WHERE country_id = :country AND {parts}"
        sql += " AND period BETWEEN :low AND :high"
    counted: dict[str, dict[str, int]] = {}
    for row in (await db.execute(sql + " ORDER BY 1, 2", bounds)).rows:
        counted.setdefault(row["period"], {})[row["predicate_id"]] = row["facts"]
    whole = 0
    if scope.period:
        total = (
            await db.execute(
                "SELECT coalesce(sum(facts), 0) AS n FROM timeline_count WHERE country_id = :country AND period = :low",
                bounds,
            )
        ).first()["n"]
        whole = total - sum(sum(predicates.values()) for predicates in counted.values())
    colours = _colours(datasette)
    order = {predicate: index for index, predicate in enumerate(colours)}  # the legend's order
    most = max((sum(predicates.values()) for predicates in counted.values()), default=1)
    rows = []
    for index, (period, predicates) in enumerate(counted.items()):
        x, pieces = float(LEFT + 10), []
        for predicate in sorted(predicates, key=lambda name: order.get(name, len(order))):
            width = predicates[predicate] / most * (PLOT - COUNT_ROOM)
            pieces.append((predicate, predicates[predicate], x, width))
            x += width
        rows.append(
            CountRow(
                period,
                period_text(period),
                scope.link(period=period, exact=False),
                sum(predicates.values()),
                24.0 + index * COUNT_ROW,
                tuple(pieces),
                x,
            )
        )
    return rows, whole


def _colours(datasette: Any) -> dict[str, str]:
    predicates = _config(datasette).get("timeline_predicates", [])
    palette = _config(datasette).get("palette", ["#1f77b4"])
    return {predicate: palette[index % len(palette)] for index, predicate in enumerate(predicates)}


async def _left_out(datasette: Any, scope: Scope) -> tuple[list[Any], int]:
    """The deprecated events of the scope's country and period (by the day they begin), the
    first LEFT_OUT_LIMIT of them, and how many there are: wrong, so not drawn, but named. Read
    from the index of deprecated facts (the unary + keeps SQLite from reading every event of
    the predicates' index instead)."""
    predicates = _config(datasette).get("timeline_predicates", [])
    sql = (
        "FROM fact AS f WHERE f.rank = 'deprecated' AND +f.predicate_id IN (SELECT value FROM json_each(:predicates)) "
        "AND coalesce(f.date_start, f.date_end) BETWEEN :first AND :last"
    )
    parameters = {"predicates": json.dumps(predicates), "first": scope.period, "last": scope.period + "~"}
    if scope.country:
        sql += " AND EXISTS (SELECT 1 FROM fact_country WHERE fact_id = f.id AND country_id = :country)"
        parameters["country"] = scope.country
    db = datasette.get_database(DATABASE)
    named = (
        await db.execute(f"SELECT f.id, f.deprecation_reason {sql} ORDER BY f.id LIMIT {LEFT_OUT_LIMIT}", parameters)
    ).rows
    count = (
        (await db.execute(f"SELECT count(*) AS n {sql}", parameters)).first()["n"]
        if len(named) == LEFT_OUT_LIMIT
        else len(named)
    )
    return named, count


def _scope(request: Any) -> Scope:
    period = request.args.get("period", "")
    period = period if PERIOD.fullmatch(period) else ""
    return Scope(request.args.get("country", ""), period, bool(period) and request.args.get("exact") == "1")


async def timeline(datasette: Any, request: Any) -> Response:
    scope = _scope(request)
    db = datasette.get_database(DATABASE)
    after = request.args.get("after", "")
    # Marks when there are few enough, or when the scope cannot be cut finer (a day, or the
    # events known only to a whole period): then a page of them at a time.
    drawn = after or scope.exact or len(scope.period) == 10 or await _count_at_most(db, scope, MARK_LIMIT) <= MARK_LIMIT
    marks: list[Mark] = []
    years: list[YearRow] = []
    counts: list[CountRow] = []
    later, whole = None, 0
    if drawn:
        marks, years, later = await _marks(datasette, scope, after)
        height = (years[-1].y + years[-1].height if years else 24) + 16
    else:
        counts, whole = await _counts(datasette, scope)
        height = 24 + len(counts) * COUNT_ROW + 16
    countries = (
        await db.execute(
            "SELECT e.id, e.name FROM entity AS e WHERE e.type = 'country' "
            "AND EXISTS (SELECT 1 FROM timeline_fact WHERE country_id = e.id) ORDER BY e.name"
        )
    ).rows
    names = {row["id"]: row["name"] for row in countries}
    left_out, left_out_count = await _left_out(datasette, scope)
    zoom_out = [(period_text(""), scope.link(period="", exact=False))] + [
        (period_text(scope.period[:length]), scope.link(period=scope.period[:length], exact=False))
        for length in (4, 7)
        if len(scope.period) > length
    ]
    context = {
        "scope": scope,
        "scope_text": period_text(scope.period)
        + (" (known only to the whole of it)" if scope.exact else "")
        + (f", involving {names.get(scope.country, scope.country)}" if scope.country else ""),
        "zoom_out": zoom_out if scope.period else [],
        "marks": marks,
        "later": scope.link(after=later) if later else None,
        "first_page": scope.link() if after else None,
        "counts": counts,
        "whole": whole,
        "part": {0: "year", 4: "month", 7: "day"}.get(len(scope.period), ""),
        "whole_link": scope.link(exact=True),
        "mark_limit": MARK_LIMIT,
        "left_out": left_out,
        "left_out_count": left_out_count,
        "years": years,
        "colours": _colours(datasette),
        "country": scope.country,
        "countries": countries,
        "width": WIDTH,
        "left": LEFT,
        "plot": PLOT,
        "height": height,
        "months": MONTHS,
    }
    return Response.html(await datasette.render_template("factdb_timeline.html", context, request=request))


# --- Coverage ------------------------------------------------------------------


# How many deprecated facts cite the source of the row (`source.id`): the pages about sources say
# so, since the sentences such a fact cites count as cited.
_DEPRECATED_CITING = (
    "(SELECT count(DISTINCT citation.fact_id) FROM citation JOIN fact ON fact.id = citation.fact_id "
    f"WHERE citation.source_id = source.id AND fact.rank = '{DEPRECATED}')"
)


# The pages listing sources show SOURCES_PAGE of them at a time, in id order, each page read
# from the primary key after the last id of the page before (?after=), never with OFFSET.
SOURCES_PAGE = 100


async def _source_page_of(datasette: Any, request: Any, sql: str) -> tuple[list[Any], dict[str, str | None]]:
    """One page of `sql`'s rows (a SELECT of source.id and more, with no WHERE clause), and the
    links to the first and the next page."""
    after = request.args.get("after", "")
    rows = (
        await datasette.get_database(DATABASE).execute(
            f"{sql} WHERE source.id > :after ORDER BY source.id LIMIT {SOURCES_PAGE + 1}", {"after": after}
        )
    ).rows
    later = rows[SOURCES_PAGE - 1]["id"] if len(rows) > SOURCES_PAGE else None
    path = request.path
    links = {"first": path if after else None, "later": f"{path}?{urlencode({'after': later})}" if later else None}
    return rows[:SOURCES_PAGE], links


async def coverage(datasette: Any, request: Any) -> Response:
    rows, links = await _source_page_of(
        datasette,
        request,
        f"SELECT source.id, coverage.*, source.title, {_DEPRECATED_CITING} AS deprecated FROM coverage "
        "JOIN source ON source.id = coverage.source_id",
    )
    most = max((row["sentences"] for row in rows), default=1)
    bars = []
    for index, row in enumerate(rows):
        scale = 520 / most
        cited, excluded, uncovered = (row[key] * scale for key in ("cited", "excluded", "uncovered"))
        bars.append({"row": row, "y": 30 + index * 46, "cited": cited, "excluded": excluded, "uncovered": uncovered})
    context = {"bars": bars, "height": 50 + len(rows) * 46, "links": links}
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
    rows, links = await _source_page_of(
        datasette,
        request,
        "SELECT source.id, source.title, source.publisher, source.published_text, coverage.percent_covered, "
        f"{_DEPRECATED_CITING} AS deprecated FROM source LEFT JOIN coverage ON coverage.source_id = source.id",
    )
    context = {"sources": rows, "links": links}
    return Response.html(await datasette.render_template("factdb_sources.html", context, request=request))


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
