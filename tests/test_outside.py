"""Nothing from outside: the build reads only the project's own files, as plain files.

A source text, source record, entity file or fact file that is a symbolic link (to
/proc/self/environ, to a file outside the root, or even to one inside it), a named pipe, or
a file over the size limit is refused with an error naming it, in the one run that reports
everything; nothing it points to is printed or published, and nothing blocks. Each case
runs the real command line on a copy of the real data, with a subprocess timeout as the
hang detector.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE_SOURCE, FROZEN, PROJECT, Run, write_json
from factdb.loading import MAX_FILE_BYTES

HANG = 120  # seconds: a run still going by then is blocked (a run of the corpus takes about one)
LINKED = "a symbolic link (or in a linked folder)"
NOT_REGULAR = "not a regular file (a folder, pipe or device)"


def run(*arguments: str | Path, marker: str = "") -> Run:
    """`python build.py ...` with FACTDB_TEST_MARKER=marker in its environment; fails the test,
    having killed the run and its workers, if it does not finish within HANG seconds."""
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), *map(str, arguments)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "FACTDB_TEST_MARKER": marker},
        start_new_session=True,  # its own process group: the workers are killed with it
    )
    try:
        stdout, stderr = process.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"build.py {arguments[0]} hung for {HANG} s")
    return Run(process.returncode, stdout, stderr)


def check_and_build(root: Path, output: Path, marker: str = "") -> list[Run]:
    checked = run("check", "--root", root, marker=marker)
    return [checked, run("build", "--root", root, "--output", output, marker=marker)]


def assert_refused(result: Run, named: dict[str, str]) -> None:
    """The run failed, with no traceback, and reported each file in `named` with its reason."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for name, reason in named.items():
        assert any(name in line and reason in line for line in result.lines), (name, result.stderr)


def assert_nowhere(marker: str, results: list[Run], folder: Path) -> None:
    """The marker is in no output of the runs and in no file they left in folder (a database)."""
    assert all(marker not in result.stdout + result.stderr for result in results)
    for path in folder.rglob("*"):
        assert not path.is_file() or marker.encode() not in path.read_bytes(), path


def a_marker() -> str:
    return f"outside-marker-{uuid.uuid4().hex}"


def a_record(corpus: Path) -> str:
    """A source record of the test's own, valid, that no fact cites; returns its id."""
    record = json.loads((corpus / "sources" / f"{EXAMPLE_SOURCE}.json").read_text(encoding="utf-8"))
    text = b"An article archived by the test.\n"
    source_id = "outside-test-record"
    write_json(
        corpus / "sources" / f"{source_id}.json",
        record | {"id": source_id, "text_path": f"sources/{source_id}.txt", "sha256": hashlib.sha256(text).hexdigest()},
    )
    text_of(corpus, source_id).write_bytes(text)
    return source_id


def text_of(corpus: Path, source_id: str) -> Path:
    return corpus / "sources" / f"{source_id}.txt"


def a_fact_file(marker: str) -> dict:
    """A valid fact file whose fact says marker (a copy of the example's first fact)."""
    fact = json.loads((FROZEN / "facts" / f"{EXAMPLE_SOURCE}.json").read_text(encoding="utf-8"))["facts"][0]
    return {"facts": [{**fact, "id": "outside-1", "note": marker}]}


# --- Links ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source_of",
    [lambda corpus: EXAMPLE_SOURCE, a_record, lambda corpus: "stray"],
    ids=["text-of-a-cited-record", "text-of-a-record", "text-without-record"],
)
def test_a_source_text_linked_to_proc_self_environ_prints_nothing_of_the_environment(
    corpus: Path, tmp_path: Path, source_of: Callable[[Path], str]
) -> None:
    """Cited: read as the text, the environment would be where check looks for the facts'
    quotes, and shown as the passage nearest to each."""
    source_id = source_of(corpus)
    text = text_of(corpus, source_id)
    text.unlink(missing_ok=True)
    text.symlink_to("/proc/self/environ")
    marker, output = a_marker(), tmp_path / "dist" / "facts.db"

    results = check_and_build(corpus, output, marker)

    for result in results:
        assert_refused(result, {f"sources/{source_id}.txt": LINKED})
    assert not output.exists()
    assert_nowhere(marker, results, output.parent)


def test_files_linked_out_of_the_root_are_refused_and_not_published(corpus: Path, tmp_path: Path) -> None:
    marker, output = a_marker(), tmp_path / "dist" / "facts.db"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "article.txt").write_text(f"An article that is not the project's. {marker}\n", encoding="utf-8")
    write_json(outside / "facts.json", a_fact_file(marker))
    write_json(outside / "entities.json", {"entities": [{"id": "person:outside", "type": "person", "name": marker}]})
    write_json(outside / "record.json", {"id": "linked-record", "title": marker})
    source_id = a_record(corpus)
    text_of(corpus, source_id).unlink()
    text_of(corpus, source_id).symlink_to(outside / "article.txt")
    (corpus / "facts" / "linked.json").symlink_to(outside / "facts.json")
    (corpus / "facts" / "entities" / "linked.json").symlink_to(outside / "entities.json")
    (corpus / "sources" / "linked-record.json").symlink_to(outside / "record.json")

    results = check_and_build(corpus, output, marker)

    for result in results:
        assert_refused(
            result,
            {
                f"sources/{source_id}.txt": LINKED,
                "facts/linked.json:1:1: (file)": LINKED,
                "facts/entities/linked.json:1:1: (file)": LINKED,
                "sources/linked-record.json:1:1: (file)": LINKED,
            },
        )
        assert str(outside) not in result.stderr  # not even where the links point
    assert not output.exists()
    assert_nowhere(marker, results, output.parent)


