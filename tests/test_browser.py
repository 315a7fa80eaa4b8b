"""The published site in a real browser: Debian's Chromium, driven by Playwright, against a
real `datasette serve` started with the production command (factdb.publishing.serve_command).

The site is built from a frozen project of the tests' own (the README's example with the two
2015 articles laid over it: conftest.three_articles), never from the live data, which grows.
Expected results are computed from that project's fact files, not from the database, so a
wrong query or a wrong page fails the test. Screenshots go to tests/screenshots/ (kept by CI).
"""

from __future__ import annotations

import json
import sqlite3
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import PROJECT, browser_page, served
from factdb.publishing import TIMELINE_PREDICATES

SCREENSHOTS = PROJECT / "tests" / "screenshots"


@pytest.fixture(scope="module")
def root(three_articles: Path) -> Path:
    """The project the site is built from: every expectation is read from its files."""
    return three_articles


@pytest.fixture(scope="module")
def built(three_articles_database: Path) -> Path:
    return three_articles_database


def all_facts(root: Path) -> list[dict]:
    return [fact for path in sorted((root / "facts").glob("*.json")) for fact in json.loads(path.read_text())["facts"]]


def all_entities(root: Path) -> dict[str, dict]:
    return {
        entity["id"]: entity
        for path in sorted((root / "facts" / "entities").glob("*.json"))
        for entity in json.loads(path.read_text())["entities"]
    }


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with served(built) as base:
        yield base


@pytest.fixture
def page(chromium: Browser, server: str) -> Iterator[Page]:
    with browser_page(chromium, server) as opened:
        yield opened


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def fact_ids_on_page(page: Page) -> list[str]:
    return [cell.inner_text().strip() for cell in page.locator("td.col-fact_id").all()]


def test_home_page_shows_title_and_description(page: Page) -> None:
    page.goto("/")
    assert page.locator("h1").first.inner_text() == "Vietnam's foreign relations: a citable fact database"
    assert (
        "each citing the verbatim words of an archived news article"
        in page.locator(".metadata-description").inner_text()
    )
    shoot(page, "home")


def test_search_for_a_misspelt_alias_finds_the_person(page: Page) -> None:
    page.goto("/facts/entity")
    page.fill("input[name=_search]", "Shizo Abe")
    page.locator("input[name=_search]").press("Enter")
    page.wait_for_url("**_search=Shizo*")
    assert page.locator("td.col-name").all_inner_texts() == ["Shinzo Abe"]
    page.goto("/facts/entity?_search=Zzyzxquux")  # a word in no name: search is really on, not ignored
    assert page.locator("td.col-name").count() == 0


def test_a_facet_narrows_the_facts(page: Page, root: Path) -> None:
    visits = sum(fact["predicate"] == "visited" for fact in all_facts(root))
    total = len(all_facts(root))
    assert 0 < visits < total
    page.goto("/facts/fact?_size=max&_facet=predicate_id")  # no default facets: a million rows each
    assert page.locator("h3").first.inner_text().startswith(f"{total} rows")
    page.locator(".facet-info[data-column=predicate_id] a", has_text="visited").first.click()
    page.wait_for_url("**predicate_id=visited*")
    assert page.locator("h3").first.inner_text().startswith(f"{visits} row")
    assert set(page.locator("td.col-predicate_id").all_inner_texts()) == {"visited"}


def _mentions(fact: dict, entity_id: str) -> bool:
    values = [fact.get("subject"), fact.get("object"), fact.get("place"), fact.get("attributed_to")]
    return entity_id in values or entity_id in fact.get("qualifiers", {}).values()


def _countries(fact: dict, entities: dict[str, dict]) -> set[str]:
    involved = [fact.get("subject"), fact.get("object"), fact.get("place"), fact.get("qualifiers", {}).get("with")]
    found = set()
    for entity_id in filter(None, involved):
        entity = entities.get(entity_id, {})
        country = entity_id if entity_id.startswith("country:") else entity.get("country")
        if country:
            found.add(country)
    return found


def _bounds(built: Path) -> dict[str, tuple[str | None, str | None]]:
    with sqlite3.connect(built) as connection:
        return {row[0]: (row[1], row[2]) for row in connection.execute("SELECT id, date_start, date_end FROM fact")}


def _expected_queries(root: Path, built: Path) -> dict[str, tuple[str, list[str]]]:
    """For each canned query: its parameters, and the fact ids of its rows (one per row). Each
    keeps some facts out: those of the other sources, people, years or countries."""
    facts, entities, bounds = all_facts(root), all_entities(root), _bounds(built)

    def in_2015(fact: dict) -> bool:
        start, end = bounds[fact["id"]]
        return start is not None and start[:4] <= "2015" <= (end or "9999")[:4]

    return {
        "entity_facts": ("name=Shizo+Abe", [f["id"] for f in facts if _mentions(f, "person:shinzo-abe")]),
        "timeline_between": (
            "country_a=vietnam&country_b=JAPAN&year=2015",
            [f["id"] for f in facts if {"country:vietnam", "country:japan"} <= _countries(f, entities) and in_2015(f)],
        ),
        "source_facts": (
            "source=vov-2018-quang-japan",
            [f["id"] for f in facts for c in f["citations"] if c["source"] == "vov-2018-quang-japan"],  # per quote
        ),
        "corroborated_facts": (
            "min_sources=2",
            {f["id"] for f in facts if len({c["source"] for c in f["citations"]}) >= 2},
        ),
        "corrections": (
            "source=scmp-2015-trong-japan",
            [f["id"] for f in facts for c in f.get("corrections", []) if c["source"] == "scmp-2015-trong-japan"],
        ),
        "statements_by_speaker": (
            "speaker=Trong",
            [f["id"] for f in facts if f["predicate"] == "stated" and f["subject"] == "person:nguyen-phu-trong"],
        ),
    }


