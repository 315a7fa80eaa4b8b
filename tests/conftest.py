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


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The real sources and entities with one real fact file: a valid corpus to build or break."""
    root = tmp_path / "corpus"
    shutil.copytree(PROJECT / "sources", root / "sources")
    shutil.copytree(PROJECT / "facts" / "entities", root / "facts" / "entities")
    shutil.copy(PROJECT / "facts" / f"{EXAMPLE_SOURCE}.json", root / "facts")
    return root


def write_json(path: Path, data: object) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


def position_of(text: str, needle: str, occurrence: int = 1, after: str = "") -> tuple[int, int]:
    """1-based line and column where needle (e.g. a JSON value) starts in text (after the first
    occurrence of `after`, if given)."""
    index = text.index(after) - 1 if after else -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


@pytest.fixture(scope="session")
def built_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once into a temporary file."""
    output = tmp_path_factory.mktemp("built") / "facts.db"
    result = run_build("build", "--output", output)
    assert result.returncode == 0, result.stderr
    return output


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
