"""The first screen of a table page shows rows: the column descriptions, above the table in
Datasette's page, are collapsed one click away (templates/table.html).

Chromium at 1280x900 on the grounding fixture, built and served by the production command;
screenshots go to tests/screenshots/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from conftest import FIXTURES, PROJECT, browser_page, build, served

VIEWPORT_HEIGHT = 900  # conftest.browser_page's viewport: 1280x900
FIRST_LINE = 40  # pixels: a cell's first line of text with its padding


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("rows-first") / "project"
    shutil.copytree(FIXTURES / "grounding", root)
    with served(build(root, root / "facts.db")) as base:
        yield base


@pytest.fixture
def page(chromium: Browser, site: str) -> Iterator[Page]:
    with browser_page(chromium, site) as opened:
        yield opened


@pytest.mark.parametrize("table", ["fact_view", "fact"])
def test_the_first_row_is_on_the_first_screen(page: Page, table: str) -> None:
    page.goto(f"/facts/{table}")
    page.screenshot(path=PROJECT / "tests" / "screenshots" / f"rows-first-{table}.png")
    first = page.locator("table.rows-and-columns tbody tr").first.bounding_box()
    assert first is not None
    # Its first line at least (a row of long statements wraps over many lines): readable unscrolled.
    assert first["y"] >= 0 and first["y"] + min(first["height"], FIRST_LINE) <= VIEWPORT_HEIGHT
    # The descriptions are there, collapsed, and open with a click.
    help_ = page.locator("details.column-help")
    assert help_.get_attribute("open") is None
    assert not page.locator("details.column-help dd").first.is_visible()
    help_.locator("summary").click()
    assert page.locator("details.column-help dt", has_text="statement").is_visible()
