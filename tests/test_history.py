"""The fact_change table: each fact's history, walked from git (factdb/history.py).

A repository made here from the grounding fixture, with commits of known dates: the table
must hold exactly the changes those commits made, and a folder that is not a checkout must
still build, saying the history is absent."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from datasette.app import Datasette

from conftest import PROJECT, run_build, write_json
from factdb import history

FIXTURE = PROJECT / "tests" / "fixtures" / "grounding"
FACTS = Path("facts") / "test-hanoi-talks.json"
# Every commit the same author, at the date given, whatever the machine's git configuration.
GIT_ENVIRONMENT = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}

NEW_FACT = {
    "id": "analysts-wary-of-tensions",
    "subject": "group:analysts",
    "predicate": "position_on",
    "text": "wary of rising tensions",
    "date": "2022-05-01",
    "date_reasoning": "The article's date.",
    "citations": [{"source": "test-hanoi-talks", "quote": "Analysts said that's wary of rising tensions"}],
}


def git(root: Path, *arguments: str, date: str = "2024-01-01T00:00:00+00:00") -> str:
    environment = {**os.environ, **GIT_ENVIRONMENT, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    result = subprocess.run(["git", "-C", str(root), *arguments], env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def commit(root: Path, message: str, date: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD")


def edit_facts(root: Path, change: object) -> None:
    document = json.loads((root / FACTS).read_text(encoding="utf-8"))
    change(document["facts"])  # type: ignore[operator]
    write_json(root / FACTS, document)


def by_id(facts: list[dict], fact_id: str) -> dict:
    return next(fact for fact in facts if fact["id"] == fact_id)


def built(root: Path, tmp_path: Path) -> tuple[list[tuple], dict[str, str], list[str]]:
    output = tmp_path / "site" / "facts.db"
    result = run_build("build", "--root", root, "--output", output)
    assert result.returncode == 0, result.stderr
    with contextlib.closing(sqlite3.connect(output)) as connection:
        changes = connection.execute('SELECT fact_id, "commit", date, change, what FROM fact_change ORDER BY id')
        rows = changes.fetchall()
        record = dict(connection.execute("SELECT key, value FROM build_info"))
    return rows, record, result.lines


def page(tmp_path: Path, path: str) -> str:
    """A page of the site serving the database `built` wrote, with the project's plugins and templates."""
    site = Datasette(
        [str(tmp_path / "site" / "facts.db")],
        metadata=json.loads((PROJECT / "metadata.json").read_text(encoding="utf-8")),
        plugins_dir=str(PROJECT / "plugins"),
        template_dir=str(PROJECT / "templates"),
    )
    response = asyncio.run(site.client.get(path))
    assert response.status_code == 200, path
    return response.text


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "repository"
    shutil.copytree(FIXTURE, root)
    git(root, "init", "-q")
    return root


def test_each_fact_has_the_commits_that_added_changed_and_deprecated_it(repository: Path, tmp_path: Path) -> None:
    first = commit(repository, "Add the fixture", "2024-01-01T10:00:00+00:00")

    def reword(facts: list[dict]) -> None:
        by_id(facts, "vietnam-welcomed-aid")["text"] = "further economic aid to the region"

    edit_facts(repository, reword)
    reworded = commit(repository, "Reword a fact", "2024-02-01T10:00:00+00:00")

    def deprecate(facts: list[dict]) -> None:
        by_id(facts, "japan-oda-to-vietnam").update(rank="deprecated", deprecation_reason="Test: a wrong amount.")

    edit_facts(repository, deprecate)
    deprecated = commit(repository, "Deprecate a fact", "2024-03-01T10:00:00+00:00")
    # A new fact, and a fact moved to a file of its own (moving is not a change).
    edit_facts(repository, lambda facts: facts.append(NEW_FACT))
    moved = json.loads((repository / FACTS).read_text(encoding="utf-8"))["facts"].pop(1)
    edit_facts(repository, lambda facts: facts.remove(moved))
    write_json(repository / "facts" / "moved.json", {"facts": [moved]})
    added = commit(repository, "Add a fact", "2024-04-01T10:00:00+00:00")

    rows, record, lines = built(repository, tmp_path)

    january, february, march, april = (f"2024-0{month}-01T10:00:00+00:00" for month in range(1, 5))
    assert rows == [
        ("analysts-wary-of-tensions", added, april, "added", None),
        ("chinh-kishida-agreed-digital", first, january, "added", None),
        ("chinh-kishida-talks", first, january, "added", None),
        ("chinh-statement-friendship", first, january, "added", None),
        ("japan-oda-to-vietnam", first, january, "added", None),
        ("japan-oda-to-vietnam", deprecated, march, "deprecated", "deprecation_reason, rank"),
        ("vietnam-welcomed-aid", first, january, "added", None),
        ("vietnam-welcomed-aid", reworded, february, "changed", "text"),
    ]
    assert record == {
        "inputs_sha256": record["inputs_sha256"],
        "history": "from git",
        "git_commit": added,
        "git_commit_date": april,
        "git_uncommitted_changes": "no",
    }
    assert not [line for line in lines if "warning" in line]
    assert f'Built from commit <code title="{added}">{added[:12]}</code> of {april}.' in page(tmp_path, "/")
    history = page(tmp_path, "/facts/fact/japan-oda-to-vietnam").split('id="history-heading"')[1]
    assert re.findall(r'<tr class="change-(\w+)">', history) == ["added", "deprecated"]
    assert "<td>deprecation_reason, rank</td>" in history and f"?commit={deprecated}" in history


