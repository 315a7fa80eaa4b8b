"""The corpus keeps its promises: complete coverage, evidence inside the article, one fact per
claim, source errors corrected in the open, relative dates explained.

Two kinds of test. Those marked `live_data` check the live facts/ and sources/ for properties
that hold for any valid data, however many articles pull requests add (tests/test_growth.py runs
them on a copy of the project with one more article). The others check the same promises on
frozen projects of the tests' own, where the values are known: the README's example with the two
2015 articles (conftest.three_articles), and the fixture article of tests/fixtures/new-article/.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import PROJECT, add_the_new_article, build, frozen_project, run_build
from factdb.quotes import NormalisedText, find_quote


def rows(database: Path, sql: str, parameters: tuple = ()) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql, parameters).fetchall()


def records(root: Path) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted((root / "sources").glob("*.json"))]


def fact_files(root: Path) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted((root / "facts").glob("*.json"))]


def passage(record: dict, root: Path, excluded: str) -> tuple[str, int]:
    """The archived text of a source and where an excluded passage of it starts."""
    text = (root / record["text_path"]).read_text(encoding="utf-8")
    spans = find_quote(excluded, NormalisedText(text))
    assert spans, (record["id"], excluded)
    return text, spans[0].start


# --- Properties of the live data -----------------------------------------------------------------


def test_every_source_is_fully_covered(live_database: Path) -> None:
    coverage = rows(live_database, "SELECT source_id, uncovered, cited FROM coverage ORDER BY source_id")
    assert [source for source, _, _ in coverage] == sorted(record["id"] for record in records(PROJECT))
    assert all(uncovered == 0 and cited > 0 for _, uncovered, cited in coverage), coverage


@pytest.mark.live_data
def test_the_coverage_command_reports_zero_uncovered(tmp_path: Path) -> None:
    result = run_build("coverage", "--output", tmp_path / "facts.db")
    assert result.returncode == 0, result.stderr
    summaries = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert len(summaries) == len(records(PROJECT))  # one a source record
    assert all(", 0 uncovered (100.0% covered)" in line for line in summaries), summaries
    assert not any(line.lstrip().startswith("uncovered") for line in result.stdout.splitlines())


def test_no_quote_touches_text_outside_the_article(live_database: Path) -> None:
    """Found independently: every 'not part of the article' passage, against every citation span."""
    for record in records(PROJECT):
        text = (PROJECT / record["text_path"]).read_text(encoding="utf-8")
        furniture = []
        for exclusion in record["excluded"]:
            if exclusion["kind"] == "not_part_of_article":
                spans = find_quote(exclusion["text"], NormalisedText(text))
                assert spans, exclusion["text"]
                furniture.append((spans[0].start, len(text) if exclusion.get("to_end") else spans[-1].end))
        citations = rows(live_database, "SELECT spans FROM citation WHERE source_id = ?", (record["id"],))
        for (spans,) in citations:
            for start, end in json.loads(spans):
                assert not any(start < stop and begin < end for begin, stop in furniture), (record["id"], start, end)


def test_a_passage_excluded_to_the_end_excludes_every_sentence_after_it(live_database: Path) -> None:
    """A sidebar of other stories, excluded with to_end, is excluded whole, in any source."""
    for record in records(PROJECT):
        for exclusion in record["excluded"]:
            if exclusion.get("to_end"):
                _, start = passage(record, PROJECT, exclusion["text"])
                after = rows(
                    live_database,
                    "SELECT status, text FROM sentence WHERE source_id = ? AND start >= ?",
                    (record["id"], start),
                )
                assert after, (record["id"], exclusion["text"])
                assert {status for status, _ in after} == {"excluded"}, (record["id"], after)


def test_no_two_facts_make_the_same_claim(live_database: Path) -> None:
    """A claim two articles state is one fact citing both, never two facts."""
    evidence = {"id", "citations", "corrections", "note", "date_reasoning"}
    claims: dict[str, str] = {}
    for document in fact_files(PROJECT):
        for fact in document["facts"]:
            if fact.get("rank", "normal") != "normal":
                continue
            claim = json.dumps({key: value for key, value in fact.items() if key not in evidence}, sort_keys=True)
            assert claim not in claims, f"{fact['id']} makes the claim of {claims[claim]}"
            claims[claim] = fact["id"]
    assert len(claims) == rows(live_database, "SELECT count(*) FROM fact WHERE rank = 'normal'")[0][0]


def test_every_correction_is_published_with_the_words_its_source_printed(live_database: Path) -> None:
    written = sorted(
        (fact["id"], correction["source"], correction["source_says"], correction["correct"])
        for document in fact_files(PROJECT)
        for fact in document["facts"]
        for correction in fact.get("corrections", [])
    )
    published = rows(
        live_database, "SELECT fact_id, source_id, source_says, correct FROM correction ORDER BY 1, 2, 3, 4"
    )
    assert published == written
    texts = {record["id"]: (PROJECT / record["text_path"]).read_text(encoding="utf-8") for record in records(PROJECT)}
    for _, source, says, correct in published:
        assert find_quote(says, NormalisedText(texts[source])), (source, says)
        assert says != correct


def test_relative_dates_carry_their_reasoning(live_database: Path) -> None:
    """Every fact whose year is not in its own quotes says how its date was found."""
    unexplained = rows(
        live_database,
        "SELECT f.id FROM fact AS f WHERE f.date IS NOT NULL AND f.date_reasoning IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM citation AS c WHERE c.fact_id = f.id AND instr(c.quote, substr(f.date_start, 1, 4)) > 0)",
    )
    assert unexplained == []


# --- The same promises on frozen projects, whose values the tests know -------------------------


def test_the_sidebar_of_other_stories_is_excluded_whole(tmp_path: Path) -> None:
    root = frozen_project(tmp_path / "project")
    source = add_the_new_article(root)
    database = build(root, tmp_path / "facts.db")
    [record] = [record for record in records(root) if record["id"] == source]
    text, sidebar_starts = passage(record, root, "MOST READ")
    assert text[sidebar_starts:].startswith("MOST READ")
    after = rows(
        database, "SELECT status, text FROM sentence WHERE source_id = ? AND start >= ?", (source, sidebar_starts)
    )
    assert [sentence for _, sentence in after] == [
        "MOST READ",
        "A story about the weather.",
        "A story about football.",
        "A story about rice prices.",
    ]
    assert {status for status, _ in after} == {"excluded"}
    before = rows(database, "SELECT status FROM sentence WHERE source_id = ? AND start < ?", (source, sidebar_starts))
    assert ("cited",) in before  # the article above it is not excluded with it


def test_facts_two_articles_state_are_single_facts_with_two_citations(three_articles_database: Path) -> None:
    shared = dict(rows(three_articles_database, "SELECT id, source_count FROM fact WHERE source_count > 1"))
    assert shared["trong-visited-japan-2015"] == 2
    assert shared["japan-largest-aid-donor-to-vietnam-2015"] == 2
    quoted = rows(
        three_articles_database,
        "SELECT count(DISTINCT fact.id) FROM fact JOIN citation ON citation.fact_id = fact.id "
        "WHERE fact.predicate_id = 'stated' AND citation.quote LIKE '%raise the effectiveness of cooperation%'",
    )
    assert quoted == [(1,)]  # the statement both 2015 articles quote is one fact


def test_source_errors_are_corrected_in_the_open(three_articles_database: Path) -> None:
    corrections = set(rows(three_articles_database, "SELECT source_id, source_says, correct FROM correction"))
    assert ("vov-2018-quang-japan", "Shizo Abe", "Shinzo Abe") in corrections
    assert ("scmp-2015-trong-japan", "Truong Tang Sang", "Truong Tan Sang") in corrections
    assert ("vietnam-looks-to-japan-2015", "Air Chief Marshall", "Air Chief Marshal") in corrections
    misspellings = set(
        rows(three_articles_database, "SELECT entity_id, name FROM alias WHERE kind = 'misspelling_in_source'")
    )
    assert {("person:shinzo-abe", "Shizo Abe"), ("person:truong-tan-sang", "Truong Tang Sang")} <= misspellings
    shown = rows(
        three_articles_database, "SELECT DISTINCT correction FROM fact_view WHERE correction LIKE '%Shizo Abe%'"
    )
    assert shown and "Shinzo Abe" in shown[0][0]


def test_a_relative_date_is_resolved_with_its_reasoning(three_articles_database: Path) -> None:
    [(date, reasoning, quote)] = rows(
        three_articles_database,
        "SELECT f.date, f.date_reasoning, c.quote FROM fact AS f JOIN citation AS c ON c.fact_id = f.id "
        "WHERE f.id = 'truong-tan-sang-visited-japan-2014-03'",
    )
    assert "in March last year" in quote and "2014" not in quote
    assert date == "2014-03" and "2014" in reasoning
