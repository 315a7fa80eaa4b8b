"""The real corpus: complete coverage, evidence inside the article, one fact per claim,
source errors corrected in the open. These keep issue-level promises true as facts are added."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import PROJECT, run_build
from factdb.quotes import NormalisedText, find_quote


def rows(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def test_every_source_is_fully_covered(built_database: Path) -> None:
    coverage = rows(built_database, "SELECT source_id, uncovered, cited FROM coverage ORDER BY source_id")
    assert [source for source, _, _ in coverage] == sorted(p.stem for p in (PROJECT / "sources").glob("*.json"))
    assert all(uncovered == 0 and cited > 0 for _, uncovered, cited in coverage), coverage


def test_the_coverage_command_reports_zero_uncovered(tmp_path: Path) -> None:
    result = run_build("coverage", "--output", tmp_path / "facts.db")
    assert result.returncode == 0, result.stderr
    summaries = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert len(summaries) == 5
    assert all(", 0 uncovered (100.0% covered)" in line for line in summaries), summaries
    assert not any(line.lstrip().startswith("uncovered") for line in result.stdout.splitlines())


def test_no_quote_touches_text_outside_the_article(built_database: Path) -> None:
    """Found independently: every 'not part of the article' passage, against every citation span."""
    for source in (PROJECT / "sources").glob("*.json"):
        record = json.loads(source.read_text(encoding="utf-8"))
        text = (PROJECT / record["text_path"]).read_text(encoding="utf-8")
        furniture = []
        for exclusion in record["excluded"]:
            if exclusion["kind"] == "not_part_of_article":
                spans = find_quote(exclusion["text"], NormalisedText(text))
                assert spans, exclusion["text"]
                furniture.append((spans[0].start, len(text) if exclusion.get("to_end") else spans[-1].end))
        citations = rows(built_database, f"SELECT spans FROM citation WHERE source_id = '{record['id']}'")
        for (spans,) in citations:
            for start, end in json.loads(spans):
                assert not any(start < stop and begin < end for begin, stop in furniture), (record["id"], start, end)


def test_the_sidebar_of_other_stories_is_excluded_whole(built_database: Path) -> None:
    text = (PROJECT / "sources" / "ppp-2022-kishida-hanoi.txt").read_text(encoding="utf-8")
    sidebar_starts = text.index("MOST VIEWED")
    after = rows(
        built_database,
        f"SELECT status, text FROM sentence WHERE source_id = 'ppp-2022-kishida-hanoi' AND start >= {sidebar_starts}",
    )
    assert len(after) > 10 and any("Koh Ker" in sentence for _, sentence in after)
    assert {status for status, _ in after} == {"excluded"}


def test_facts_two_articles_state_are_single_facts_with_two_citations(built_database: Path) -> None:
    shared = dict(rows(built_database, "SELECT id, source_count FROM fact WHERE source_count > 1"))
    assert shared["trong-visited-japan-2015"] == 2
    assert shared["japan-largest-aid-donor-to-vietnam-2015"] == 2
    quoted = rows(
        built_database,
        "SELECT count(DISTINCT fact.id) FROM fact JOIN citation ON citation.fact_id = fact.id "
        "WHERE fact.predicate_id = 'stated' AND citation.quote LIKE '%raise the effectiveness of cooperation%'",
    )
    assert quoted == [(1,)]  # the statement both 2015 articles quote is one fact


def test_source_errors_are_corrected_in_the_open(built_database: Path) -> None:
    corrections = {
        (source, says, correct)
        for source, says, correct in rows(built_database, "SELECT source_id, source_says, correct FROM correction")
    }
    assert ("vov-2018-quang-japan", "Shizo Abe", "Shinzo Abe") in corrections
    assert ("scmp-2015-trong-japan", "Truong Tang Sang", "Truong Tan Sang") in corrections
    assert ("ppp-2022-kishida-hanoi", "1082", "1982") in corrections
    misspellings = set(rows(built_database, "SELECT entity_id, name FROM alias WHERE kind = 'misspelling_in_source'"))
    assert {("person:shinzo-abe", "Shizo Abe"), ("person:truong-tan-sang", "Truong Tang Sang")} <= misspellings
    shown = rows(built_database, "SELECT DISTINCT correction FROM fact_view WHERE correction LIKE '%Shizo Abe%'")
    assert shown and "Shinzo Abe" in shown[0][0]


def test_relative_dates_carry_their_reasoning(built_database: Path) -> None:
    """Every fact whose year is not in its own quotes says how its date was found."""
    unexplained = rows(
        built_database,
        "SELECT f.id FROM fact AS f WHERE f.date IS NOT NULL AND f.date_reasoning IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM citation AS c WHERE c.fact_id = f.id AND instr(c.quote, substr(f.date_start, 1, 4)) > 0)",
    )
    assert unexplained == []
    visit = rows(built_database, "SELECT date, date_reasoning FROM fact WHERE id = 'trong-visit-russia-2018'")
    assert visit[0][0] == "2018-09-05/2018-09-08" and "2018" in visit[0][1]
