"""Shared fixtures: real corpora on disk and the real command line."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from factdb.publishing import serve_command

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE_SOURCE = "vov-2018-quang-japan"  # the worked example of the README

# Tests never pin the live data: facts/, sources/ and facts/entities/ grow by pull requests. A test
# that needs known data builds a frozen project of its own, copied once from the live data into
# tests/fixtures/ and owned by the tests from then on; the live data is tested only for
# properties that hold for any valid data (`live_database`, marked `live_data`).
FIXTURES = PROJECT / "tests" / "fixtures"
FROZEN = FIXTURES / "pull-request-base"  # the README's worked example: one source, its facts and entities
# Laid over FROZEN: the two 2015 articles on Trong's visit to Japan, which state some of the same
# facts (cited from both), correct a misspelt name, quote Trong and bring China and the United States.
TWO_ARTICLES_2015 = FIXTURES / "two-articles-2015"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "live_data: asserts a property of the live facts/ and sources/ that holds for any valid data"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "live_database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.live_data)


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()


def run_build(*arguments: str | Path, cwd: Path = PROJECT) -> Run:
    """`python build.py ...` as a user runs it, in a separate process."""
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *map(str, arguments)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Run(result.returncode, result.stdout, result.stderr)


def frozen_project(root: Path, *layers: Path) -> Path:
    """A copy of the frozen project at root, with each layer (a folder of facts/ and sources/)
    copied over it in turn."""
    shutil.copytree(FROZEN, root)
    for layer in layers:
        shutil.copytree(layer, root, dirs_exist_ok=True)
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the frozen project (the example source, its fact file and the entities it
    names): a valid corpus to build or break."""
    return frozen_project(tmp_path / "corpus")


def write_json(path: Path, data: object) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


NEW_ARTICLE = FIXTURES / "new-article"  # a short text the tests wrote: not a real article
NEW_SOURCE = "test-fixture-fish-2019"


def add_the_new_article(root: Path) -> str:
    """What a contributor's pull request does, on the project at root: archive the fixture article
    with `build.py new`, complete its record (a note, the passages it excludes), write its fact
    file and the entity it introduces. Returns the new source id."""
    made = run_build(
        "new",
        NEW_ARTICLE / "article.txt",
        "--root",
        root,
        "--id",
        NEW_SOURCE,
        "--title",
        "Test fixture: Vietnam and Japan count fish together",
        "--date",
        "2019-03-05",
    )
    assert made.returncode == 0, made.stderr
    record_path = root / "sources" / f"{NEW_SOURCE}.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    completed = json.loads((NEW_ARTICLE / "record.json").read_text(encoding="utf-8"))
    fields = list(record)
    fields.insert(fields.index("archived_from") + 1, "note")  # where `build.py fmt` puts it
    write_json(record_path, {field: completed.get(field, record.get(field)) for field in fields})
    shutil.copy(NEW_ARTICLE / "facts.json", root / "facts" / f"{NEW_SOURCE}.json")
    shutil.copy(NEW_ARTICLE / "entities.json", root / "facts" / "entities" / "test-fixture.json")
    return NEW_SOURCE


def position_of(text: str, needle: str, occurrence: int = 1, after: str = "") -> tuple[int, int]:
    """1-based line and column where needle (e.g. a JSON value) starts in text (after the first
    occurrence of `after`, if given)."""
    index = text.index(after) - 1 if after else -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def build(root: Path, output: Path) -> Path:
    result = run_build("build", "--root", root, "--output", output)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="session")
def built_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen project (FROZEN) built once into a temporary file: the data tests may know."""
    return build(FROZEN, tmp_path_factory.mktemp("built") / "facts.db")


@pytest.fixture(scope="session")
def three_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen project with the two 2015 articles laid over it: facts cited from two sources,
    corrections in two sources, several speakers and countries."""
    return frozen_project(tmp_path_factory.mktemp("three-articles") / "project", TWO_ARTICLES_2015)


@pytest.fixture(scope="session")
def three_articles_database(three_articles: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(three_articles, tmp_path_factory.mktemp("three-articles-built") / "facts.db")


@pytest.fixture(scope="session")
def live_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live project (facts/, sources/) built once. Only for tests of properties that hold for
    any valid data, never a count or a value of today's facts: they are marked `live_data`, and
    tests/test_growth.py runs them on a copy of the project with an article added."""
    return build(PROJECT, tmp_path_factory.mktemp("live") / "facts.db")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def served(database: Path) -> Iterator[str]:
    """A real `datasette serve`, started with the production command, on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(serve_command(database, "127.0.0.1", port), stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"datasette did not start: {process.communicate()[1]}") from None
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


# Debian's Chromium; CI elsewhere may point this at its own browser (never a downloaded one).
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")  # per module: Playwright's event loop must not outlive it
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@contextlib.contextmanager
def browser_page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()
