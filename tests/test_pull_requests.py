"""Example pull requests (tests/pull_requests/<case>/), each laid over a copy of a frozen
project (tests/fixtures/pull-request-base: the README's worked example, its source and the
entities it names) and checked with the real command line: every mistake gives exactly the
messages in the case's expected.txt (file, line, column, field, what to do), all in one run;
the good one passes and yields the data diff in expected-diff.md.

The base is frozen so that the expected lines and columns are those of files the test owns:
the live facts/ and sources/ grow by pull requests, and no test pins them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLE_SOURCE, PROJECT, run_build

CASES = PROJECT / "tests" / "pull_requests"
BASE = PROJECT / "tests" / "fixtures" / "pull-request-base"
BROKEN = sorted(path.name for path in CASES.iterdir() if (path / "expected.txt").exists())


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A copy of the frozen project, valid as it stands, to lay a pull request over."""
    root = tmp_path / "corpus"
    shutil.copytree(BASE, root)
    return root


def test_the_base_is_valid_and_in_the_canonical_layout(base: Path) -> None:
    assert run_build("check", "--root", base).returncode == 0
    assert run_build("fmt", "--check", "--root", base).returncode == 0


def apply(case: str, base: Path) -> None:
    for path in (CASES / case).rglob("*"):
        relative = path.relative_to(CASES / case)
        if path.is_file() and relative.parts[0] in {"facts", "sources"}:
            (base / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, base / relative)


@pytest.mark.parametrize("case", BROKEN)
def test_each_mistake_gives_its_exact_messages_in_one_run(case: str, base: Path) -> None:
    apply(case, base)
    result = run_build("check", "--root", base)
    expected = (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.lines == expected
    assert result.returncode == (1 if any(": warning: " not in line for line in expected[:-1]) else 0)


def test_github_annotations_point_at_the_same_places(base: Path) -> None:
    apply("unknown-names", base)
    result = run_build("check", "--format", "github", "--root", base)
    text_lines = (CASES / "unknown-names" / "expected.txt").read_text(encoding="utf-8").splitlines()[:-1]
    annotations = result.stdout.splitlines()[:-1]
    assert len(annotations) == len(text_lines)
    for annotation, line in zip(annotations, text_lines, strict=True):
        path, row, column, _ = line.split(":", 3)
        assert annotation.startswith(f"::error file={path},line={row},col={column},title=facts[")
    assert "::error file=facts/contributed.json" in annotations[0]


def test_json_output_carries_every_problem(base: Path) -> None:
    apply("bad-quotes-and-dates", base)
    result = run_build("check", "--format", "json", "--root", base)
    problems = json.loads(result.stdout)
    expected = (CASES / "bad-quotes-and-dates" / "expected.txt").read_text(encoding="utf-8").splitlines()[:-1]
    assert [f"{p['path']}:{p['line']}:{p['column']}: {p['field']}: " for p in problems] == [
        line[: line.index(": ", line.index(": ") + 2) + 2] for line in expected
    ]
    assert {p["severity"] for p in problems} == {"error", "warning"}


def _git(base: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(base), *arguments], check=True, capture_output=True)


@pytest.fixture
def repository(base: Path) -> Path:
    _git(base, "init", "-q", "-b", "main")
    _git(base, "add", "-A")
    _git(base, "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "-qm", "base")
    return base


def test_the_good_pull_request_passes_and_yields_the_expected_diff(repository: Path) -> None:
    apply("good", repository)
    example = repository / "facts" / f"{EXAMPLE_SOURCE}.json"
    document = json.loads(example.read_text(encoding="utf-8"))
    wrong = next(fact for fact in document["facts"] if fact["id"] == "quang-visited-japan-2018")
    wrong["rank"], wrong["deprecation_reason"] = "deprecated", "Example: a reviewer found it wrong."
    example.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    assert run_build("check", "--root", repository).returncode == 0
    assert run_build("fmt", "--check", "--root", repository).returncode == 0
    result = run_build("diff", "HEAD", "--root", repository)
    assert result.returncode == 0
    assert result.stdout == (CASES / "good" / "expected-diff.md").read_text(encoding="utf-8")


def test_removing_a_published_fact_is_flagged(repository: Path) -> None:
    example = repository / "facts" / f"{EXAMPLE_SOURCE}.json"
    document = json.loads(example.read_text(encoding="utf-8"))
    document["facts"] = [fact for fact in document["facts"] if fact["id"] != "quang-visited-japan-2018"]
    example.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run_build("diff", "HEAD", "--root", repository)
    assert result.returncode == 1
    assert "### ⚠️ Removed facts" in result.stdout
    assert "- `quang-visited-japan-2018` (was in facts/vov-2018-quang-japan.json)" in result.stdout
    assert 'mark it `"rank": "deprecated"`' in result.stdout


def test_new_scaffolds_a_source_that_checks_at_once(tmp_path: Path, base: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes((CASES / "good" / "sources" / "tfp-2018-test-fixture-quang-and-abe.txt").read_bytes())
    result = run_build(
        "new", article, "--root", base, "--title", "A title", "--publisher", "Voice of Vietnam", "--date", "2018-06"
    )
    assert result.returncode == 0, result.stderr
    source_id = "vov-2018-title"  # publisher's initials, year, the title's words that carry meaning
    record = json.loads((base / "sources" / f"{source_id}.json").read_text(encoding="utf-8"))
    assert record["$schema"] == "../schema/source.schema.json"
    assert (base / "sources" / f"{source_id}.txt").read_bytes() == article.read_bytes()
    facts = json.loads((base / "facts" / f"{source_id}.json").read_text(encoding="utf-8"))
    assert facts == {"$schema": "../schema/facts.schema.json", "facts": []}
    assert run_build("check", "--root", base).returncode == 0
    again = run_build(
        "new", article, "--root", base, "--title", "A title", "--publisher", "Voice of Vietnam", "--date", "2018-06"
    )
    assert again.returncode == 2  # never overwrites
    bad_date = run_build("new", article, "--root", base, "--title", "B", "--date", "2018-02-30")
    assert bad_date.lines == ["build.py: error: --date: '2018-02-30' is not a calendar day: February 2018 has 28 days"]
    # Every refused option in one message, named as typed and worded as the checks word a file.
    options = ["--title", "C", "--url", "javascript:alert(1)", "--inferred", " "]
    refused = run_build("new", article, "--root", base, *options)
    assert refused.lines == [
        "build.py: error: --inferred: is only white space: write the words, or leave the field out where it is "
        "optional; --url: 'javascript:alert(1)' is not valid: expected an http:// or https:// address without "
        "spaces (no javascript:, data: or other schemes)"
    ]
    assert refused.returncode == 2


def test_fmt_rewrites_to_one_canonical_layout_without_changing_data(base: Path) -> None:
    example = base / "facts" / f"{EXAMPLE_SOURCE}.json"
    before = json.loads(example.read_text(encoding="utf-8"))
    scrambled = {"facts": [dict(reversed(list(fact.items()))) for fact in reversed(before["facts"])], **before}
    example.write_text(json.dumps(scrambled, indent=4), encoding="utf-8")
    assert run_build("fmt", "--check", "--root", base).returncode == 1
    assert run_build("fmt", "--root", base).returncode == 0
    assert json.loads(example.read_text(encoding="utf-8")) == before
    assert example.read_bytes() == (BASE / "facts" / f"{EXAMPLE_SOURCE}.json").read_bytes()
    assert run_build("fmt", "--check", "--root", base).returncode == 0
