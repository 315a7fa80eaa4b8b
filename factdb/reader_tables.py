"""Tables derived for readers: the rows of the slow questions, in the order they are asked.

Filled after the facts are loaded and indexed, each with one INSERT ... SELECT run by SQLite
itself (no Python per row), sorted in its primary key's order so that rows are appended rather
than inserted all over the table. See tables.EntityFactTable and tables.CountryPairFactTable.
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

# Every two different countries of a dated fact once, in id order (fact_country holds a fact's
# countries once each): the query looks the pair up both ways round, for half the rows.
_COUNTRY_PAIR_FACT = """
INSERT INTO country_pair_fact (country_id, other_country_id, date_start, date_end, fact_id)
SELECT a.country_id, b.country_id, f.date_start, f.date_end, f.id
FROM fact AS f
JOIN fact_country AS a ON a.fact_id = f.id
JOIN fact_country AS b ON b.fact_id = f.id AND b.country_id > a.country_id
WHERE f.date_start IS NOT NULL
ORDER BY 1, 2, 3, 5
"""


def write_reader_tables(connection: sqlite3.Connection) -> None:
    """Fill the reader tables from the fact, qualifier and fact_country tables."""
    connection.execute(_ENTITY_FACT)
    connection.execute(_COUNTRY_PAIR_FACT)
