"""Tables derived for readers: the rows of the slow questions, in the order they are asked.

entity_fact is filled after the facts are loaded and indexed, with one INSERT ... SELECT run
by SQLite itself (no Python per row), sorted in its primary key's order so that rows are
appended rather than inserted all over the table. (country_pair_fact is written with each
fact's rows, in database.fact_rows: the worker has the fact's countries at hand, and deriving
the pairs here meant joining a million facts with their countries twice.)

facet_count holds the facets of the two tables with a row per fact, counted once: an unfiltered
facet is otherwise a GROUP BY over every row on every request (about 110 ms at a million
facts). The Datasette plugin plugins/query_shortcuts.py answers those facets from it.
"""

from __future__ import annotations

import sqlite3

# Every entity of every fact once: an entity can play two parts in one fact (the subject of a
# claim may be whose claim it is), hence DISTINCT. Undated facts get '' so that the date can be
# in the key.
_ENTITY_FACT = """
INSERT INTO entity_fact (entity_id, date_start, fact_id)
SELECT DISTINCT entity_id, coalesce(date_start, ''), fact_id FROM (
  SELECT subject_id AS entity_id, date_start, id AS fact_id FROM fact
  UNION ALL SELECT object_id, date_start, id FROM fact WHERE object_id IS NOT NULL
  UNION ALL SELECT place_id, date_start, id FROM fact WHERE place_id IS NOT NULL
  UNION ALL SELECT attributed_to_id, date_start, id FROM fact WHERE attributed_to_id IS NOT NULL
  UNION ALL SELECT q.entity_id, f.date_start, f.id FROM qualifier AS q JOIN fact AS f ON f.id = q.fact_id
            WHERE q.entity_id IS NOT NULL
)
ORDER BY 1, 2, 3
"""


# The facets counted at build time: indexed text columns of the tables with a row per fact (an
# index makes each count a scan of the index alone; text, because facet_count.value is text and
# a number counted into it would come back as a string).
PRECOUNTED_FACETS = {
    "fact": ["predicate_id", "modality", "subject_id", "object_id"],
    "fact_view": ["predicate", "source_id", "subject", "modality"],
}


def write_reader_tables(connection: sqlite3.Connection) -> None:
    """Fill the reader tables from the fact, qualifier and fact_view tables."""
    connection.execute(_ENTITY_FACT)
    for table, columns in PRECOUNTED_FACETS.items():
        for column in columns:
            connection.execute(
                f"INSERT INTO facet_count (table_name, column_name, value, count) "
                f"SELECT '{table}', '{column}', {column}, count(*) FROM {table} WHERE {column} IS NOT NULL GROUP BY 3"
            )
