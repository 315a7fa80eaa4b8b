"""Dates shown as precisely as they are known: the words for each EDTF form (schema.dates.date_text),
and the timeline, which draws a year as a span over the year and never invents its first day."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from conftest import FIXTURES, PROJECT, browser_page, build, served
from schema.dates import date_text


@pytest.mark.parametrize(
    ("edtf", "words"),
    [
        ("2018", "2018"),
        ("2018-05", "May 2018"),
        ("2018-05-31", "31 May 2018"),
        ("2018?", "2018?"),
        ("2015-09?", "Sep 2015?"),
        ("~2015-09", "about Sep 2015"),
        ("2015-09~", "about Sep 2015"),
        ("2015%", "about 2015?"),
        ("2018-09-05/2018-09-08", "5–8 Sep 2018"),
        ("2022-04-30/2022-05-01", "30 Apr – 1 May 2022"),
        ("2018-01-01/2018-09-05", "1 Jan – 5 Sep 2018"),
        ("2018-08/2018-09", "Aug–Sep 2018"),
        ("2016/2017", "2016–2017"),
        ("2014-03/2015-09-13", "Mar 2014 – 13 Sep 2015"),
        ("2018/2018-09-05", "2018 – 5 Sep 2018"),
        ("2015?/2016", "2015?–2016"),
        ("2018-05-31/2018-05-31", "31 May 2018"),
        ("2018-08/..", "from Aug 2018"),
        ("2011/..", "from 2011"),
        ("2022-05-01/..", "from 1 May 2022"),
        ("../2015-09", "until Sep 2015"),
        ("../2015-09-13", "until 13 Sep 2015"),
        ("2018-08/", "from Aug 2018 (end unknown)"),
        ("/2015-09", "until Sep 2015 (start unknown)"),
        # Forms the project does not write are shown as written: honest, if terse.
        ("201X", "201X"),
        ("2018-21", "2018-21"),
    ],
)
def test_a_date_reads_as_precisely_as_it_is_known(edtf: str, words: str) -> None:
    assert date_text(edtf) == words


YEAR_FACT = "japan-oda-to-vietnam"  # dated "2022" in the grounding fixture
DAY_FACT = "chinh-kishida-talks"  # dated "2022-05-01"
APPROXIMATE_FACT = "chinh-kishida-agreed-digital"  # dated "~2022-05" below


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The grounding fixture (one year-, several day-precision events), with one event made
    approximate to the month, built and served."""
    root = tmp_path_factory.mktemp("dates") / "project"
    shutil.copytree(FIXTURES / "grounding", root)
    facts_path = root / "facts" / "test-hanoi-talks.json"
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    dates = {fact["id"]: fact.get("date") for fact in facts["facts"]}
    assert (dates[YEAR_FACT], dates[DAY_FACT]) == ("2022", "2022-05-01")  # what the test relies on
    for fact in facts["facts"]:
        if fact["id"] == APPROXIMATE_FACT:
            fact["date"] = "~2022-05"
    facts_path.write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with served(build(root, root / "facts.db")) as base:
        yield base


@pytest.fixture
def page(chromium: Browser, site: str) -> Iterator[Page]:
    with browser_page(chromium, site) as opened:
        yield opened


def test_the_timeline_draws_a_year_as_a_span_and_a_day_as_a_point(page: Page) -> None:
    page.goto("/-/timeline")
    year = page.locator(f'a.event-mark[data-fact-id="{YEAR_FACT}"]')
    assert year.locator("circle").count() == 0
    span = year.locator("rect.span")
    assert span.count() == 1
    day = page.locator(f'a.event-mark[data-fact-id="{DAY_FACT}"]')
    assert day.locator("circle.day").count() == 1 and day.locator("rect").count() == 0
    # The bar covers the whole year: as wide as January's label is from December's, and more.
    months = page.locator("svg[aria-label^=Timeline] > text").all()
    january, december = (month.bounding_box() for month in (months[0], months[-1]))
    box = span.bounding_box()
    assert january and december and box
    assert box["x"] <= january["x"] + 1 and box["x"] + box["width"] > december["x"] + december["width"]
    assert year.get_attribute("data-date-text") == "2022"
    approximate = page.locator(f'a.event-mark[data-fact-id="{APPROXIMATE_FACT}"]')
    assert "qualified" in (approximate.get_attribute("class") or "")
    assert approximate.locator("rect.span").get_attribute("stroke-dasharray")
    assert approximate.locator("title").text_content().startswith("about May 2022: ")
    listed = page.locator(".event-list").inner_text()
    assert "2022: Japan provides" in listed and "about May 2022: " in listed and "1 May 2022: " in listed
    # No day nobody knows: neither the page's text nor its marks say the year's first day.
    assert "01-01" not in page.content() and "1 Jan" not in page.content()
    page.screenshot(path=PROJECT / "tests" / "screenshots" / "timeline-precision.png", full_page=True)


def test_a_statement_and_a_canned_query_say_a_year_as_a_year(page: Page) -> None:
    page.goto(f"/facts/fact/{YEAR_FACT}")
    assert "(planned; 2022)." in page.locator("td.col-statement").inner_text()
    page.goto("/facts/entity_facts?name=Japan")
    row = page.locator("tbody tr", has=page.locator(f'td.col-fact_id:has-text("{YEAR_FACT}")'))
    assert row.locator("td.col-date").inner_text() == "2022"
    assert "01-01" not in page.locator("table.rows-and-columns").inner_text()