def test_a_change_merged_from_a_branch_is_dated_by_its_merge(repository: Path, tmp_path: Path) -> None:
    """The walk follows main's line: what a branch did is recorded at the commit that merged it,
    and an uncommitted change to the data is recorded as such."""
    first = commit(repository, "Add the fixture", "2024-01-01T10:00:00+00:00")
    main = git(repository, "branch", "--show-current")
    git(repository, "switch", "-q", "-c", "branch")
    edit_facts(repository, lambda facts: by_id(facts, "vietnam-welcomed-aid").update(note="Test: a note."))
    commit(repository, "Note a fact", "2024-02-01T10:00:00+00:00")
    git(repository, "switch", "-q", main)
    merged_at = "2024-03-01T10:00:00+00:00"
    git(repository, "merge", "-q", "--no-ff", "-m", "Merge the branch", "branch", date=merged_at)
    merge = git(repository, "rev-parse", "HEAD")
    (repository / "facts" / "uncommitted.json").write_text('{"facts": []}\n', encoding="utf-8")

    rows, record, _ = built(repository, tmp_path)

    assert [row for row in rows if row[0] == "vietnam-welcomed-aid"] == [
        ("vietnam-welcomed-aid", first, "2024-01-01T10:00:00+00:00", "added", None),
        ("vietnam-welcomed-aid", merge, merged_at, "changed", "note"),
    ]
    assert record["git_commit"] == merge
    assert record["git_uncommitted_changes"] == "yes"


def test_a_folder_without_git_builds_and_says_the_history_is_absent(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    shutil.copytree(FIXTURE, root)

    rows, record, lines = built(root, tmp_path)

    assert rows == []
    assert record == {"inputs_sha256": record["inputs_sha256"], "history": "absent: not a git checkout"}
    assert "build.py: warning: no history of the facts (not a git checkout): the fact_change table is empty" in lines
    assert "Built without the project's git history (not a git checkout)" in page(tmp_path, "/")
    assert "built without the project's git history (not a git checkout)" in page(
        tmp_path, "/facts/fact/chinh-kishida-talks"
    )


def test_a_fact_removed_then_restored_changed_and_moved_in_one_commit(repository: Path) -> None:
    """The walk keeps only a digest of each fact between commits; a fact that changed is read
    again from git to say which fields differ, from whichever file held it before."""
    commit(repository, "Add the fixture", "2024-01-01T10:00:00+00:00")
    kept = json.loads((repository / FACTS).read_text(encoding="utf-8"))["facts"]
    removed = by_id(kept, "chinh-statement-friendship")
    edit_facts(repository, lambda facts: facts.remove(by_id(facts, removed["id"])))
    gone = commit(repository, "Remove a fact", "2024-02-01T10:00:00+00:00")
    # Restored, with a note, in a file of its own: added again (it was gone in between).
    write_json(repository / "facts" / "restored.json", {"facts": [{**removed, "note": "Test: restored."}]})
    back = commit(repository, "Restore it elsewhere", "2024-03-01T10:00:00+00:00")

    changes = [change for change in history.read(repository).changes if change.fact_id == removed["id"]]

    assert [(change.commit, change.change, change.what) for change in changes] == [
        (changes[0].commit, "added", None),
        (gone, "removed", None),
        (back, "added", None),
    ]
    # Moving a fact and changing it in the same commit is a change, compared with its old file's version.
    edit_facts(repository, lambda facts: facts.remove(by_id(facts, "chinh-kishida-talks")))
    talks = {**by_id(kept, "chinh-kishida-talks"), "note": "Test: moved and noted."}
    write_json(repository / "facts" / "restored.json", {"facts": [{**removed, "note": "Test: restored."}, talks]})
    moved = commit(repository, "Move and note a fact", "2024-04-01T10:00:00+00:00")

    last = [change for change in history.read(repository).changes if change.fact_id == "chinh-kishida-talks"][-1]
    assert (last.commit, last.change, last.what) == (moved, "changed", "note")
