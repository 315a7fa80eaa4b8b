"""Readers see the truth: deprecated facts are marked or named on every page and query, a long
source is cut by its marks (not its characters), clients' slow SQL does not stall other pages, and
`build.py serve` on a taken port says so without rebuilding. Real builds, real servers."""

from __future__ import annotations

import html
import importlib.util
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import Browser

from conftest import EXAMPLE_SOURCE, PROJECT, browser_page, frozen_project, run_build, served, write_json
from factdb.publishing import unusable_port
from factdb.queries import CANNED_QUERIES

# Two facts of the example source, deprecated in a copy of the corpus: an event drawn on the
# timeline (with a correction) and a statement.
DEPRECATED = {
    "quang-abe-joint-press-conference-2018": "Test: the press conference is a caption's claim.",
    "quang-statement-political-trust-2018": "Test: the words are misattributed.",
}


def load_pages_plugin() -> ModuleType:
    """plugins/factdb_pages.py as Datasette loads it: a file, not a package."""
    spec = importlib.util.spec_from_file_location("factdb_pages", PROJECT / "plugins" / "factdb_pages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pages_plugin = load_pages_plugin()


@pytest.fixture(scope="module")
def deprecated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen example project, with DEPRECATED deprecated in its fact file."""
    root = frozen_project(tmp_path_factory.mktemp("deprecated") / "corpus")
    data = json.loads((root / "facts" / f"{EXAMPLE_SOURCE}.json").read_text(encoding="utf-8"))
    for fact in data["facts"]:
        if fact["id"] in DEPRECATED:
            fact["rank"], fact["deprecation_reason"] = "deprecated", DEPRECATED[fact["id"]]
    assert {fact["id"] for fact in data["facts"] if fact.get("rank")} == set(DEPRECATED)
    write_json(root / "facts" / f"{EXAMPLE_SOURCE}.json", data)
    output = root / "facts.db"
    built = run_build("build", "--root", root, "--output", output)
    assert built.returncode == 0, built.stderr
    return output


@pytest.fixture(scope="module")
def site(deprecated_database: Path) -> Iterator[str]:
    with served(deprecated_database) as base:
        yield base


def read(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def rows(url: str) -> list[dict]:
    return json.loads(read(url))


# --- Deprecated facts --------------------------------------------------------------------------

QUERY_PARAMETERS = {
    "entity_facts": "name=Shinzo+Abe",
    "timeline_between": "country_a=Vietnam&country_b=Japan&year=",
    "source_facts": f"source={EXAMPLE_SOURCE}",
    "corroborated_facts": "min_sources=1",
    "corrections": f"source={EXAMPLE_SOURCE}",
    "statements_by_speaker": "speaker=Tran+Dai+Quang",
}


@pytest.mark.parametrize("query", sorted(QUERY_PARAMETERS))
def test_every_canned_query_listing_facts_says_which_are_deprecated(site: str, query: str) -> None:
    found = rows(f"{site}/facts/{query}.json?{QUERY_PARAMETERS[query]}&_shape=array")
    ranks = {row["fact_id"]: row["rank"] for row in found}
    listed = ranks.keys() & DEPRECATED.keys()
    assert listed, "the query must list a deprecated fact, or the test proves nothing"
    assert {ranks[fact_id] for fact_id in listed} == {"deprecated"}
    assert {rank for fact_id, rank in ranks.items() if fact_id not in DEPRECATED} <= {"normal"}


def test_every_canned_query_is_checked() -> None:
    assert set(QUERY_PARAMETERS) | {"source_coverage"} == set(CANNED_QUERIES)


def test_the_coverage_query_counts_the_deprecated_facts_citing_each_source(site: str) -> None:
    found = {
        row["source_id"]: row["deprecated_facts"]
        for row in rows(f"{site}/facts/source_coverage.json?source=&_shape=array")
    }
    assert found[EXAMPLE_SOURCE] == len(DEPRECATED)
    assert set(found.values()) - {0} == {len(DEPRECATED)}  # the other sources: none


def test_the_timeline_leaves_deprecated_facts_out_and_names_them(site: str) -> None:
    page = read(f"{site}/-/timeline")
    before, after = page.split('<p class="left-out">')
    note, rest = after.split("</p>", 1)
    drawn = before + rest
    event = "quang-abe-joint-press-conference-2018"
    assert f'data-fact-id="{event}"' not in drawn and f"/facts/fact/{event}" not in drawn
    assert f'href="/facts/fact/{event}"' in note and DEPRECATED[event] in html.unescape(note)
    assert 'data-fact-id="quang-visited-japan-2018"' in drawn  # its normal neighbour is drawn


def test_the_source_page_marks_a_deprecated_passage_apart(chromium: Browser, site: str) -> None:
    with browser_page(chromium, site) as page:
        page.goto(f"/-/sources/{EXAMPLE_SOURCE}")
        cited = set(
            " ".join(
                page.locator(".source-text mark[data-facts]").evaluate_all("nodes => nodes.map(n => n.dataset.facts)")
            ).split()
        )
        marked = page.locator(".source-text mark[data-deprecated-facts]")
        wrong = set(" ".join(marked.evaluate_all("nodes => nodes.map(n => n.dataset.deprecatedFacts)")).split())
        assert wrong == set(DEPRECATED)
        assert not cited & set(DEPRECATED) and cited
        alone = page.locator(".source-text mark.deprecated").first
        assert "line-through" in alone.evaluate("node => getComputedStyle(node).textDecorationLine")
        summary = page.locator("p", has_text="facts cite this source").inner_text()
        assert all(fact_id in summary and reason in summary for fact_id, reason in DEPRECATED.items())


@pytest.mark.parametrize("path", ["/-/coverage", "/-/sources"])
def test_the_pages_about_sources_count_the_deprecated_facts_citing_them(site: str, path: str) -> None:
    counts = read(site + path).count('class="deprecated-count">2 deprecated facts<')
    assert counts == 1  # the example source's, and no other


# --- Cutting a source by its marks -------------------------------------------------------------

KINDS = ["cited", "deprecated", "sentence", "grounding"]


def per_character(text: str, spans: list) -> list[tuple[str, tuple]]:
    """The reference: each character's set of marks, runs of equal sets joined."""
    runs: list[tuple[str, tuple]] = []
    for index, character in enumerate(text):
        marks = tuple(
            sorted(
                {(s.kind, s.key, s.note) for s in spans if s.start <= index < s.end},
                key=lambda mark: (mark[0], mark[1], mark[2] or ""),
            )
        )
        if runs and runs[-1][1] == marks:
            runs[-1] = (runs[-1][0] + character, marks)
        else:
            runs.append((character, marks))
    return runs


span_strategy = st.builds(
    pages_plugin.Span,
    start=st.integers(-2, 24),
    end=st.integers(-2, 26),
    key=st.sampled_from(["a", "b", "c"]),
    kind=st.sampled_from(KINDS),
    note=st.sampled_from([None, "why"]),
)


@given(text=st.text(alphabet="ab ", max_size=22), spans=st.lists(span_strategy, max_size=8))
def test_segments_equal_the_per_character_reference(text: str, spans: list) -> None:
    cut = pages_plugin.segments(text, spans)
    assert [(segment.text, segment.marks) for segment in cut] == per_character(text, spans)


def test_a_long_source_is_cut_by_its_marks_not_its_characters() -> None:
    """Two million characters, one span: two segments, each the text itself (not a list a character)."""
    text = "x" * 2_000_000
    cut = pages_plugin.segments(text, [pages_plugin.Span(10, 1_999_990, "fact", "cited")])
    assert [len(segment.text) for segment in cut] == [10, 1_999_980, 10]


def test_marked_text_escapes_the_text_and_the_ids() -> None:
    spans = [pages_plugin.Span(0, 8, "<b>", "deprecated"), pages_plugin.Span(9, 12, "excluded", "sentence", "<i>")]
    html = str(pages_plugin.marked_text(pages_plugin.segments("<script> x&y", spans)))
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert 'data-deprecated-facts="&lt;b&gt;"' in html and "&lt;script&gt;" in html and 'title="&lt;i&gt;"' in html


# --- Slow SQL of the clients' own ---------------------------------------------------------------

ENDLESS = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"


def ask(url: str, answers: list[tuple[int, str]]) -> None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            answers.append((response.status, response.read().decode()))
    except urllib.error.HTTPError as error:
        answers.append((error.code, error.read().decode()))


def test_four_clients_running_into_the_time_limit_do_not_stall_other_pages(site: str) -> None:
    answers: list[tuple[int, str]] = []
    slow = [
        threading.Thread(target=ask, args=(f"{site}/facts.json?sql={urllib.parse.quote(ENDLESS)}", answers))
        for _ in range(4)
    ]
    for client in slow:
        client.start()
    time.sleep(0.5)  # every slow query has reached the server
    for path in ("/facts/fact.json?_size=1", "/-/timeline", f"/-/sources/{EXAMPLE_SOURCE}"):
        with urllib.request.urlopen(site + path, timeout=60) as response:
            assert response.status == 200
    # Answered while all four still waited: before, two of them held both processes until stopped.
    assert all(client.is_alive() for client in slow) and answers == []
    for client in slow:
        client.join()
    assert [status for status, _ in answers] == [400] * 4
    assert all("SQL query took too long" in body for _, body in answers)


def test_sql_of_the_clients_own_is_answered_as_before(site: str) -> None:
    found = rows(f"{site}/facts.json?sql={urllib.parse.quote('select id from fact order by id limit 2')}&_shape=array")
    assert len(found) == 2 and found[0]["id"] < found[1]["id"]
    clause = urllib.parse.quote("id = 'quang-visited-japan-2018'")
    where = rows(f"{site}/facts/fact.json?_where={clause}&_shape=array")
    assert [row["id"] for row in where] == ["quang-visited-japan-2018"]
    html = read(f"{site}/facts?sql={urllib.parse.quote('select 41 + 1 as answer')}")
    assert '<td class="col-answer">42</td>' in html


# --- A port another server holds ----------------------------------------------------------------


def test_serve_on_a_taken_port_says_so_and_leaves_that_servers_database(deprecated_database: Path, site: str) -> None:
    port = int(urllib.parse.urlsplit(site).port or 0)
    before = deprecated_database.stat()
    result = run_build("serve", "--output", deprecated_database, "--port", port)
    assert result.returncode == 2
    assert f"127.0.0.1:{port}" in result.stderr and "already in use" in result.stderr
    assert "nothing was built" in result.stderr
    after = deprecated_database.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert read(site + "/-/versions.json")  # the other server goes on serving


def test_serve_on_a_free_port_is_not_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert unusable_port("127.0.0.1", port) is None
