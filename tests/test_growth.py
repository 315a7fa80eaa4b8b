"""The project grows by pull requests, and its tests grow with it.

A copy of the repository's tracked files gets one more article, as a contributor's pull request
adds it (`build.py new`, the record completed, a fact file, a new entity: conftest's
add_the_new_article, with the fixture text of tests/fixtures/new-article/, which is not a real
article). Then what CI runs on the data runs in the copy: check, the layout check, the data diff,
and the tests of the live data's properties (those marked `live_data`, and tests/test_facts.py).
They must all pass: a test that pinned a count, a line or a value of today's data would fail here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import NEW_SOURCE, PROJECT, Run, add_the_new_article


def tracked_copy(destination: Path) -> Path:
    """The repository's tracked files as they are in the working tree (no .venv, no build output)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = PROJECT / name
        if source.is_file():  # a tracked file deleted in the working tree is left out
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def run_in(copy: Path, *arguments: str) -> Run:
    result = subprocess.run(
        [sys.executable, *arguments], cwd=copy, capture_output=True, text=True, timeout=600, check=False
    )
    return Run(result.returncode, result.stdout, result.stderr)


def git(copy: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(copy), *arguments], check=True, capture_output=True)


def test_a_new_article_with_its_facts_passes_what_ci_runs(tmp_path: Path) -> None:
    copy = tracked_copy(tmp_path / "project")
    git(copy, "init", "-q", "-b", "main")
    git(copy, "add", "-A")
    git(copy, "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "-qm", "base")
    sources_before = len(list((copy / "sources").glob("*.json")))

    assert add_the_new_article(copy) == NEW_SOURCE
    facts = json.loads((copy / "facts" / f"{NEW_SOURCE}.json").read_text(encoding="utf-8"))["facts"]
    assert len(facts) >= 3
    assert len(list((copy / "sources").glob("*.json"))) == sources_before + 1

    checked = run_in(copy, "build.py", "check")
    assert checked.returncode == 0, checked.stderr
    assert ": 0 error(s)" in checked.stderr or "no problems" in checked.stderr, checked.stderr
    layout = run_in(copy, "build.py", "fmt", "--check")
    assert layout.returncode == 0, layout.stdout + layout.stderr
    diff = run_in(copy, "build.py", "diff", "HEAD")
    assert diff.returncode == 0, diff.stderr
    assert all(f"`{fact['id']}`" in diff.stdout for fact in facts), diff.stdout
    coverage = run_in(copy, "build.py", "coverage", "--output", str(tmp_path / "coverage.db"))
    assert f"{NEW_SOURCE}: " in coverage.stdout and ", 0 uncovered (100.0% covered)" in coverage.stdout

    # The tests of the live data's properties, in the copy, on the copy's data (its conftest's
    # PROJECT is the copy). No browser: only tests marked live_data, and tests/test_facts.py.
    property_tests = sorted(
        path.relative_to(copy).as_posix()
        for path in (copy / "tests").glob("test_*.py")
        if re.search(r"live_database|mark\.live_data", path.read_text(encoding="utf-8"))
        and path.name != "test_facts.py"
    )
    assert property_tests
    for arguments in (["tests/test_facts.py"], ["-m", "live_data", *property_tests]):
        result = run_in(copy, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments)
        assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
        summary = result.stdout.strip().splitlines()[-1]
        assert re.search(r"\d+ passed", summary) and not re.search(r"failed|error|skipped", summary), summary
