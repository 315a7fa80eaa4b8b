"""Review that shows what changed: what `check` and `diff` tell a contributor and a reviewer, run as
they run them, on a copy of the frozen project (tests/fixtures/pull-request-base), whose counts,
lines and columns are the test's own."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE_SOURCE, PROJECT, position_of, run_build, write_json

FACTS = Path("facts") / f"{EXAMPLE_SOURCE}.json"
RECORD = Path("sources") / f"{EXAMPLE_SOURCE}.json"
VISIT = "quang-visited-japan-2018"
CANDIDACY = "vietnam-supports-japan-unsc-candidacy-2023-2024"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return Path(shutil.copytree(PROJECT / "tests" / "fixtures" / "pull-request-base", tmp_path / "corpus"))


def git(root: Path, *arguments: str) -> None:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid"]
    subprocess.run(["git", "-C", str(root), *identity, *arguments], check=True, capture_output=True)


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


@pytest.fixture
def repository(base: Path) -> Path:
    """The frozen project as a git checkout, committed: the base of a pull request."""
    git(base, "init", "-q", "-b", "main")
    commit(base, "base")
    return base


def base_fact(root: Path, fact_id: str) -> dict[str, Any]:
    return next(
        fact for fact in json.loads((root / FACTS).read_text(encoding="utf-8"))["facts"] if fact["id"] == fact_id
    )


def edit_base_fact(root: Path, fact_id: str, **changes: object) -> None:
    document = json.loads((root / FACTS).read_text(encoding="utf-8"))
    next(fact for fact in document["facts"] if fact["id"] == fact_id).update(changes)
    write_json(root / FACTS, document)


def contribute(root: Path, *facts: dict[str, Any]) -> tuple[str, str]:
    """A fact file of the pull request's own; its name and text."""
    text = write_json(root / "facts" / "contributed.json", {"facts": list(facts)})
    return "facts/contributed.json", text


# `check` says what it checked.


def test_a_clean_check_says_what_it_checked(base: Path) -> None:
    result = run_build("check", "--root", base)
    summary = "checked 15 facts in 1 fact file, 10 entities, 1 source: no problems\n"
    assert (result.returncode, result.stdout, result.stderr) == (0, "", summary)


def test_the_formats_for_tools_stay_clean(base: Path) -> None:
    as_json = run_build("check", "--format", "json", "--root", base)
    assert (as_json.returncode, json.loads(as_json.stdout), as_json.stderr) == (0, [], "")
    github = run_build("check", "--format", "github", "--root", base)
    assert (github.returncode, github.stdout, github.stderr) == (0, "", "")


# Likely duplicates land on the pull request's file.


def repeated_visit(root: Path) -> dict[str, Any]:
    return base_fact(root, VISIT) | {"id": "quang-visited-japan-again"}


def duplicate_warning(root: Path, file: str, fact_id: str, other_id: str, other_file: str) -> str:
    document = (root / file).read_text(encoding="utf-8")
    line, column = position_of(document, json.dumps(fact_id))
    index = [fact["id"] for fact in json.loads(document)["facts"]].index(fact_id)
    return (
        f"{file}:{line}:{column}: facts[{index}].id: warning: likely duplicate of fact {other_id!r} in {other_file} "
        "(same subject, predicate, object and overlapping date): make it one fact citing both sources, or make "
        "the difference explicit"
    )


def test_a_duplicate_is_flagged_on_the_file_the_pull_request_adds(repository: Path) -> None:
    name, _ = contribute(repository, repeated_visit(repository))  # not yet committed

    result = run_build("check", "--root", repository)

    assert result.lines == [
        duplicate_warning(repository, name, "quang-visited-japan-again", VISIT, FACTS.as_posix()),
        "checked 16 facts in 2 fact files, 10 entities, 1 source: 0 error(s), 1 warning(s)",
    ]
    assert result.returncode == 0


def test_a_duplicate_is_flagged_on_the_file_the_pull_request_changes(repository: Path) -> None:
    name, _ = contribute(repository, repeated_visit(repository))
    commit(repository, "an older pull request")
    edit_base_fact(repository, VISIT, note="A note edited by this pull request.")

    result = run_build("check", "--root", repository)

    assert result.lines[:-1] == [
        duplicate_warning(repository, FACTS.as_posix(), VISIT, "quang-visited-japan-again", name)
    ]


def test_outside_git_a_duplicate_is_flagged_on_both_files(base: Path) -> None:
    name, _ = contribute(base, repeated_visit(base))

    result = run_build("check", "--root", base)

    assert result.lines[:-1] == [
        duplicate_warning(base, name, "quang-visited-japan-again", VISIT, FACTS.as_posix()),
        duplicate_warning(base, FACTS.as_posix(), VISIT, "quang-visited-japan-again", name),
    ]


# A near miss names the character that differs.


def test_a_quote_with_an_en_dash_for_a_hyphen_names_both(base: Path) -> None:
    fact = base_fact(base, CANDIDACY) | {"id": "candidacy-quoted-with-an-en-dash"}
    quote = fact["citations"][0]["quote"].replace("2023-2024", "2023–2024")
    fact["citations"][0]["quote"] = quote
    name, text = contribute(base, fact)

    result = run_build("check", "--root", base)

    line, column = position_of(text, json.dumps(quote, ensure_ascii=False))
    source_words = fact["citations"][0]["quote"].replace("–", "-")
    assert (
        f"{name}:{line}:{column}: facts[0].citations[0].quote: fact 'candidacy-quoted-with-an-en-dash': quote not "
        f"found in source '{EXAMPLE_SOURCE}'; nearest passage: {source_words!r}; the source has '-' U+002D "
        f"HYPHEN-MINUS where the quote has '–' U+2013 EN DASH at character {quote.index('–') + 1}"
    ) in result.lines, result.stderr
    assert result.returncode == 1


