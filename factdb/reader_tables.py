"""Tables derived for readers: the rows of the slow questions, in the order they are asked.

fact_view and entity_fact are made from the facts once they are all inserted, by SQLite itself
(no Python per row), in a second process reading a snapshot of the database and writing a file
of its own while the first builds the indexes, the coverage and the full-text search: the two
cores share the work at the end of a build. The tables are then copied into the database
whole; SQLite copies a table into an empty one of the same shape page by page, with its
indexes, without decoding a row (a million rows in about 4 s, against 24 s to make them).

fact_view is materialised: the file is immutable, so a table computed once serves every page
without joining and sorting a million rows per request, and Datasette counts it from the
inspect file. Its indexes serve the default sort and the facets. Its rows are in citation
order (file order): sorting a million wide rows would cost more than the whole join, and every
page sorts by an index anyway.

entity_fact and country_pair_fact are filled in their primary key's order, so that rows are
appended rather than inserted all over the table. country_pair_fact's rows are made with each
fact's (database.fact_rows: the worker has the fact's countries at hand, and deriving the
pairs here meant joining a million facts with their countries twice); they arrive in file
order, so they are appended to a plain table first (UNSORTED), and sorted apart: inserted
straight into the table's key order, they cost the writing process 10 s at a million facts.

timeline_fact and timeline_count (the timeline's events by period, and their counts per year
and month), counterpart and encounter_count (who met whom, how often) and entity_year (an
entity's facts per year) are the aggregates of the project's pages, counted here once: a page
then reads the first rows of an index range, however many facts a hub such as Vietnam has,
instead of aggregating its facts on every request.

facet_count holds the facets of the two tables with a row per fact, counted once: an unfiltered
facet is otherwise a GROUP BY over every row on every request (about 110 ms at a million
facts). The Datasette plugin plugins/query_shortcuts.py answers those facets from it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from factdb import tables
from factdb.publishing import TIMELINE_PREDICATES

_FACT_VIEW = """
CREATE TABLE fact_view AS
SELECT
  f.id AS fact_id,
  f.statement,
  subject.name AS subject,
  f.predicate_id AS predicate,
  object.name AS object,
  f.amount AS value,
  f.unit,
  f.approximately,
  f.text,
  f.date,
  f.date_start,
  f.date_end,
  f.date_reasoning,
  place.name AS place,
  f.modality,
  claimant.name AS attributed_to,
  f.source_count,
  c.source_id,
  c.quote,
  f.correction,
  f.note,
  f.rank
