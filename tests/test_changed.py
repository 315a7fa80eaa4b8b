"""`build.py check --changed BASE`: a pull request's files checked against an index of the rest,
with exactly the problems a full check reports for them, and without reading unchanged fact files."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PROJECT, run_build, write_json

FACTS = "facts/vov-2018-quang-japan.json"
MOVED = "facts/asean.json"  # committed at base, then made unreadable in the working tree only
NEW = "facts/pull-request.json"
PEOPLE = "facts/entities/people.json"
# Facts moved from the fixture's file into MOVED: they name no entity the pull request edits.
MOVED_IDS = {"vietnam-asean-japan-coordinator-from-2018-08", "vietnam-japan-to-work-closely-asean-japan-2018"}


def git(root: Path, *arguments: str) -> None:
    author = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid"]
    subprocess.run(["git", "-C", str(root), *author, *arguments], check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A copy of the frozen project (tests/fixtures/pull-request-base), committed: a pull request's base."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT / "tests" / "fixtures" / "pull-request-base", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, Path]:
    """The frozen project split into two fact files, committed with its full check's index and a
    database built at base; then a pull request's changes in the working tree. Returns the root and
    the base database."""
    base = tmp_path / "project"
    shutil.copytree(PROJECT / "tests" / "fixtures" / "pull-request-base", base)
    document = json.loads((base / FACTS).read_text(encoding="utf-8"))
    facts = {fact["id"]: fact for fact in document["facts"]}
    write_json(base / FACTS, {**document, "facts": [fact for key, fact in facts.items() if key not in MOVED_IDS]})
    write_json(base / MOVED, {**document, "facts": [facts[key] for key in sorted(MOVED_IDS)]})
    git(base, "init", "-q", "-b", "main")
    git(base, "add", "-A")
    git(base, "commit", "-qm", "base")
    database = tmp_path / "base.db"
    assert run_build("build", "--root", base, "--output", database).returncode == 0
    assert run_build("check", "--root", base).returncode == 0  # keeps the index --changed reads

    # The new file: a reused id (which also repeats another fact), an unknown entity, an ungrounded quote.
    reused = {**copy.deepcopy(facts["quang-president-of-vietnam-2018"]), "id": "abe-prime-minister-of-japan-2018"}
    unknown = {**copy.deepcopy(facts["quang-held-talks-with-abe-2018"]), "id": "unknown-entity"}
    unknown["object"] = "person:nobody-at-all"
    ungrounded = {**copy.deepcopy(facts["quang-visited-japan-2018"]), "id": "ungrounded"}
    ungrounded["citations"] = [{"source": "vov-2018-quang-japan", "quote": "They committed to mutually supporting"}]
    write_json(base / NEW, {**document, "facts": [reused, unknown, ungrounded]})
    # An edited entity: Abe loses the short names that the unchanged file's quotes call him by.
    people = json.loads((base / PEOPLE).read_text(encoding="utf-8"))
    abe = people["entities"][0]
    abe["aliases"] = [alias for alias in abe["aliases"] if alias["kind"] == "misspelling_in_source"]
    write_json(base / PEOPLE, people)
    # An unchanged file, unreadable now: git does not look at it, and --changed must not read it.
    git(base, "update-index", "--skip-worktree", MOVED)
    (base / MOVED).write_text("{ not json", encoding="utf-8")
    return base, database


def problem_lines(stderr: str) -> list[str]:
    """The problems, without the closing count (which counts what each run checked)."""
    return [line for line in stderr.splitlines() if line.startswith("facts/") or line.startswith("sources/")]


@pytest.mark.parametrize("against", [False, True], ids=["index of the last check", "database of base"])
def test_changed_files_get_exactly_the_full_checks_problems(pull_request: tuple[Path, Path], against: bool) -> None:
    root, database = pull_request
    changed = run_build("check", "--root", root, "--changed", "HEAD", *(["--against", database] if against else []))
    full = run_build("check", "--root", root)

    assert (changed.returncode, full.returncode) == (1, 1)
    in_full = problem_lines(full.stderr)
    assert any(line.startswith(f"{MOVED}:") for line in in_full)  # the full check reads the unreadable file
    expected = [line for line in in_full if not line.startswith(f"{MOVED}:")]
    assert problem_lines(changed.stderr) == expected
    # What the pull request breaks, each seen by --changed: in the new file, and in the unchanged one
    # (re-checked, since it names the edited entity: it calls Abe by the short names he lost).
    for wanted in (
        f"{NEW}:5:13: facts[0].id: fact id 'abe-prime-minister-of-japan-2018' is used again in {FACTS}",
        f"{NEW}:5:13: facts[0].id: warning: likely duplicate of fact 'quang-president-of-vietnam-2018'",
        f"{NEW}:22:17: facts[1].object: unknown entity 'person:nobody-at-all'",
        f"{NEW}:36:17: facts[2].object: fact 'ungrounded': its object 'country:japan' (Japan) is not named",
        f"{FACTS}:23:13: facts[1].id: fact id 'abe-prime-minister-of-japan-2018' is already used in {NEW}",
        f"{FACTS}:87:17: facts[4].object: fact 'quang-held-talks-with-abe-2018': its object 'person:shinzo-abe'",
    ):
        assert any(line.startswith(wanted) for line in expected), wanted


def test_an_unchanged_file_is_not_checked_again(pull_request: tuple[Path, Path]) -> None:
    """Without the entity edit, the unchanged file is not read: the id it shares with the new file
    is found in the index, and only the new file's side of it is reported, as a full check does."""
    root, database = pull_request
    git(root, "checkout", "--", PEOPLE)
    committed = (root / FACTS).read_bytes()
    git(root, "update-index", "--skip-worktree", FACTS)
    (root / FACTS).write_text("{ not json", encoding="utf-8")  # a read would be reported
    changed = run_build("check", "--root", root, "--changed", "HEAD", "--against", database)
    (root / FACTS).write_bytes(committed)
    full = run_build("check", "--root", root)
    assert changed.returncode == full.returncode == 1
    expected = [line for line in problem_lines(full.stderr) if line.startswith(f"{NEW}:")]
    assert problem_lines(changed.stderr) == expected
    assert any("fact id 'abe-prime-minister-of-japan-2018' is used again" in line for line in expected)