def test_a_quote_with_another_apostrophe_names_the_sources_own(base: Path) -> None:
    """The source's curly apostrophe is named as it is written, not as the straight one it is compared as."""
    fact = base_fact(base, "abe-pledged-support-sustainable-development-2018") | {"id": "pledge-with-a-prime"}
    quote = fact["citations"][0]["quote"].replace("Vietnam’s", "Vietnam′s")
    fact["citations"][0]["quote"] = quote
    contribute(base, fact)

    result = run_build("check", "--root", base)

    assert (
        "the source has '’' U+2019 RIGHT SINGLE QUOTATION MARK where the quote has '′' U+2032 PRIME at character "
        f"{quote.index('′') + 1}"
    ) in result.stderr


def test_an_excluded_passage_not_found_gets_its_nearest_passage(base: Path) -> None:
    record = json.loads((base / RECORD).read_text(encoding="utf-8"))
    typed = "Delegates at the joint press conferense"
    record["excluded"][1]["text"] = typed
    text = write_json(base / RECORD, record)

    result = run_build("check", "--root", base)

    line, column = position_of(text, json.dumps(typed))
    assert result.lines[:-1] == [
        f"{RECORD.as_posix()}:{line}:{column}: excluded[1].text: passage does not occur in the archived text; "
        "nearest passage: 'Delegates at the joint press conference'; the source has 'c' U+0063 LATIN SMALL "
        f"LETTER C where the passage has 's' U+0073 LATIN SMALL LETTER S at character {typed.rindex('s') + 1}"
    ]


# The same article archived twice.


def archive_again(root: Path, source_id: str, text: bytes) -> str:
    """A second record, of `text`; the record's text."""
    record = json.loads((root / RECORD).read_text(encoding="utf-8"))
    (root / "sources" / f"{source_id}.txt").write_bytes(text)
    changes = {"id": source_id, "text_path": f"sources/{source_id}.txt", "sha256": hashlib.sha256(text).hexdigest()}
    return write_json(root / "sources" / f"{source_id}.json", record | changes | {"excluded": []})


def archived_twice(record: str, record_text: str, other: str, how: str) -> str:
    line, column = position_of(record_text, json.dumps(json.loads(record_text)["sha256"]))
    return (
        f"{record}:{line}:{column}: sha256: its text is {how} the text of {other}: the same article is archived "
        "twice: keep one record, and cite it in every fact"
    )


def test_an_article_archived_twice_is_an_error_on_both_records(base: Path) -> None:
    again = archive_again(base, "vov-2018-quang-japan-again", (base / "sources" / f"{EXAMPLE_SOURCE}.txt").read_bytes())

    result = run_build("check", "--root", base)

    original = (base / RECORD).read_text(encoding="utf-8")
    assert result.lines == [
        archived_twice("sources/vov-2018-quang-japan-again.json", again, RECORD.as_posix(), "identical to"),
        archived_twice(RECORD.as_posix(), original, "sources/vov-2018-quang-japan-again.json", "identical to"),
        "2 error(s), 0 warning(s)",
    ]
    assert result.returncode == 1


def test_an_article_saved_again_with_other_spaces_and_quote_marks_is_caught(base: Path) -> None:
    text = (base / "sources" / f"{EXAMPLE_SOURCE}.txt").read_text(encoding="utf-8")
    resaved = text.replace("’", "'").replace(". ", ".  ").replace("\n", "\r\n").encode("utf-8")
    again = archive_again(base, "aaa-resaved", resaved)  # sorts first: the error still names both

    result = run_build("check", "--root", base)

    how = "the same (but for white space or quote marks) as"
    assert result.lines[:-1] == [
        archived_twice("sources/aaa-resaved.json", again, RECORD.as_posix(), how),
        archived_twice(RECORD.as_posix(), (base / RECORD).read_text(encoding="utf-8"), "sources/aaa-resaved.json", how),
    ]


# `diff` shows what a fact is and where two values differ.


def test_diff_shows_a_deprecated_fact_as_such_with_its_reason_and_modality(repository: Path) -> None:
    reason = "A reviewer found that the article never says where Quang went."
    edit_base_fact(repository, VISIT, rank="deprecated", deprecation_reason=reason)
    edit_base_fact(repository, CANDIDACY, modality="planned")

    result = run_build("diff", "HEAD", "--root", repository)

    assert f"#### `{VISIT}` (deprecated)" in result.stdout
    assert (
        f"Now: `person:tran-dai-quang` `visited` `country:japan` `2018` (actual; **deprecated**: `{reason}`)"
        in result.stdout
    )
    assert "| rank | `normal` | `deprecated` |" in result.stdout
    assert "| modality | `actual` | `planned` |" in result.stdout


def test_diff_shows_two_long_values_where_they_differ(repository: Path) -> None:
    before = base_fact(repository, VISIT)["date_reasoning"]
    after = before.replace("Only the year is recorded.", "Only the year is kept.")
    edit_base_fact(repository, VISIT, date_reasoning=after)

    result = run_build("diff", "HEAD", "--root", repository)

    row = next(line for line in result.stdout.splitlines() if line.startswith("| date_reasoning |"))
    _, old, new = row.strip("| ").split(" | ")  # (the values hold no "|")
    assert old != new
    assert old.endswith("recorded.`") and new.endswith("kept.`")
    assert old.startswith("`…") and new.startswith("`…")