FROM facts.citation AS c
JOIN facts.fact AS f ON f.id = c.fact_id
JOIN facts.entity AS subject ON subject.id = f.subject_id
LEFT JOIN facts.entity AS object ON object.id = f.object_id
LEFT JOIN facts.entity AS place ON place.id = f.place_id
LEFT JOIN facts.entity AS claimant ON claimant.id = f.attributed_to_id
ORDER BY c.id
"""

FACT_VIEW_INDEXED = ["fact_id", "date_start", "predicate", "source_id", "subject", "modality"]

# Every entity of every fact once: an entity can play two parts in one fact (the subject of a
# claim may be whose claim it is), hence DISTINCT. Undated facts get '' so that the date can be
# in the key.
_ENTITY_FACT = """
INSERT INTO entity_fact (entity_id, date_start, fact_id)
SELECT DISTINCT entity_id, coalesce(date_start, ''), fact_id FROM (
  SELECT subject_id AS entity_id, date_start, id AS fact_id FROM facts.fact
  UNION ALL SELECT object_id, date_start, id FROM facts.fact WHERE object_id IS NOT NULL
  UNION ALL SELECT place_id, date_start, id FROM facts.fact WHERE place_id IS NOT NULL
  UNION ALL SELECT attributed_to_id, date_start, id FROM facts.fact WHERE attributed_to_id IS NOT NULL
  UNION ALL SELECT q.entity_id, f.date_start, f.id FROM facts.qualifier AS q JOIN facts.fact AS f ON f.id = q.fact_id
            WHERE q.entity_id IS NOT NULL
)
ORDER BY 1, 2, 3
"""

# Tables whose rows are inserted with each fact's into a plain table of the same columns
# (named here), and sorted into the real one apart; the plain table is dropped by copy_in.
UNSORTED = {"country_pair_fact": "country_pair_unsorted"}

_COUNTRY_PAIR_FACT = f"""
INSERT INTO country_pair_fact (country_id, other_country_id, date_start, date_end, fact_id)
SELECT country_id, other_country_id, date_start, date_end, fact_id FROM facts.{UNSORTED["country_pair_fact"]}
ORDER BY country_id, other_country_id, date_start, fact_id
"""

# The events of the timeline, each in the shortest period known to hold its whole date (a day, a
# month, else the year it begins: a year-precise date is never put on its first day or month),
# once for all countries ('') and once for each country it involves. An open start is dated by
# its end. Only the timeline's predicates, not deprecated: a page's marks and counts are index
# ranges of it.
_EVENT = f"""
f.predicate_id IN ({", ".join(f"'{predicate}'" for predicate in TIMELINE_PREDICATES)})
AND f.rank != 'deprecated' AND coalesce(f.date_start, f.date_end) IS NOT NULL
"""
_PERIOD = """CASE WHEN f.date_start = f.date_end THEN f.date_start
  WHEN substr(f.date_start, 1, 7) = substr(f.date_end, 1, 7) THEN substr(f.date_start, 1, 7)
  ELSE substr(coalesce(f.date_start, f.date_end), 1, 4) END"""
_TIMELINE_FACT = f"""
INSERT INTO timeline_fact (country_id, period, fact_id, predicate_id)
SELECT '', {_PERIOD}, f.id, f.predicate_id FROM facts.fact AS f WHERE {_EVENT}
UNION ALL
SELECT c.country_id, {_PERIOD}, f.id, f.predicate_id
FROM facts.fact_country AS c JOIN facts.fact AS f ON f.id = c.fact_id WHERE {_EVENT}
ORDER BY 1, 2, 3
"""
# Per year, every event whose period is in it; per month, those held by the month or one of its days.
_TIMELINE_COUNT = """
INSERT INTO timeline_count (country_id, period, predicate_id, facts)
SELECT country_id, substr(period, 1, 4), predicate_id, count(*) FROM timeline_fact GROUP BY 1, 2, 3
UNION ALL
SELECT country_id, substr(period, 1, 7), predicate_id, count(*) FROM timeline_fact WHERE length(period) >= 7
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
"""

# Predicates of two parties meeting, visiting or agreeing: counterparts and who met whom.
ENCOUNTERS = ("met", "visited", "held_talks_with", "held_press_conference_with", "agreed_with")

# Each encounter's two parties, both ways round, counted per pair: a visit to a place counts as
# one to its country; deprecated facts count for nothing.
_COUNTERPART = f"""
WITH encounter AS (
  SELECT f.subject_id AS a, CASE WHEN o.type = 'place' THEN coalesce(o.country_id, o.id) ELSE o.id END AS b,
    f.predicate_id
  FROM facts.fact AS f JOIN facts.entity AS o ON o.id = f.object_id
  WHERE f.predicate_id IN ({", ".join(f"'{predicate}'" for predicate in ENCOUNTERS)}) AND f.rank != 'deprecated'
)
INSERT INTO counterpart (entity_id, counterpart_id, facts, met, visited, talks, agreed)
SELECT a, b, count(*), sum(predicate_id = 'met'), sum(predicate_id = 'visited'),
  sum(predicate_id IN ('held_talks_with', 'held_press_conference_with')), sum(predicate_id = 'agreed_with')