def test_a_link_inside_the_root_and_a_linked_folder_are_refused_too(corpus: Path, tmp_path: Path) -> None:
    """Not everything under the root is data (.git/config holds a CI checkout's token)."""
    marker = a_marker()
    (corpus / ".git").mkdir()
    (corpus / ".git" / "config").write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {marker}\n")
    (corpus / "sources" / "stray.txt").symlink_to("../.git/config")
    outside = tmp_path / "elsewhere"
    write_json(outside / "facts.json", a_fact_file(marker))
    (corpus / "facts" / "more").symlink_to(outside)  # a folder: its files are reached through a link
    (corpus / "facts" / "more.json").symlink_to("more/facts.json")
    output = tmp_path / "dist" / "facts.db"

    results = check_and_build(corpus, output, marker)

    for result in results:
        assert_refused(result, {"sources/stray.txt:1:1: (file)": LINKED, "facts/more.json:1:1: (file)": LINKED})
    assert_nowhere(marker, results, output.parent)


def test_the_same_fact_file_copied_in_is_published(corpus: Path, tmp_path: Path) -> None:
    """The control for the tests above: the marker they look for does reach the database
    when the file is the project's own."""
    marker, output = a_marker(), tmp_path / "dist" / "facts.db"
    write_json(corpus / "facts" / "copied.json", a_fact_file(marker))

    result = run("build", "--root", corpus, "--output", output)

    assert result.returncode == 0, result.stderr
    with sqlite3.connect(output) as connection:
        assert connection.execute("SELECT note FROM fact WHERE id = 'outside-1'").fetchone() == (marker,)


# --- Pipes ---------------------------------------------------------------------------------------


def test_named_pipes_anywhere_never_block_check_build_or_fmt(corpus: Path, tmp_path: Path) -> None:
    source_id = a_record(corpus)
    pipes = {
        f"sources/{source_id}.txt": NOT_REGULAR,  # the text of a record
        "sources/stray.txt:1:1: (file)": NOT_REGULAR,  # a text without a record
        "sources/piped-record.json:1:1: (file)": NOT_REGULAR,
        "facts/pipe.json:1:1: (file)": NOT_REGULAR,
        "facts/entities/pipe.json:1:1: (file)": NOT_REGULAR,
    }
    text_of(corpus, source_id).unlink()
    for name in pipes:
        os.mkfifo(corpus / name.partition(":")[0])

    for result in check_and_build(corpus, tmp_path / "dist" / "facts.db"):
        assert_refused(result, pipes)
    formatted = run("fmt", "--check", "--root", corpus)
    assert formatted.returncode == 1
    for name in ("sources/piped-record.json", "facts/pipe.json", "facts/entities/pipe.json"):
        assert f"{name}: not rewritten ({NOT_REGULAR}" in formatted.stderr


def test_new_refuses_a_named_pipe_as_the_article(corpus: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    os.mkfifo(article)

    result = run("new", article, "--title", "Piped", "--publisher", "Nobody", "--root", corpus)

    assert result.returncode == 2
    assert f"{article}: {NOT_REGULAR}" in result.stderr
    assert not (corpus / "sources" / "nobody-piped.txt").exists()


def test_diff_skips_named_pipes_and_links(corpus: Path, tmp_path: Path) -> None:
    marker = a_marker()
    git = ["git", "-C", str(corpus), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "corpus"], check=True)
    os.mkfifo(corpus / "facts" / "pipe.json")
    write_json(tmp_path / "outside.json", a_fact_file(marker))
    (corpus / "facts" / "linked.json").symlink_to(tmp_path / "outside.json")

    result = run("diff", "HEAD", "--root", corpus)

    assert result.returncode == 0, result.stderr
    assert marker not in result.stdout + result.stderr
    assert "outside-1" not in result.stdout


# --- Size ----------------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_by_its_size_unread(corpus: Path, tmp_path: Path) -> None:
    """A terabyte (sparse): the message gives its full size, known only from its metadata, and
    the run finishes long before such a file could be read."""
    size = 2**40
    huge = [text_of(corpus, a_record(corpus)), corpus / "sources" / "stray.txt", corpus / "facts" / "huge.json"]
    for path in huge:
        with open(path, "wb") as file:
            file.truncate(size)
    reason = f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"

    for result in check_and_build(corpus, tmp_path / "dist" / "facts.db"):
        assert_refused(result, {path.relative_to(corpus).as_posix(): reason for path in huge})
