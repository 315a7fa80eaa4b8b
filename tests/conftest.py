"""Shared fixtures: real corpora on disk and the real command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

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


def position_of(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column where needle (e.g. a JSON value) starts in text."""
    index = -1
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