FROM (SELECT a, b, predicate_id FROM encounter UNION ALL SELECT b, a, predicate_id FROM encounter)
WHERE a != b GROUP BY a, b ORDER BY a, b
"""
_ENCOUNTER_COUNT = """
INSERT INTO encounter_count (entity_id, facts) SELECT entity_id, sum(facts) FROM counterpart GROUP BY entity_id
"""
_ENTITY_YEAR = """
INSERT INTO entity_year (entity_id, year, facts)
SELECT entity_id, substr(date_start, 1, 4), count(*) FROM entity_fact WHERE date_start != '' GROUP BY 1, 2
"""

# The tables made apart, each with the statement that fills it, in the order they are made
# (a table may be made from one before it) and copied in.
DERIVED = [
    (tables.EntityFactTable, _ENTITY_FACT),
    (tables.CountryPairFactTable, _COUNTRY_PAIR_FACT),
    (tables.TimelineFactTable, _TIMELINE_FACT),
    (tables.TimelineCountTable, _TIMELINE_COUNT),
    (tables.CounterpartTable, _COUNTERPART),
    (tables.EncounterCountTable, _ENCOUNTER_COUNT),
    (tables.EntityYearTable, _ENTITY_YEAR),
]
MADE_APART = ["fact_view", *(table.__tablename__ for table, _ in DERIVED)]  # type: ignore[attr-defined]


def create_unsorted(connection: sqlite3.Connection) -> None:
    for table, unsorted in UNSORTED.items():
        connection.execute(f"CREATE TABLE {unsorted} AS SELECT * FROM {table} WHERE 0")


def make_apart(facts: Path, output: Path) -> None:
    """Write the MADE_APART tables to a new file `output`, reading the facts of the database
    `facts` (a snapshot: the build goes on writing the original)."""
    with contextlib.closing(sqlite3.connect(output, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode = OFF")  # a scratch file: thrown away on failure
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("ATTACH DATABASE ? AS facts", (str(facts),))
        # Pages of the size of the database the tables are copied into (set before anything is
        # written here): what is measured there holds here, and the copy fills pages alike.
        (page_size,) = connection.execute("PRAGMA facts.page_size").fetchone()
        connection.execute(f"PRAGMA main.page_size = {page_size}")
        connection.execute("BEGIN")
        connection.execute(_FACT_VIEW)
        for column in FACT_VIEW_INDEXED:
            connection.execute(f"CREATE INDEX ix_fact_view_{column} ON fact_view ({column})")
        for table, rows in DERIVED:
            connection.execute(tables.create_table_sql(table))
            # Indexed before it is filled, as the database's copy is: a copy into a table
            # with the same indexes is SQLite's transfer of records as they are.
            for index in tables.index_ddl([table]):
                connection.execute(index)
            connection.execute(rows)
        connection.execute("COMMIT")


def copy_in(connection: sqlite3.Connection, made: Path) -> None:
    """Copy the tables of make_apart's file into the database, with their indexes, in place
    of the unsorted rows.

    Each table is created empty with the definitions it has there (those defined in
    tables.py exist already), its indexes first: `INSERT INTO t SELECT * FROM other.t` into
    an empty table of the same shape is SQLite's transfer optimisation, which copies the
    table's and the indexes' records as they are. Neither ATTACH nor DETACH may happen inside
    a transaction, hence the commits around them.
    """
    for unsorted in UNSORTED.values():
        connection.execute(f"DROP TABLE {unsorted}")  # its pages are reused by the copies
    connection.execute("COMMIT")
    connection.execute("ATTACH DATABASE ? AS made", (str(made),))
    connection.execute("BEGIN")
    existing = {name for (name,) in connection.execute("SELECT name FROM main.sqlite_master")}
    for table in MADE_APART:
        definitions = connection.execute(
            "SELECT name, sql FROM made.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
            "ORDER BY type = 'index', name",
            (table,),
        ).fetchall()
        for name, sql in definitions:
            if name not in existing:
                connection.execute(sql)
        connection.execute(f"INSERT INTO main.{table} SELECT * FROM made.{table}")
    connection.execute("COMMIT")
    connection.execute("DETACH DATABASE made")
    connection.execute("BEGIN")


# The facets counted at build time: indexed text columns of the tables with a row per fact (an
# index makes each count a scan of the index alone; text, because facet_count.value is text and
# a number counted into it would come back as a string).
PRECOUNTED_FACETS = {
    "fact": ["predicate_id", "modality", "subject_id", "object_id"],
    "fact_view": ["predicate", "source_id", "subject", "modality"],
}


def count_facets(connection: sqlite3.Connection) -> None:
    """Fill facet_count from the fact and fact_view tables."""
    for table, columns in PRECOUNTED_FACETS.items():
        for column in columns:
            connection.execute(
                f"INSERT INTO facet_count (table_name, column_name, value, count) "
                f"SELECT '{table}', '{column}', {column}, count(*) FROM {table} WHERE {column} IS NOT NULL GROUP BY 3"
            )