def test_nothing_changed_checks_nothing_and_passes(repository: Path) -> None:
    assert run_build("check", "--root", repository).returncode == 0
    result = run_build("check", "--root", repository, "--changed", "HEAD", "--format", "json")
    assert (result.returncode, json.loads(result.stdout)) == (0, [])


def test_a_valid_change_ends_with_what_was_checked_against_which_index(repository: Path, tmp_path: Path) -> None:
    """As a full check does, a silent success says what passed: here the changed file's facts, every
    entity (each is checked), no source, and the index they were checked against."""
    full = run_build("check", "--root", repository)
    assert full.returncode == 0
    # "checked N facts in 1 fact file, N entities, N sources: no problems": the entities, as counted there.
    entities = full.stderr.splitlines()[-1].split(", ")[1]
    assert entities.endswith(" entities")
    nothing = run_build("check", "--root", repository, "--changed", "HEAD")
    assert (nothing.returncode, nothing.stderr.splitlines()) == (
        0,
        [
            f"checked 0 facts in 0 fact files, {entities}, 0 sources (changed since HEAD, or referring to what did), "
            "against dist/.check-index.db: no problems"
        ],
    )

    document = json.loads((repository / FACTS).read_text(encoding="utf-8"))
    (repository / FACTS).write_text(json.dumps(document, indent=4), encoding="utf-8")  # changed, still valid
    index = tmp_path / "index.db"
    shutil.copyfile(repository / "dist" / ".check-index.db", index)
    changed = run_build("check", "--root", repository, "--changed", "HEAD", "--against", index)
    assert (changed.returncode, changed.stderr.splitlines()) == (
        0,
        [
            f"checked {len(document['facts'])} facts in 1 fact file, {entities}, 0 sources (changed since HEAD, or "
            f"referring to what did), against {index}: no problems"
        ],
    )


def test_without_an_index_it_says_how_to_make_one(repository: Path) -> None:
    result = run_build("check", "--root", repository, "--changed", "HEAD")
    assert result.returncode == 2
    assert "run a full `python build.py check` first" in result.stderr


def test_an_unknown_base_revision_is_a_usage_error(repository: Path) -> None:
    assert run_build("check", "--root", repository).returncode == 0
    result = run_build("check", "--root", repository, "--changed", "no-such-revision")
    assert result.returncode == 2
    assert "cannot compare with revision 'no-such-revision'" in result.stderr
