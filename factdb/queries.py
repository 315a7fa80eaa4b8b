"""Canned queries: the questions people ask, one click each in Datasette.

Each becomes a page at /facts/<name> with a form for its named parameters.
Names are matched case-insensitively against an entity's canonical name and
every alias, so "Shizo Abe" or "Kishida Fumio" find the right person. A fact's date is shown
in words, as precise as it is known (date: "May 2018", never "2018-05-01"), with its EDTF
last (date_edtf) for whoever reads the rows as data.
"""

from __future__ import annotations

# Entities whose name or any alias equals :{param}, case-insensitively.
_NAMED = """
  SELECT id FROM entity WHERE lower(name) = lower(:{param})
  UNION SELECT entity_id FROM alias WHERE lower(name) = lower(:{param})
"""

_SOURCES_OF_FACT = (
    "(SELECT group_concat(title, ' | ') FROM (SELECT DISTINCT source.title FROM citation "
    "JOIN source ON source.id = citation.source_id WHERE citation.fact_id = f.id ORDER BY source.title))"
)

# Datasette shows at most this many rows of a canned query (publishing.SERVE_SETTINGS), reading
# one more to say that the list is cut. A page of 2,000 facts with their sources is 1.1 MB of
# HTML and 160 ms of rendering; 200 cost 25 ms. Whole tables stay a download (or CSV) away.
MAX_RETURNED_ROWS = 200


def _facts_in_order(keys: str) -> str:
    """The facts whose (date_start, fact_id) `keys` selects, in that order, with their sources.

    Only the keys are sorted and cut to what Datasette shows, and then fact rows and their
    sources are read for those alone: an entity with 50,000 facts costs no more than one with
    2,000. (SQLite sorts whole result rows otherwise, and it cannot stream the keys in order from
    an index when a name matches more than one entity.) DISTINCT: a fact involving two entities
    of one name is listed once.
    """
    return f"""shown AS (SELECT DISTINCT date_start, fact_id FROM ({keys})
  ORDER BY date_start, fact_id LIMIT {MAX_RETURNED_ROWS + 1})
SELECT f.date_text AS date, f.statement, f.rank, f.source_count, {_SOURCES_OF_FACT} AS sources,
  f.id AS fact_id, f.date AS date_edtf
FROM shown JOIN fact AS f ON f.id = shown.fact_id
ORDER BY shown.date_start, shown.fact_id"""


# Deprecated facts (rank 'deprecated': found wrong, kept so that their ids resolve) are listed
# with the others, each row saying its rank, so that a reader following an old link finds it.
_DEPRECATED_CITING = (
    "(SELECT count(DISTINCT d.fact_id) FROM citation AS d JOIN fact AS g ON g.id = d.fact_id "
    "WHERE d.source_id = s.id AND g.rank = 'deprecated')"
)

# A fact whose dates reach into :year, or any fact when :year is empty.
_IN_YEAR = "(:year = '' OR (substr(date_start, 1, 4) <= :year AND substr(coalesce(date_end, '9999'), 1, 4) >= :year))"

CANNED_QUERIES: dict[str, dict[str, object]] = {
    "entity_facts": {
        "title": "Everything about an entity",
        "description": "Facts in which a person, country or organization appears, by any of its names "
        "(try Shizo Abe, Kishida Fumio or Vietnam).",
        "sql": f"""WITH target AS ({_NAMED.format(param="name")}),
{_facts_in_order("SELECT date_start, fact_id FROM entity_fact WHERE entity_id IN target")}""",
    },
    "timeline_between": {
        "title": "Timeline between two countries",
        "description": "Dated facts involving both countries (directly, or through their people and offices), "
        "optionally in one year, with the sources that say so. Try Vietnam, Japan, 2015.",
        # country_pair_fact holds each pair once, in id order: both ways round. The same country
        # twice: its own facts, which country_pair_fact (two different countries) lacks.
        "sql": f"""WITH a AS ({_NAMED.format(param="country_a")}), b AS ({_NAMED.format(param="country_b")}),
dated AS (
  SELECT date_start, date_end, fact_id FROM country_pair_fact WHERE country_id IN a AND other_country_id IN b
  UNION ALL
  SELECT date_start, date_end, fact_id FROM country_pair_fact WHERE country_id IN b AND other_country_id IN a
  UNION ALL
  SELECT f.date_start, f.date_end, f.id FROM fact_country AS c JOIN fact AS f ON f.id = c.fact_id
  WHERE c.country_id IN (SELECT id FROM a INTERSECT SELECT id FROM b) AND f.date_start IS NOT NULL
),
{_facts_in_order("SELECT date_start, fact_id FROM dated WHERE " + _IN_YEAR)}""",
    },
    "source_facts": {
        "title": "What one source says",
        "description": "Every fact citing a source, with the quote (source ids are listed in the source table).",
        "sql": """SELECT f.date_text AS date, f.statement, f.rank, c.quote, f.id AS fact_id, f.date AS date_edtf
FROM citation AS c JOIN fact AS f ON f.id = c.fact_id
WHERE c.source_id = :source
ORDER BY c.start, f.id""",
    },
    "corroborated_facts": {
        "title": "Facts supported by more than one source",
        "description": "Facts cited by at least this many distinct sources (leave empty for 2).",
        "sql": f"""SELECT f.date_text AS date, f.statement, f.rank, f.source_count, {_SOURCES_OF_FACT} AS sources,
  f.id AS fact_id, f.date AS date_edtf
FROM fact AS f
WHERE f.source_count >= coalesce(nullif(:min_sources, ''), 2)
ORDER BY f.source_count DESC, f.date_start, f.id""",
    },
    "corrections": {
        "title": "Errors in the sources, and their corrections",
        "description": "What a source got wrong (a misspelt name, a wrong year) and what the fact holds instead; "
        "leave the source empty for all.",
        "sql": """SELECT c.source_id, c.source_says, c.correct, c.reason, f.statement, f.rank, f.id AS fact_id
FROM correction AS c JOIN fact AS f ON f.id = c.fact_id
WHERE :source = '' OR c.source_id = :source
ORDER BY c.source_id, f.id""",
    },
    "statements_by_speaker": {
        "title": "Quoted statements by speaker",
        "description": "The words a person said, by any of the speaker's names (try Trong or Tran Dai Quang).",
        "sql": f"""WITH speaker AS ({_NAMED.format(param="speaker")})
SELECT f.date_text AS date, subject.name AS speaker, f.text AS words, f.rank, {_SOURCES_OF_FACT} AS sources,
  f.id AS fact_id, f.date AS date_edtf
FROM fact AS f JOIN entity AS subject ON subject.id = f.subject_id
WHERE f.predicate_id = 'stated' AND f.subject_id IN speaker
ORDER BY f.date_start, f.id""",
    },
    "source_coverage": {
        "title": "Coverage of each source",
        "description": "How many sentences of each source facts cite, how many are excluded and why, and how "
        "many are not covered yet; leave the source empty for all. A sentence cited by a deprecated fact counts "
        "as cited: deprecated_facts says how many cite the source.",
        "sql": f"""SELECT s.id AS source_id, s.title, c.sentences, c.cited, c.excluded, c.uncovered, c.percent_covered,
  {_DEPRECATED_CITING} AS deprecated_facts
FROM coverage AS c JOIN source AS s ON s.id = c.source_id
WHERE :source = '' OR s.id = :source
ORDER BY s.published_start, s.id""",
    },
}
