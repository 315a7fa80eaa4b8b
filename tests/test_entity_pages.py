"""Entity pages, relationship pages and who met whom (plugins/entity_pages.py), read in a real
Chromium from a real server, on a database built from the fixtures alone (never the live facts):
tests/fixtures/grounding, tests/fixtures/entity-pages (visits each way, an office, a
partnership, a deprecated fact) and a source of many meetings made here, so that a person has
more facts than a page holds."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import PROJECT, browser_page, run_build, served, write_json

SCREENSHOTS = PROJECT / "tests" / "screenshots"
FIXTURES = PROJECT / "tests" / "fixtures"
MEETINGS = 55  # more than the 50 facts a page shows
CHINH = "/-/entities/person:pham-minh-chinh"


def _meetings_article(root: Path) -> None:
    """An article of MEETINGS meetings on as many days of 2019, archived with `build.py new`,
    and its facts."""
    days = [date(2019, 1, 1) + timedelta(days=index) for index in range(MEETINGS)]
    sentences = [f"On {day:%d %B %Y} Phạm Minh Chính met Kishida Fumio." for day in days]
    article = root / "meetings.txt"
    article.write_text("Many meetings\n" + "\n".join(sentences) + "\n", encoding="utf-8")
    made = run_build(
        "new", article, "--root", root, "--id", "test-many-meetings", "--title", "Many meetings", "--date", "2019"
    )
    assert made.returncode == 0, made.stderr
    facts = [
        {
            "id": f"chinh-met-kishida-{day:%m-%d}",
            "subject": "person:pham-minh-chinh",
            "predicate": "met",
            "object": "person:fumio-kishida",
            "date": day.isoformat(),
            "citations": [{"source": "test-many-meetings", "quote": sentence}],
        }
        for day, sentence in zip(days, sentences, strict=True)
    ]
    write_json(root / "facts" / "test-many-meetings.json", {"facts": facts})


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("entity-pages")
    for fixture in ("grounding", "entity-pages"):
        shutil.copytree(FIXTURES / fixture, root, dirs_exist_ok=True)
    _meetings_article(root)
    output = root / "facts.db"
    built = run_build("build", "--root", root, "--output", output)
    assert built.returncode == 0, built.stderr
    return output


@pytest.fixture(scope="module")
def server(database: Path) -> Iterator[str]:
    with served(database) as base:
        yield base


@pytest.fixture
def page(chromium: Browser, server: str) -> Iterator[Page]:
    with browser_page(chromium, server) as opened:
        yield opened


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_an_entity_page_shows_its_names_offices_and_a_page_of_facts(page: Page) -> None:
    response = page.goto(CHINH)
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("Phạm Minh Chính")
    expect(page.locator(".aliases")).to_contain_text("Pham Minh Chinh")
    expect(page.locator(".offices a").first).to_have_text("Prime Minister of Vietnam")
    facts = page.locator(".fact-list tbody tr")
    expect(facts).to_have_count(50)
    # Undated first, then by date: the first page is the meetings of early 2019.
    expect(facts.first.locator(".date")).to_have_text("1 Jan 2019")
    expect(facts.first.locator(".sources a")).to_have_attribute("href", "/-/sources/test-many-meetings")
    expect(page.locator("#timeline-title")).to_contain_text("2019, 55")
    expect(page.locator("a[rel=prev]")).to_have_count(0)
    _screenshot(page, "entity-page")


def test_the_next_page_holds_the_rest_with_the_deprecated_fact_marked(page: Page) -> None:
    page.goto(CHINH)
    page.locator("a[rel=next]").first.click()
    facts = page.locator(".fact-list tbody tr")
    expect(facts.first.locator(".date")).to_have_text("20 Feb 2019")  # the 51st of the 55 meetings
    wrong = page.locator("tr.deprecated")
    expect(wrong).to_have_count(1)
    expect(wrong.locator(".deprecated-mark")).to_have_text("Deprecated")
    expect(wrong).to_contain_text("not in Osaka")
    expect(page.locator("tr[data-fact-id='chinh-statement-friendship'] .roles")).to_have_text("subject")
    expect(page.locator("a[rel=next]")).to_have_count(0)
    _screenshot(page, "entity-page-2")
    page.locator("a[rel=prev]").first.click()
    expect(page.locator(".fact-list tbody tr")).to_have_count(50)
    expect(page.locator(".fact-list tbody tr .date").first).to_have_text("1 Jan 2019")


def test_a_year_of_the_timeline_opens_its_facts(page: Page) -> None:
    page.goto(CHINH)
    page.locator("a.year-bar[data-year='2022']").click()
    expect(page.locator(".fact-list tbody tr .date").first).to_have_text("1 May 2022")


def test_counterparts_lead_to_their_pages_and_count_no_deprecated_fact(page: Page) -> None:
    page.goto(CHINH)
    kishida = page.locator(".counterparts tr", has=page.locator("a.counterpart", has_text="Fumio Kishida"))
    # 55 + 1 meetings (the deprecated one not counted), talks once, agreed once.
    expect(kishida.locator("td")).to_have_text(["Fumio Kishida person", "56", "", "1", "1", "58"])
    expect(page.locator("a.counterpart", has_text="Japan")).to_have_count(1)  # visited
    kishida.locator("a.counterpart").click()
    expect(page).to_have_url(re.compile(r"/-/entities/person:fumio-kishida$"))
    expect(page.locator("h1")).to_have_text("Fumio Kishida")
    page.locator("a.counterpart", has_text="Phạm Minh Chính").click()
    expect(page.locator("h1")).to_have_text("Phạm Minh Chính")


def test_a_place_links_to_wikidata_and_an_office_to_its_holders(page: Page) -> None:
    page.goto("/-/entities/place:tokyo")
    expect(page.locator("a.wikidata")).to_have_attribute("href", "https://www.wikidata.org/wiki/Q1490")
    expect(page.locator(".description")).to_have_text("Capital of Japan.")
    page.goto("/-/entities/office:prime-minister-of-vietnam")
    expect(page.locator(".holders a").first).to_have_text("Phạm Minh Chính")


def test_a_country_links_to_its_relationships(page: Page) -> None:
    page.goto("/-/entities/country:vietnam")
    page.locator(".partners a", has_text="Vietnam and Japan").click()
    expect(page.locator("h1")).to_have_text("Vietnam and Japan")


def test_the_relationship_page_shows_visits_each_way_and_facts_by_kind(page: Page) -> None:
    response = page.goto("/-/relations/country:vietnam/country:japan")
    assert response is not None and response.status == 200
    visits = page.locator("table.visits tbody tr")
    expect(visits).to_have_text(["202201", "202310"])  # year, Vietnam → Japan, Japan → Vietnam
    expect(page.locator("svg rect.outward title")).to_have_text(["2023: 1 Vietnam → Japan"])
    expect(page.locator("svg rect.inward title")).to_have_text(["2022: 1 Japan → Vietnam"])
    # A page of 50 facts, grouped by kind: the partnership of 2014, then the meetings of 2019.
    expect(page.locator(".kind-partnership")).to_contain_text("Extensive Strategic Partnership")
    expect(page.locator(".kind-visit tbody tr")).to_have_count(49)
    _screenshot(page, "relation-page")
    page.locator("a[rel=next]").first.click()
    expect(page.locator(".kind-visit tr[data-fact-id='kishida-visited-vietnam-2022'] .direction")).to_have_text(
        "Japan → Vietnam"
    )
    expect(page.locator(".kind-visit tr[data-fact-id='chinh-visited-japan-2023'] .direction")).to_have_text(
        "Vietnam → Japan"
    )
    expect(page.locator(".kind-visit tr.deprecated")).to_have_count(1)
    expect(page.locator(".kind-trade .sources a")).to_have_text(["test-tokyo-visits"])
    expect(page.locator(".kind-pledge")).to_contain_text("3,500,000,000 USD")
    _screenshot(page, "relation-page-2")
    page.locator(".kinds a", has_text="Trade").click()
    expect(page.locator(".relation-page section")).to_have_count(1)
    expect(page.locator(".kind-trade tbody tr")).to_have_count(1)


def test_the_relationship_seen_from_the_other_side_turns_the_directions(page: Page) -> None:
    page.goto("/-/relations/country:japan/country:vietnam")
    expect(page.locator("table.visits tbody tr")).to_have_text(["202210", "202301"])


def test_the_network_links_its_people_and_countries_to_their_pages(page: Page) -> None:
    response = page.goto("/-/network")
    assert response is not None and response.status == 200
    nodes = page.locator("svg a.node")
    expect(nodes).to_have_count(4)  # Chính, Kishida, Japan, Vietnam
    expect(page.locator("svg a.node[data-entity-id='person:pham-minh-chinh'] text")).to_have_text("Phạm Minh Chính")
    listed = page.locator(".network-list > li")
    expect(listed.first).to_contain_text("Fumio Kishida (person, 59 facts)")
    _screenshot(page, "network")
    page.locator("svg a.node[data-entity-id='country:japan'] circle").click()
    expect(page.locator("h1")).to_have_text("Japan")


def test_entity_ids_link_to_their_pages_from_tables_and_fact_pages(page: Page) -> None:
    page.goto("/facts/fact?id=chinh-visited-japan-2023")
    subject = page.locator("td.col-subject_id")
    subject.locator("a").first.click()  # Datasette's link to the entity's row, labelled with its name
    page.locator("td.col-id a.entity-page").click()  # whose id links to its page
    expect(page.locator("h1")).to_have_text("Phạm Minh Chính")
    page.goto("/facts/fact/chinh-visited-japan-2023")
    page.locator(".evidence a.entity-page").last.click()
    expect(page.locator("h1")).to_have_text("Japan")


def test_unknown_entities_and_pairs_are_not_found(page: Page) -> None:
    for path in ("/-/entities/person:nobody", "/-/relations/country:vietnam/country:vietnam"):
        response = page.goto(path)
        assert response is not None and response.status == 404