@pytest.mark.parametrize(
    "query",
    ["entity_facts", "timeline_between", "source_facts", "corroborated_facts", "corrections", "statements_by_speaker"],
)
def test_each_canned_query_returns_the_expected_facts(page: Page, root: Path, built: Path, query: str) -> None:
    parameters, expected = _expected_queries(root, built)[query]
    assert expected, "the oracle must expect some facts, or the test proves nothing"
    assert len(set(expected)) < len(all_facts(root)), "the oracle must leave some facts out, or nothing is filtered"
    page.goto(f"/facts/{query}?{parameters}&_size=max")
    assert sorted(fact_ids_on_page(page)) == sorted(expected)


def test_a_timeline_between_a_country_and_itself_lists_its_dated_facts(page: Page, root: Path, built: Path) -> None:
    """country_pair_fact pairs two different countries: the same one twice comes from fact_country."""
    entities, bounds = all_entities(root), _bounds(built)
    expected = [
        f["id"]
        for f in all_facts(root)
        if "country:japan" in _countries(f, entities) and bounds[f["id"]][0] is not None
    ]
    assert expected
    page.goto("/facts/timeline_between?country_a=Japan&country_b=japan&year=")
    assert sorted(fact_ids_on_page(page)) == sorted(expected)


def test_coverage_query_shows_every_source_fully_covered(page: Page, root: Path) -> None:
    sources = sorted(path.stem for path in (root / "sources").glob("*.json"))
    page.goto("/facts/source_coverage?source=")
    assert sorted(page.locator("td.col-source_id").all_inner_texts()) == sources
    assert set(page.locator("td.col-uncovered").all_inner_texts()) == {"0"}


def test_the_timeline_draws_one_mark_per_dated_event(page: Page, root: Path) -> None:
    events = {
        f["id"]
        for f in all_facts(root)
        if f["predicate"] in TIMELINE_PREDICATES and f.get("date") and f.get("rank", "normal") == "normal"
    }
    page.goto("/-/timeline")
    marks = page.locator("svg a.event-mark")
    assert sorted(marks.evaluate_all("nodes => nodes.map(n => n.dataset.factId)")) == sorted(events)
    assert page.locator("svg a.event-mark").count() == len(events)
    shoot(page, "timeline")
    page.select_option("select#country", "country:china")
    page.locator("form input[type=submit]").click()
    entities = all_entities(root)
    chinese = {f["id"] for f in all_facts(root) if f["id"] in events and "country:china" in _countries(f, entities)}
    assert 0 < len(chinese) < len(events)
    assert page.locator("svg a.event-mark").count() == len(chinese)


def test_a_source_page_marks_its_cited_passages(page: Page, root: Path) -> None:
    source = "vov-2018-quang-japan"
    citing = {f["id"] for f in all_facts(root) if any(c["source"] == source for c in f["citations"])}
    page.goto(f"/-/sources/{source}")
    marked = page.locator(".source-text mark.cited")
    assert marked.count() > 0
    linked = set(" ".join(marked.evaluate_all("nodes => nodes.map(n => n.dataset.facts)")).split())
    assert linked == citing
    assert "Photo credit." in page.locator(".source-text .excluded").first.get_attribute("title")
    assert page.locator(".source-text .uncovered").count() == 0
    shoot(page, "source")


def test_a_fact_page_names_its_entities(page: Page) -> None:
    page.goto("/facts/fact/quang-abe-joint-press-conference-2018")
    assert "Tran Dai Quang held a joint press conference with Shinzo Abe" in page.locator("body").inner_text()
    shoot(page, "fact")
    page.goto("/facts/fact?id=quang-abe-joint-press-conference-2018")
    assert page.locator("td.col-object_id").inner_text().startswith("Shinzo Abe")  # label_column: names, not ids


def test_the_downloaded_database_opens_and_has_every_fact(server: str, tmp_path: Path, root: Path, built: Path) -> None:
    downloaded = tmp_path / "downloaded.db"
    with urllib.request.urlopen(server + "/facts.db", timeout=10) as response:
        downloaded.write_bytes(response.read())
    assert downloaded.read_bytes() == built.read_bytes()
    with sqlite3.connect(downloaded) as connection:
        assert connection.execute("SELECT count(*) FROM fact").fetchone()[0] == len(all_facts(root))


def test_every_table_and_query_downloads_as_csv_and_json(server: str) -> None:
    with urllib.request.urlopen(server + "/facts.json", timeout=10) as response:
        database = json.load(response)
    names = [t["name"] for t in database["tables"] if not t["hidden"]] + [v["name"] for v in database["views"]]
    paths = [f"/facts/{name}" for name in names] + ["/facts/source_facts?source=vov-2018-quang-japan"]
    for path in paths:
        for extension in (".csv", ".json"):
            url = server + path.replace("?", extension + "?") if "?" in path else server + path + extension
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200, url
                assert len(response.read()) > 0
