"""Every page of the site passes axe-core's WCAG 2 A and AA rules, read in a real Chromium from a
real server, on a database built from the fixtures alone (never the live facts):
tests/fixtures/grounding and tests/fixtures/entity-pages, which between them have a source with
marks, entities, a relationship between two countries and a timeline.

axe-core is the engine the axe-playwright-python package ships (a test extra in pyproject.toml):
its axe.min.js is injected into each page as it is, and run with only the WCAG 2 A and AA rules."""

from __future__ import annotations

import importlib.resources
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import PROJECT, browser_page, run_build, served

FIXTURES = PROJECT / "tests" / "fixtures"
AXE = Path(str(importlib.resources.files("axe_playwright_python") / "axe.min.js"))

PAGES = [
    "/",
    "/facts",
    "/facts/fact",
    "/facts/fact?predicate_id=met&_facet=predicate_id",  # a filter applied, a facet shown
    "/facts/fact_view",
    "/facts/entity?_search=Japan",
    "/facts/fact/chinh-kishida-talks",
    "/facts/entity_facts?name=Japan",
    "/facts?sql=select+id,+statement+from+fact",  # the SQL editor
    "/facts/source_coverage",
    "/-/timeline",
    "/-/coverage",
    "/-/sources",
    "/-/sources/test-hanoi-talks",
    "/-/entities/country:japan",
    "/-/entities/person:pham-minh-chinh",
    "/-/relations/country:japan/country:vietnam",
    "/-/network",
]


@pytest.fixture(scope="module")
def axe() -> Path:
    if not AXE.is_file():
        pytest.fail(f"axe-core's axe.min.js is missing at {AXE}: pip install -e '.[test]'")
    return AXE


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("accessibility")
    for fixture in ("grounding", "entity-pages"):
        shutil.copytree(FIXTURES / fixture, root, dirs_exist_ok=True)
    output = root / "facts.db"
    built = run_build("build", "--root", root, "--output", output)
    assert built.returncode == 0, built.stderr
    with served(output) as base:
        yield base


@pytest.fixture
def page(chromium: Browser, server: str) -> Iterator[Page]:
    with browser_page(chromium, server) as opened:
        yield opened


def _axe_violations(page: Page, axe: Path) -> list[dict]:
    """axe-core's WCAG 2 A and AA violations on the page as it is now."""
    page.add_script_tag(path=str(axe))
    results = page.evaluate("""() => axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}})""")
    return results["violations"]


def _described(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:3]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
        if len(violation["nodes"]) > 3:
            lines.append(f"    ... and {len(violation['nodes']) - 3} more")
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGES)
def test_the_page_passes_axe_wcag2_a_and_aa(page: Page, axe: Path, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    violations = _axe_violations(page, axe)
    if violations:
        pytest.fail(f"{path} fails axe-core's WCAG 2 A and AA rules:\n{_described(violations)}", pytrace=False)


@pytest.fixture(scope="module")
def generated_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A generated corpus (bench/generate.py) with more events than the timeline draws as marks,
    so that its counted view, and its zoom into one period, are read too."""
    root = tmp_path_factory.mktemp("accessibility-generated")
    generate = [sys.executable, str(PROJECT / "bench" / "generate.py"), "--facts", "6000", "--out", str(root / "c")]
    subprocess.run(generate, cwd=PROJECT, check=True, capture_output=True, timeout=300)
    built = run_build("build", "--root", root / "c", "--output", root / "facts.db")
    assert built.returncode == 0, built.stderr
    with served(root / "facts.db") as base:
        yield base


def test_the_counted_timeline_and_its_zoom_pass_axe(chromium: Browser, generated_server: str, axe: Path) -> None:
    with browser_page(chromium, generated_server) as page:
        page.goto("/-/timeline")
        periods = page.locator("a.period-count")
        assert periods.count() > 0, "the generated corpus should be counted, not drawn mark by mark"
        cut = page.evaluate(
            """() => [...document.querySelectorAll("a.period-count text")]
                .filter(text => text.getBBox().x + text.getBBox().width > text.ownerSVGElement.viewBox.baseVal.width)
                .map(text => text.textContent)"""
        )
        assert cut == [], f"counts drawn past the picture's edge: {cut}"
        zoom = periods.first.get_attribute("href")
        for path in ["/-/timeline", zoom, "/-/network", "/-/entities/country:vietnam"]:
            assert path is not None
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            if violations := _axe_violations(page, axe):
                pytest.fail(f"{path} fails axe-core's WCAG 2 A and AA rules:\n{_described(violations)}")
