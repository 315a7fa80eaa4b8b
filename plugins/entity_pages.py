"""Pages about entities: one page per entity, one per pair of countries, and who met whom.

A plugin loaded with `--plugins-dir plugins` (templates factdb_entity.html, factdb_relation.html,
factdb_network.html), self-contained as plugins/factdb_pages.py is (NamedTuple, not dataclasses:
Datasette loads the module without registering it). Every page is bounded whatever the size of
the database: lists of facts are read a page at a time from an index range (keyset on
(date_start, fact_id) of entity_fact or country_pair_fact, never OFFSET, which reads every
skipped row), counts stop at COUNT_CAP, and the rest is aggregated at build time
(factdb/reader_tables.py: facts per year, counterparts, encounters per node), so that a page
reads the first rows of an index range, however many facts a hub has. Pictures are SVG written by the templates from
the geometry computed here, so every value from the data is escaped by Jinja's autoescaping.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, NamedTuple

from datasette import Response, hookimpl
from markupsafe import Markup, escape

DATABASE = "facts"
DEPRECATED = "deprecated"  # fact.rank of a fact found wrong, kept so that its id resolves
PAGE_SIZE = 50
BAR_WIDTH = 40  # at most, so that a few years do not make a few slabs
COUNT_CAP = 10_000  # counting a range stops here: "more than 10,000" needs no exact count
ENTITY_ID = r"[a-z_]+:[a-z0-9]+(?:-[a-z0-9]+)*"  # schema/models.py's ENTITY_ID_PATTERN, types left open
_ENTITY_ID = re.compile(ENTITY_ID)

# The kinds a relationship's facts are grouped by, in the order shown; a predicate in none of
# them is shown under "Other".
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "partnership": (
        "Partnerships and relations",
        (
            "partnership_with",
            "diplomatic_relations_with",
            "strengthens_ties_with",
            "allied_with",
            "ranks_as_partner_of",
            "anniversary",
        ),
    ),
    "agreement": ("Agreements", ("agreed_with", "signed", "took_effect", "exchanged_documents_with")),
    "visit": ("Visits and talks", ("visited", "met", "held_talks_with", "held_press_conference_with")),
    "pledge": ("Pledges and aid", ("pledged_to", "committed_to", "provides_aid_to", "delivered_to", "requested")),
    "trade": ("Trade", ("trade_with", "trade_growth_with")),
    "statement": ("Statements", ("stated", "position_on", "thanked", "gave_interview_to", "in_dispute_with")),
}
OTHER = "other"
KIND_OF = {predicate: kind for kind, (_, predicates) in KINDS.items() for predicate in predicates}
KIND_TITLES = {kind: title for kind, (title, _) in KINDS.items()} | {OTHER: "Other facts"}


def _rows(result: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in result.rows]


async def _query(datasette: Any, sql: str, parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return _rows(await datasette.get_database(DATABASE).execute(sql, parameters or {}))


def _not_found(what: str) -> Response:
    return Response.html(f"<h1>No {escape(what)}</h1>", status=404)


# --- Pages of facts --------------------------------------------------------------


class Pager(NamedTuple):
    """Cursors of the neighbouring pages, for ?before= and ?after= (None: there is no such page)."""

    earlier: str | None
    later: str | None


def _cursor(date_start: str, fact_id: str) -> str:
    return f"{date_start}~{fact_id}"


def _parse_cursor(value: str) -> tuple[str, str]:
    """(date_start, fact_id) of a cursor; a bare date (a year from the timeline) starts the day
    before any fact of that date, since '' sorts before every id."""
    date_start, _, fact_id = value.partition("~")
    return date_start, fact_id


async def _keyset_page(
    datasette: Any, source: str, where: str, parameters: dict[str, Any], request: Any
) -> tuple[list[str], Pager]:
    """The ids of one page of facts from `source` (aliased k, with k.date_start and k.fact_id
    its leading key after `where`'s equalities), in date order, and the links around it.

    ?after=CURSOR reads forward from a cursor, ?before=CURSOR backward (then reversed), so each
    page reads PAGE_SIZE + 1 rows of the index whatever page it is.
    """
    after, before = request.args.get("after"), request.args.get("before")
    backward = before is not None and after is None
    cursor = _parse_cursor(before if backward else after) if (after or backward) else None
    sql = f"SELECT k.date_start, k.fact_id FROM {source} WHERE {where}"
    if cursor is not None:
        sql += f" AND (k.date_start, k.fact_id) {'<' if backward else '>'} (:cursor_date, :cursor_id)"
        parameters = {**parameters, "cursor_date": cursor[0], "cursor_id": cursor[1]}
    order = "DESC" if backward else "ASC"
    sql += f" ORDER BY k.date_start {order}, k.fact_id {order} LIMIT {PAGE_SIZE + 1}"
    rows = await _query(datasette, sql, parameters)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if backward:
        rows.reverse()
    if not rows:
        return [], Pager(None, None)
    first, last = (rows[0]["date_start"], rows[0]["fact_id"]), (rows[-1]["date_start"], rows[-1]["fact_id"])
    # Beyond the cursor's side of the page, one more row was read; on the other side, one row
    # is looked for (a cursor such as a bare year need not be a row's).
    earlier = (
        more if backward else cursor is not None and await _beyond(datasette, source, where, parameters, first, "<")
    )
    later = more if not backward else await _beyond(datasette, source, where, parameters, last, ">")
    return [row["fact_id"] for row in rows], Pager(
        _cursor(*first) if earlier else None, _cursor(*last) if later else None
    )


async def _beyond(
    datasette: Any, source: str, where: str, parameters: dict[str, Any], key: tuple[str, str], direction: str
) -> bool:
    """Whether a row lies before ("<") or after (">") the key: one index seek."""
    sql = f"SELECT 1 FROM {source} WHERE {where} AND (k.date_start, k.fact_id) {direction} (:key_date, :key_id) LIMIT 1"
    return bool(await _query(datasette, sql, {**parameters, "key_date": key[0], "key_id": key[1]}))


async def _count(datasette: Any, source: str, where: str, parameters: dict[str, Any]) -> int:
    """How many rows match, counted up to COUNT_CAP + 1 (an index range, never the whole of it)."""
    sql = f"SELECT count(*) AS n FROM (SELECT 1 FROM {source} WHERE {where} LIMIT {COUNT_CAP + 1})"
    return (await _query(datasette, sql, parameters))[0]["n"]


# One row per fact of a page, with the names of its entities and its sources (JSON lists).
_FACTS = """
SELECT f.id, f.date_text, f.date_start, f.statement, f.predicate_id, f.modality, f.rank, f.deprecation_reason,
  f.subject_id, f.object_id, f.attributed_to_id, f.place_id,
  s.name AS subject_name, s.type AS subject_type, s.country_id AS subject_country,
  o.name AS object_name, a.name AS attributed_to_name,
  (SELECT json_group_array(source_id) FROM (SELECT DISTINCT source_id FROM citation WHERE fact_id = f.id
    ORDER BY source_id)) AS sources
FROM fact AS f JOIN entity AS s ON s.id = f.subject_id
LEFT JOIN entity AS o ON o.id = f.object_id LEFT JOIN entity AS a ON a.id = f.attributed_to_id
WHERE f.id IN (SELECT value FROM json_each(:ids))
"""


async def _facts(datasette: Any, ids: list[str]) -> list[dict[str, Any]]:
    """The facts of these ids, in the order given."""
    found = {row["id"]: row for row in await _query(datasette, _FACTS, {"ids": json.dumps(ids)})}
    facts = [found[fact_id] for fact_id in ids if fact_id in found]
    for fact in facts:
        fact["sources"] = json.loads(fact["sources"])
        fact["deprecated"] = fact["rank"] == DEPRECATED
    return facts


# --- Entity pages ------------------------------------------------------------------


class Bar(NamedTuple):
    """A bar of a picture by year: its label, count, geometry and the cursor its link opens."""

    year: str
    count: int
    x: float
    y: float
    width: float
    height: float


def _year_bars(counts: list[tuple[str, int]], width: float, height: float, left: float) -> list[Bar]:
    """Bars of counts per year, side by side, the highest reaching `height`."""
    if not counts:
        return []
    most = max(count for _, count in counts)
    step = (width - left - 10) / len(counts)
    bars = []
    for index, (year, count) in enumerate(counts):
        tall = max(2.0, height * count / most)
        bar = min(step * 0.7, BAR_WIDTH)
        bars.append(Bar(year, count, left + index * step + (step - bar) / 2, 10 + height - tall, bar, tall))
    return bars


# Counterparts: whom the entity met, visited, held talks or agreed with, either way round, how
# often (the counterpart table, counted at build time without deprecated facts): the first
# rows of the entity's range of its index, however many facts a hub such as Vietnam has.
COUNTERPARTS = 30
_COUNTERPARTS = """
SELECT c.counterpart_id AS other, e.name, e.type, c.facts AS total, c.met, c.visited, c.talks, c.agreed
FROM counterpart AS c JOIN entity AS e ON e.id = c.counterpart_id
WHERE c.entity_id = :id ORDER BY c.facts DESC, c.counterpart_id LIMIT :limit
"""

# Offices an entity held (a person), or who held it (an office), by date. For an office, the
# unary + keeps SQLite (which has no statistics) from reading every holds_office fact by the
# predicate's index instead of the office's few facts by object_id's.
_OFFICES = f"""
SELECT f.id, f.date_text, f.statement, f.rank, f.subject_id, f.object_id, s.name AS subject_name, o.name AS object_name
FROM fact AS f JOIN entity AS s ON s.id = f.subject_id JOIN entity AS o ON o.id = f.object_id
WHERE {{predicate}} = 'holds_office' AND f.{{column}} = :id
ORDER BY f.date_start, f.id LIMIT {PAGE_SIZE}
"""

# The countries this one has relationship pages with: an existence test per country of each
# order of the pair (country_pair_fact holds a pair once, lower id first), two index seeks each.
_PARTNERS = """
SELECT e.id, e.name FROM entity AS e WHERE e.type = 'country' AND e.id != :id AND (
  EXISTS (SELECT 1 FROM country_pair_fact WHERE country_id = :id AND other_country_id = e.id)
  OR EXISTS (SELECT 1 FROM country_pair_fact WHERE country_id = e.id AND other_country_id = :id))
ORDER BY e.name
"""

TIMELINE_WIDTH = 700
TIMELINE_HEIGHT = 80
TIMELINE_LEFT = 10


async def entity_page(datasette: Any, request: Any) -> Response:
    entity_id = request.url_vars["entity_id"]
    found = await _query(
        datasette,
        "SELECT e.*, c.name AS country_name FROM entity AS e LEFT JOIN entity AS c ON c.id = e.country_id "
        "WHERE e.id = :id",
        {"id": entity_id},
    )
    if not found:
        return _not_found(f"entity {entity_id}")
    entity = found[0]
    key = {"id": entity_id}
    source, where = "entity_fact AS k", "k.entity_id = :id"
    ids, pager = await _keyset_page(datasette, source, where, key, request)
    facts = await _facts(datasette, ids)
    for fact in facts:
        fact["roles"] = [
            role
            for role, column in (
                ("subject", "subject_id"),
                ("object", "object_id"),
                ("speaker", "attributed_to_id"),
                ("place", "place_id"),
            )
            if fact[column] == entity_id
        ] or ["mentioned"]  # through a qualifier ("with", "audience")
    per_year = await _query(
        datasette, "SELECT year, facts AS n FROM entity_year WHERE entity_id = :id ORDER BY year", key
    )
    bars = _year_bars([(row["year"], row["n"]) for row in per_year], TIMELINE_WIDTH, TIMELINE_HEIGHT, TIMELINE_LEFT)
    context = {
        "entity": entity,
        "aliases": await _query(
            datasette, "SELECT name, kind FROM alias WHERE entity_id = :id ORDER BY name LIMIT 100", key
        ),
        "offices": await _query(datasette, _OFFICES.format(column="subject_id", predicate="f.predicate_id"), key),
        "holders": await _query(datasette, _OFFICES.format(column="object_id", predicate="+f.predicate_id"), key)
        if entity["type"] == "office"  # only an office is held (schema/vocabulary.py)
        else [],
        "counterparts": await _query(datasette, _COUNTERPARTS, {**key, "limit": COUNTERPARTS}),
        "partners": await _query(datasette, _PARTNERS, key) if entity["type"] == "country" else [],
        "facts": facts,
        "pager": pager,
        "total": await _count(datasette, source, where, key),
        "count_cap": COUNT_CAP,
        "page_size": PAGE_SIZE,
        "bars": bars,
        "width": TIMELINE_WIDTH,
        "height": TIMELINE_HEIGHT + 30,
    }
    return Response.html(await datasette.render_template("factdb_entity.html", context, request=request))


# --- Relationship pages ------------------------------------------------------------


class VisitBar(NamedTuple):
    """Visits of one year: `outward` from the first country of the page, `inward` from the second."""

    year: str
    outward: int
    inward: int
    x: float
    width: float
    outward_height: float
    inward_height: float


VISITS_WIDTH = 700
VISITS_HALF = 70  # height of each direction's bars, above and below the axis
VISITS_LEFT = 40

# Visits between the pair by year and the visitor's country (a country, or a person's or
# delegation's country): aggregated over the pair's index range, a row per year and direction.
_VISITS = f"""
SELECT substr(k.date_start, 1, 4) AS year, CASE WHEN s.type = 'country' THEN s.id ELSE s.country_id END AS origin,
  count(*) AS n
FROM country_pair_fact AS k JOIN fact AS f ON f.id = k.fact_id JOIN entity AS s ON s.id = f.subject_id
WHERE k.country_id = :low AND k.other_country_id = :high AND f.predicate_id = 'visited'
  AND f.modality = 'actual' AND f.rank != '{DEPRECATED}'
GROUP BY year, origin ORDER BY year
"""


def _visit_bars(rows: list[dict[str, Any]], first: str, second: str) -> list[VisitBar]:
    years: dict[str, list[int]] = {}
    for row in rows:
        if row["origin"] in (first, second):  # a visitor of neither country has no direction
            years.setdefault(row["year"], [0, 0])[row["origin"] == second] += row["n"]
    if not years:
        return []
    most = max(max(counts) for counts in years.values())
    step = (VISITS_WIDTH - VISITS_LEFT - 10) / len(years)
    bar = min(step * 0.7, BAR_WIDTH)
    return [
        VisitBar(
            year,
            outward,
            inward,
            VISITS_LEFT + index * step + (step - bar) / 2,
            bar,
            VISITS_HALF * outward / most,
            VISITS_HALF * inward / most,
        )
        for index, (year, (outward, inward)) in enumerate(sorted(years.items()))
    ]


def _direction(fact: dict[str, Any], first: str, second: str) -> str | None:
    """Which way a visit went: 'outward' (from the page's first country), 'inward', or None."""
    if fact["predicate_id"] != "visited":
        return None
    origin = fact["subject_id"] if fact["subject_type"] == "country" else fact["subject_country"]
    return {first: "outward", second: "inward"}.get(origin)


async def relation_page(datasette: Any, request: Any) -> Response:
    first, second = request.url_vars["first"], request.url_vars["second"]
    countries = {
        row["id"]: row
        for row in await _query(
            datasette,
            "SELECT id, name FROM entity WHERE id IN (:first, :second) AND type = 'country'",
            {"first": first, "second": second},
        )
    }
    if first == second or len(countries) != 2:
        return _not_found(f"relationship between {first} and {second}")
    # country_pair_fact holds each pair once, the lower id first.
    pair = {"low": min(first, second), "high": max(first, second)}
    kind = request.args.get("kind", "")
    source = "country_pair_fact AS k"
    where = "k.country_id = :low AND k.other_country_id = :high"
    parameters = dict(pair)
    if kind in KINDS or kind == OTHER:
        source += " JOIN fact AS f ON f.id = k.fact_id"
        every = [predicate for _, predicates in KINDS.values() for predicate in predicates]
        chosen = KINDS[kind][1] if kind in KINDS else every
        where += f" AND f.predicate_id {'NOT ' if kind == OTHER else ''}IN (SELECT value FROM json_each(:predicates))"
        parameters["predicates"] = json.dumps(chosen)
    else:
        kind = ""
    ids, pager = await _keyset_page(datasette, source, where, parameters, request)
    groups: dict[str, list[dict[str, Any]]] = {}
    for fact in await _facts(datasette, ids):
        fact["direction"] = _direction(fact, first, second)
        groups.setdefault(KIND_OF.get(fact["predicate_id"], OTHER), []).append(fact)
    context = {
        "first": countries[first],
        "second": countries[second],
        "directions": {
            "outward": f"{countries[first]['name']} → {countries[second]['name']}",
            "inward": f"{countries[second]['name']} → {countries[first]['name']}",
        },
        "kind": kind,
        "kind_titles": KIND_TITLES,
        "groups": [(name, KIND_TITLES[name], groups[name]) for name in KIND_TITLES if name in groups],
        "pager": pager,
        "total": await _count(datasette, source, where, parameters),
        "count_cap": COUNT_CAP,
        "page_size": PAGE_SIZE,
        "visits": _visit_bars(await _query(datasette, _VISITS, pair), first, second),
        "width": VISITS_WIDTH,
        "half": VISITS_HALF,
        "left": VISITS_LEFT,
    }
    return Response.html(await datasette.render_template("factdb_relation.html", context, request=request))


# --- Who met whom ------------------------------------------------------------------

NETWORK_TOP = 40  # nodes drawn: the most connected
NETWORK_EDGES = 150  # the heaviest links among them
NETWORK_SIZE = 760
NETWORK_RADIUS = 250

# The most connected nodes (encounter_count), and the heaviest links among them (counterpart,
# each pair once): both counted at build time, so that this reads NETWORK_TOP rows of an index
# and at most NETWORK_TOP squared keys, whatever the number of facts.
_NETWORK = f"""
WITH node AS (SELECT entity_id FROM encounter_count ORDER BY facts DESC, entity_id LIMIT {NETWORK_TOP})
SELECT c.entity_id AS a, c.counterpart_id AS b, c.facts AS n FROM counterpart AS c
WHERE c.entity_id IN node AND c.counterpart_id IN node AND c.entity_id < c.counterpart_id
ORDER BY n DESC, a, b LIMIT {NETWORK_EDGES}
"""
_NODES = """
SELECT e.id, e.name, e.type, n.facts AS degree FROM entity AS e JOIN encounter_count AS n ON n.entity_id = e.id
WHERE e.id IN (SELECT value FROM json_each(:ids))
"""


class Node(NamedTuple):
    id: str
    name: str
    type: str
    degree: int
    x: float
    y: float
    r: float
    label_x: float
    label_y: float
    anchor: str


class Edge(NamedTuple):
    a: Node
    b: Node
    count: int
    width: float


async def network(datasette: Any, request: Any) -> Response:
    links = await _query(datasette, _NETWORK)
    ids = sorted({link["a"] for link in links} | {link["b"] for link in links})
    entities = {row["id"]: row for row in await _query(datasette, _NODES, {"ids": json.dumps(ids)})}
    degree = {node: entities[node]["degree"] for node in ids}
    # Around a circle, grouped by type (countries together, people together), so that the
    # lines between a person and a country cross the middle and those within a group do not.
    ordered = sorted(ids, key=lambda node: (entities[node]["type"], entities[node]["name"]))
    most = max(degree.values(), default=1)
    centre = NETWORK_SIZE / 2
    nodes: dict[str, Node] = {}
    for index, node in enumerate(ordered):
        angle = 2 * math.pi * index / len(ordered) - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        nodes[node] = Node(
            node,
            entities[node]["name"],
            entities[node]["type"],
            degree[node],
            centre + NETWORK_RADIUS * cos,
            centre + NETWORK_RADIUS * sin,
            4 + 8 * math.sqrt(degree[node] / most),
            centre + (NETWORK_RADIUS + 16) * cos,
            centre + (NETWORK_RADIUS + 16) * sin + 4,
            "start" if cos >= -0.01 else "end",
        )
    heaviest = max((link["n"] for link in links), default=1)
    edges = [
        Edge(nodes[link["a"]], nodes[link["b"]], link["n"], 1 + 4 * link["n"] / heaviest)
        for link in links
        if link["a"] in nodes and link["b"] in nodes
    ]
    listed = sorted(nodes.values(), key=lambda node: (-node.degree, node.name))
    neighbours: dict[str, list[tuple[Node, int]]] = {node: [] for node in nodes}
    for edge in edges:
        neighbours[edge.a.id].append((edge.b, edge.count))
        neighbours[edge.b.id].append((edge.a, edge.count))
    context = {
        "nodes": listed,
        "edges": edges,
        "neighbours": neighbours,
        "size": NETWORK_SIZE,
        "top": NETWORK_TOP,
    }
    return Response.html(await datasette.render_template("factdb_network.html", context, request=request))


# --- Hooks ---------------------------------------------------------------------------


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (rf"^/-/entities/(?P<entity_id>{ENTITY_ID})$", entity_page),
        (r"^/-/relations/(?P<first>country:[a-z0-9-]+)/(?P<second>country:[a-z0-9-]+)$", relation_page),
        (r"^/-/network$", network),
    ]


# Columns holding entity ids, in any table of the database.
ENTITY_COLUMNS = {
    "subject_id",
    "object_id",
    "place_id",
    "attributed_to_id",
    "entity_id",
    "country_id",
    "other_country_id",
}


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    """An entity id shown as text (the entity table's own ids, the reader tables' columns) links
    to its page. A foreign key Datasette has labelled ({"value", "label"}) keeps Datasette's link
    to the entity's row, as row pages show it too (plugins/row_rendering.py): that row's id then
    links here."""
    if database != DATABASE or not (column in ENTITY_COLUMNS or (table == "entity" and column == "id")):
        return None
    if not isinstance(value, str) or not _ENTITY_ID.fullmatch(value):
        return None
    return escape(value) + Markup(' · <a class="entity-page" href="/-/entities/{0}">page</a>').format(value)


@hookimpl
def menu_links() -> list[dict[str, str]]:
    return [{"href": "/-/network", "label": "Who met whom"}]
