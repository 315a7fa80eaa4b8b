"""Faults: a killed build, a read-only folder, a full disk, two builds at once, a stopped server.
Nothing is lost, and nothing is left running.

The database is written to a temporary file beside the target and moved into
place only when complete (factdb/database.py), so whatever happens to a build,
the previous database stays byte for byte as it was and opens. A build killed
with SIGKILL cannot clean up: its `.facts.db.<pid>.*.tmp` file stays behind (killed near its end,
also that file's `.snapshot` and `.snapshot.readers` companions). The next build removes them,
and only them: the files of a build whose process still runs are its work in progress.
Failures of the disk are reported as `build.py: error: cannot write PATH: reason`
with exit code 2, never a traceback.

Where the system allows (root, with mount), the read-only folder and the full disk
are real tmpfs mounts; the same faults are also injected in-process (a SQLite page
limit gives SQLITE_FULL exactly as a full disk does; os.fsync and mkstemp raise
ENOSPC and EROFS), so they are tested on every machine.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE_SOURCE, FROZEN, PROJECT, free_port, run_build, write_json
from factdb import cli, database, pipeline

QUOTE = "a joint press conference with visiting President Tran Dai Quang"


def large_corpus(root: Path, count: int) -> Path:
    """The frozen example's source and entities with `count` facts citing it: a build of a second or two.

    Every fact's quote names its subject (grounding), and texts vary, so that no two facts
    look like duplicates.
    """
    shutil.copytree(FROZEN / "sources", root / "sources")
    shutil.copytree(FROZEN / "facts" / "entities", root / "facts" / "entities")
    actors = ["person:tran-dai-quang"]  # the one entity QUOTE names
    predicates = ["position_on", "committed_to"]
    per_file = 1000
    for first in range(0, count, per_file):
        facts = [
            {
                "id": f"fault-{index}",
                "subject": actors[index % len(actors)],
                "predicate": predicates[(index // len(actors)) % len(predicates)],
                "text": f"Statement number {index}.",
                "date": "2018",
                "date_reasoning": "Made up by the fault tests.",
                "citations": [{"source": EXAMPLE_SOURCE, "quote": QUOTE}],
            }
            for index in range(first, min(count, first + per_file))
        ]
        write_json(root / "facts" / f"bulk-{first // per_file:03d}.json", {"facts": facts})
    return root


def integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def temporary_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".facts.db.*.tmp"))


def start_build(root: Path, output: Path) -> subprocess.Popen:
    """`python build.py build` in its own process group, so that its workers are killed with it."""
    return subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "build", "--root", str(root), "--output", str(output)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


# --- SIGKILL -------------------------------------------------------------------------------------


def test_a_build_killed_at_any_moment_leaves_the_previous_database_intact(tmp_path: Path) -> None:
    root = large_corpus(tmp_path / "corpus", 3000)
    output = tmp_path / "dist" / "facts.db"
    # A first build, watched: when its temporary file appears and when it is renamed into
    # place. The kills below fall across that stretch, however fast the build has become.
    first, started, opened, closed = start_build(root, output), time.monotonic(), None, None
    while first.poll() is None:
        present = bool(temporary_files(output.parent))
        if opened is None and present:
            opened = time.monotonic() - started
        elif opened is not None and closed is None and not present:
            closed = time.monotonic() - started
        time.sleep(0.002)
    _, errors = first.communicate()
    assert first.returncode == 0, errors
    assert opened is not None and closed is not None, "the build wrote no temporary file"
    writing_time = closed - opened
    previous = output.read_bytes()

    killed_while_writing = 0
    for fraction in (0.1, 0.35, 0.6, 0.85):
        # Counted from the moment this build's own temporary file appears: a build's start-up
        # varies more from run to run than the whole of its writing lasts.
        process, before = start_build(root, output), set(temporary_files(output.parent))
        while process.poll() is None and not set(temporary_files(output.parent)) - before:
            time.sleep(0.002)
        delay = fraction * writing_time
        time.sleep(delay)
        writing = process.poll() is None and bool(set(temporary_files(output.parent)) - before)
        kill(process)
        killed_while_writing += writing
        assert output.read_bytes() == previous, f"killed {delay:.2f} s into writing"
        assert integrity(output) == "ok"
    # Kill again the moment the temporary file has grown past a size: surely mid-write.
    for size in (1, 500_000):
        process = start_build(root, output)
        deadline = time.monotonic() + 60
        before = set(temporary_files(output.parent))
        while time.monotonic() < deadline and process.poll() is None:
            fresh = [path for path in temporary_files(output.parent) if path not in before]
            if fresh and fresh[0].exists() and fresh[0].stat().st_size >= size:
                break
            time.sleep(0.005)
        writing = process.poll() is None
        kill(process)
        killed_while_writing += writing
        assert output.read_bytes() == previous, f"killed at a temporary file of {size} bytes"
        assert integrity(output) == "ok"
    assert killed_while_writing >= 3, "the kills should have hit builds in the middle of writing"

    # Stale temporary files remain (SIGKILL leaves no chance to clean up); the next build removes them.
    assert all(path.name.startswith(".facts.db.") for path in temporary_files(output.parent))
    again = run_build("build", "--root", root, "--output", output)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert output.read_bytes() == previous  # the same inputs give the same bytes
    assert temporary_files(output.parent) == []


def left_behind(folder: Path) -> set[Path]:
    """Every temporary file of a build beside folder/facts.db: databases and their copies."""
    return set(folder.glob(".facts.db.*.tmp*"))


def companions(temporary: Path) -> set[Path]:
    """The copies a build makes of its temporary database (database.snapshot_for_reading, then
    pipeline._apart_files), written as a build killed while making them leaves them."""
    snapshot = temporary.with_name(temporary.name + ".snapshot")
    made = [snapshot, snapshot.with_name(snapshot.name + ".readers")]
    for path in made:
        path.write_bytes(temporary.read_bytes())
    return {temporary, *made}


def test_the_next_build_removes_what_a_killed_build_left(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "dist" / "facts.db"
    process = start_build(corpus, output)
    while process.poll() is None and not temporary_files(output.parent):
        time.sleep(0.002)
    kill(process)
    [temporary] = temporary_files(output.parent)
    assert temporary.name.startswith(f".facts.db.{process.pid}.")  # the name says whose it is
    left = companions(temporary)
    assert left_behind(output.parent) == left

    again = run_build("build", "--root", corpus, "--output", output)

    assert again.returncode == 0, again.stderr
    assert left_behind(output.parent) == set()
    assert integrity(output) == "ok"


def test_a_build_keeps_the_files_of_a_build_still_running(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "dist" / "facts.db"
    output.parent.mkdir()
    # A process standing for a build still running (its workers are gone, its pid is not).
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    try:
        temporary = output.parent / f".facts.db.{running.pid}.x1y2z3ab.tmp"
        temporary.write_bytes(b"a database being written")
        files = companions(temporary)

        first = run_build("build", "--root", corpus, "--output", output)

        assert first.returncode == 0, first.stderr
        assert left_behind(output.parent) == files
        assert all(path.read_bytes() == b"a database being written" for path in files)
    finally:
        running.kill()
        running.wait()
    # Once that process is gone, its files are stale: the next build removes them.
    second = run_build("build", "--root", corpus, "--output", output)
    assert second.returncode == 0, second.stderr
    assert left_behind(output.parent) == set()


# --- Two builds at once --------------------------------------------------------------------------


def test_two_builds_at_once_on_the_same_output_do_not_corrupt_each_other(corpus: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(corpus, other)
    write_json(
        other / "facts" / "extra.json",
        {"facts": [{**json.loads((corpus / "facts" / f"{EXAMPLE_SOURCE}.json").read_text())["facts"][0], "id": "x-1"}]},
    )
    alone = {}
    for name, root in (("corpus", corpus), ("other", other)):
        result = run_build("build", "--root", root, "--output", tmp_path / f"{name}.db")
        assert result.returncode == 0, result.stderr
        alone[name] = (tmp_path / f"{name}.db").read_bytes()
    assert alone["corpus"] != alone["other"]

    output = tmp_path / "shared" / "facts.db"
    for _ in range(2):
        processes = [start_build(root, output) for root in (corpus, other)]
        results = [process.communicate() for process in processes]
        assert [process.returncode for process in processes] == [0, 0], results
        assert output.read_bytes() in alone.values()
        assert integrity(output) == "ok"
    assert temporary_files(output.parent) == []


# --- A read-only folder and a full disk, for real where the system allows ----------------------


@pytest.fixture
def mount(tmp_path: Path) -> Iterator:
    """mount(folder, options): a tmpfs at folder, unmounted afterwards; skips where mounting is not allowed."""
    mounted: list[Path] = []

    def make(folder: Path, options: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode(errors='replace').strip()}")
        mounted.append(folder)

    yield make
    for folder in reversed(mounted):
        subprocess.run(["umount", str(folder)], check=True)


def test_a_read_only_folder_gives_a_clear_error_and_keeps_the_database(
    corpus: Path, tmp_path: Path, mount, request
) -> None:
    folder = tmp_path / "readonly"
    output = folder / "facts.db"
    if os.geteuid() == 0:  # root writes through permissions: make the file system read-only instead
        mount(folder, "size=4m")
        assert run_build("build", "--root", corpus, "--output", output).returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        reason = "Read-only file system"
    else:
        folder.mkdir()
        assert run_build("build", "--root", corpus, "--output", output).returncode == 0
        folder.chmod(0o555)
        request.addfinalizer(lambda: folder.chmod(0o755))
        reason = "Permission denied"
    before = output.read_bytes()
    result = run_build("build", "--root", corpus, "--output", output)
    assert result.returncode == 2
    assert result.lines == [f"build.py: error: cannot write {output}: {reason}"]
    assert output.read_bytes() == before
    assert integrity(output) == "ok"


def test_a_full_disk_gives_a_clear_error_and_keeps_the_database(corpus: Path, tmp_path: Path, mount) -> None:
    folder = tmp_path / "tiny"
    mount(folder, "size=96k")  # the database needs about 400 kB
    output = folder / "facts.db"
    with contextlib.closing(sqlite3.connect(output)) as previous:  # a small previous database
        previous.execute("CREATE TABLE fact (id TEXT)")
    before = output.read_bytes()
    result = run_build("build", "--root", corpus, "--output", output)
    assert result.returncode == 2
    assert result.lines == [f"build.py: error: cannot write {output}: database or disk is full"]
    assert output.read_bytes() == before
    assert [path.name for path in folder.iterdir()] == ["facts.db"]  # the partial file was removed


# --- The same faults injected in-process, on every machine --------------------------------------


def build_in_process(corpus: Path, output: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["build", "--root", str(corpus), "--output", str(output), "--jobs", "1"])
    return code, capsys.readouterr().err


@pytest.fixture
def previous(corpus: Path, tmp_path: Path) -> tuple[Path, bytes]:
    output = tmp_path / "dist" / "facts.db"
    assert run_build("build", "--root", corpus, "--output", output).returncode == 0
    return output, output.read_bytes()


def test_sqlite_full_is_reported_with_the_path(corpus: Path, previous, monkeypatch, capsys) -> None:
    output, before = previous
    connect = sqlite3.connect

    def small_disk(*arguments, **keywords) -> sqlite3.Connection:
        connection = connect(*arguments, **keywords)
        connection.execute("PRAGMA max_page_count = 40")  # SQLITE_FULL past 160 kB, as on a full disk
        return connection

    monkeypatch.setattr(database.sqlite3, "connect", small_disk)
    code, stderr = build_in_process(corpus, output, capsys)
    assert (code, stderr) == (2, f"build.py: error: cannot write {output}: database or disk is full\n")
    assert output.read_bytes() == before
    assert temporary_files(output.parent) == []


@pytest.mark.parametrize(
    ("where", "error"),
    [
        ("fsync", OSError(errno.ENOSPC, "No space left on device")),
        ("mkstemp", OSError(errno.EROFS, "Read-only file system")),
        ("replace", OSError(errno.EACCES, "Permission denied")),
    ],
)
def test_system_errors_are_reported_with_the_path(corpus: Path, previous, monkeypatch, capsys, where, error) -> None:
    output, before = previous

    def fail(*arguments, **keywords):
        raise error

    target = {
        "fsync": (database.os, "fsync"),
        "mkstemp": (database.tempfile, "mkstemp"),
        "replace": (database.os, "replace"),
    }
    monkeypatch.setattr(*target[where], fail)
    code, stderr = build_in_process(corpus, output, capsys)
    assert (code, stderr) == (2, f"build.py: error: cannot write {output}: {error.strerror}\n")
    assert output.read_bytes() == before
    assert temporary_files(output.parent) == []


def test_a_failure_in_the_second_process_is_reported_and_leaves_nothing(
    corpus: Path, previous, monkeypatch, capsys
) -> None:
    """The reader tables are made in a process of their own (with two jobs): its failure is
    reported as this process's would be, and neither its file nor the snapshot it read stays behind."""
    output, before = previous

    def full(*arguments: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(pipeline, "make_apart", full)  # the forked process inherits it
    code = cli.main(["build", "--root", str(corpus), "--output", str(output), "--jobs", "2"])
    assert (code, capsys.readouterr().err) == (2, f"build.py: error: cannot write {output}: database or disk is full\n")
    assert output.read_bytes() == before
    assert [path.name for path in output.parent.iterdir()] == ["facts.db"]


# --- A stopped server ----------------------------------------------------------------------------


def test_stopping_build_py_serve_stops_its_server(tmp_path: Path) -> None:
    """README's first command ends in `build.py serve`; a supervisor or `kill` stops it with
    SIGTERM. The server must stop with it, not live on holding the port (it did while build.py
    waited on it as a child). Started in a session of its own, so that whatever survives is
    found and killed at the end."""
    port = free_port()
    versions = f"http://127.0.0.1:{port}/-/versions.json"
    command = [
        sys.executable,
        str(PROJECT / "build.py"),
        "serve",
        "--root",
        str(FROZEN),
        "--output",
        str(tmp_path / "facts.db"),
    ]
    process = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120  # it builds the database first
        while not _answers(versions):
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()[1]
            time.sleep(0.2)
        process.terminate()
        process.wait(timeout=20)
        assert not _answers(versions)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
