"""Each fact's history, from git: the commit that added it and each commit that changed it.

One `git log` pass lists, oldest first, every commit that touched a fact file and the blob
of each file version it wrote; one `git cat-file --batch` process then hands over those
blobs in turn (a process per version, as `git show REV:path` would be, costs milliseconds
each). Facts are compared by id across all fact files, so a fact moved from one file to
another is not a change, and field by field as parsed, so a reformatting is not one either.
Between commits the walk keeps each fact's id and digest, not its fields, and reads a
version again when a fact changed: a million facts in git fit in a worker of the build.

The walk follows the first parent only: the line of history the published data went through.
A change made on a branch is dated by the commit that merged it, and a fact two branches
both changed is never compared with a version that main did not have.

Outside a git checkout (or without git) the history is absent: the build still works, and
build_info says why.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from factdb import tables
from factdb.gitrepo import GitError, git
from factdb.loading import MAX_FILE_BYTES

# The fact files a build reads (Layout.fact_files): facts/*.json, not facts/entities/.
# `glob` magic keeps `*` from crossing a slash, as it would in a plain pathspec.
_FACT_FILES = ":(glob)facts/*.json"
# The data a build reads, for "uncommitted changes to the data".
_DATA = ("facts", "sources")
_NO_BLOB = "0" * 40  # what --raw gives as the new blob of a deleted file

Fact = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Change:
    """One row of fact_change."""

    fact_id: str
    commit: str
    date: str
    change: str  # added, changed, deprecated, removed
    what: str | None  # the fields that differ, comma-separated; None when added or removed


@dataclass
class History:
    """What git says of the data: the commit it was built from and each fact's changes, or why
    there is no history (`absent`)."""

    absent: str | None = None
    commit: str | None = None
    commit_date: str | None = None
    uncommitted: bool = False
    changes: list[Change] = field(default_factory=list)


def read(root: Path) -> History:
    """The history of the fact files under root (absent, with the reason, where git cannot tell)."""
    try:
        commit, date = git(root, "log", "-1", "--format=%H%x00%cI").strip().split("\0")
        uncommitted = bool(git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *_DATA))
        log = git(
            root,
            *("log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--no-renames"),
            *("--raw", "--no-abbrev", "-z", "--relative", "--format=%x01%H%x00%cI", commit, "--", _FACT_FILES),
        )
        commits = list(_commits(log))
        blobs = [blob for commit in commits for _, blob in commit.files if blob is not None]
        with _versions(root, blobs) as versions:
            changes = list(_changes(commits, versions, root))
    except GitError as error:
        return History(absent=str(error))
    return History(commit=commit, commit_date=date, uncommitted=uncommitted, changes=changes)


@dataclass
class _Commit:
    commit: str
    date: str
    files: list[tuple[str, str | None]]  # path, and its new blob (None: deleted)


def _commits(log: str) -> Iterator[_Commit]:
    """Parse `git log --raw -z`: a header token `\\x01HASH\\0DATE`, then per file a token
    `:modes blobs status` followed by the path."""
    tokens = iter(log.split("\0"))
    current: _Commit | None = None
    for token in tokens:
        if token.startswith("\x01"):
            if current is not None:
                yield current
            current = _Commit(token[1:], next(tokens), [])
        elif token.lstrip("\n").startswith(":") and current is not None:
            new_blob = token.split()[3]
            current.files.append((next(tokens), None if new_blob == _NO_BLOB else new_blob))
    if current is not None:
        yield current


@contextlib.contextmanager
def _versions(root: Path, blobs: list[str]) -> Iterator[Iterator[dict[str, Fact] | None]]:
    """The facts of each of these blobs (fact file versions), by id, in turn; None for a version
    that cannot be read as a fact file (it is then skipped, as the build would refuse it).

    One `git cat-file --batch` is sent every request at once, by a thread: git unpacks the next
    versions while this process parses the last."""
    process, stdin, stdout = _cat_file(root)

    def request() -> None:
        with contextlib.suppress(BrokenPipeError):  # the reader stopped early, and git with it
            try:
                stdin.writelines(blob.encode() + b"\n" for blob in blobs)
            finally:
                stdin.close()

    def versions() -> Iterator[dict[str, Fact] | None]:
        for blob in blobs:
            yield _next_facts(stdout, blob)

    writer = threading.Thread(target=request, daemon=True)
    writer.start()
    try:
        yield versions()
    finally:
        # Closing its output stops git even in the middle of an object nobody will read.
        stdout.close()
        process.wait()
        writer.join()


def _cat_file(root: Path) -> tuple[subprocess.Popen[bytes], IO[bytes], IO[bytes]]:
    """A `git cat-file --batch` process, with its input and output."""
    try:
        process = subprocess.Popen(
            ["git", "-C", str(root), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError as error:
        raise GitError(f"git cannot be run ({error.strerror or error})") from error
    assert process.stdin is not None and process.stdout is not None
    return process, process.stdin, process.stdout


def _next_facts(stdout: IO[bytes], blob: str) -> dict[str, Fact] | None:
    """The facts of the next object git hands over, the version `blob` (None: not a fact file)."""
    header = stdout.readline().split()
    if len(header) != 3:
        raise GitError(f"git cat-file: blob {blob} is missing")
    content = _read_exactly(stdout, int(header[2]))
    stdout.readline()  # the newline after each object
    return None if content is None else _facts(content)


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    """The next `size` bytes, or None (read and dropped) past the limit a build reads."""
    if size <= MAX_FILE_BYTES:
        return stream.read(size)
    while size:
        chunk = stream.read(min(size, 1 << 20))
        if not chunk:
            raise GitError("git cat-file stopped in the middle of an object")
        size -= len(chunk)
    return None


def _facts(content: bytes) -> dict[str, Fact] | None:
    try:
        document = json.loads(content)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past Python's limit
        return None
    if not isinstance(document, dict) or not isinstance(document.get("facts"), list):
        return None
    return {
        fact["id"]: fact for fact in document["facts"] if isinstance(fact, dict) and isinstance(fact.get("id"), str)
    }


def _changes(commits: list[_Commit], versions: Iterator[dict[str, Fact] | None], root: Path) -> Iterator[Change]:
    """Compare each fact before and after each commit, over all fact files (`versions`: the
    facts of each file version the commits wrote, in order).

    Between commits only a digest of each fact is kept, not the fact: at a million facts the
    parsed facts would take gigabytes, and so would one commit's files. A fact whose digest
    changed (or that moved to another file) is compared field by field with its earlier
    version, both read from git again, a file at a time."""
    digests: dict[str, dict[str, int]] = {}  # each fact file's facts at the current commit
    blob_of: dict[str, str] = {}  # each fact file's version at the current commit
    where: dict[str, str] = {}  # the file holding each fact
    with _blob_reader(root) as facts_of:
        for commit in commits:
            blobs_before = dict(blob_of)
            before: dict[str, str | None] = {}  # each touched fact's file before the commit
            for path, blob in commit.files:
                facts = {} if blob is None else next(versions)
                if facts is None:
                    continue  # an unreadable version: its facts are taken to be as they were
                old, new = digests.pop(path, {}), {fact_id: _digest(fact) for fact_id, fact in facts.items()}
                touched = [fact_id for fact_id in new if old.get(fact_id) != new[fact_id] or where.get(fact_id) != path]
                for fact_id in touched + [fact_id for fact_id in old if fact_id not in new]:
                    before.setdefault(fact_id, where.get(fact_id))
                blob_of.pop(path, None)
                if facts:
                    digests[path], blob_of[path] = new, blob
                for fact_id in facts:
                    where[fact_id] = path
            # By file, so that each version is read once (which order a commit's changes are in
            # does not matter: fact_change is written by fact).
            for fact_id, was in sorted(
                before.items(), key=lambda item: (where.get(item[0], ""), item[1] or "", item[0])
            ):
                now = where.get(fact_id)
                if now is not None and fact_id not in digests.get(now, {}):
                    del where[fact_id]  # gone from the file that held it
                    now = None
                if was not in blobs_before:  # new: whether it is there is all that matters
                    change = None if now is None else ("added", None)
                else:
                    later = None if now is None else facts_of(blob_of[now]).get(fact_id)
                    change = _compare(facts_of(blobs_before[was]).get(fact_id), later)
                if change is not None:
                    yield Change(fact_id, commit.commit, commit.date, *change)


def _digest(fact: Fact) -> int:
    """A fact's fingerprint within one walk: equal for equal facts whatever their key order."""
    return hash(json.dumps(fact, sort_keys=True, ensure_ascii=False))


@contextlib.contextmanager
def _blob_reader(root: Path) -> Iterator[Callable[[str], dict[str, Fact]]]:
    """A function giving the facts of a file version by its blob (empty if unreadable), from a
    `git cat-file --batch` of its own; the last few versions read are kept."""
    process, stdin, stdout = _cat_file(root)

    @functools.lru_cache(maxsize=8)
    def facts_of(blob: str) -> dict[str, Fact]:
        stdin.write(blob.encode() + b"\n")
        stdin.flush()
        return _next_facts(stdout, blob) or {}

    try:
        yield facts_of
    finally:
        stdin.close()
        stdout.close()
        process.wait()


def _compare(before: Fact | None, after: Fact | None) -> tuple[str, str | None] | None:
    if before is None:
        return None if after is None else ("added", None)
    if after is None:
        return "removed", None
    fields = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    if not fields:
        return None  # moved to another file, or only reformatted
    deprecated = after.get("rank") == "deprecated" and before.get("rank") != "deprecated"
    return ("deprecated" if deprecated else "changed"), ", ".join(fields)


def write(connection: sqlite3.Connection, history: History) -> None:
    """The fact_change rows of the facts in the database, and the build record of git."""
    # A fact since deleted has no row to point to. Rows go in by fact (in the order made within
    # each): the fact_id index then grows at its end, and a fact's page reads one range.
    connection.executemany(
        'INSERT INTO fact_change (fact_id, "commit", date, change, what) '
        "SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM fact WHERE id = ?1)",
        [
            (change.fact_id, change.commit, change.date, change.change, change.what)
            for change in sorted(history.changes, key=lambda change: change.fact_id)
        ],
    )
    tables.insert(connection, tables.BuildInfoTable, build_record(history))


def build_record(history: History) -> list[dict[str, str]]:
    """The build_info rows saying where the data comes from in git, or why that is not known."""
    if history.absent is not None:
        return [{"key": "history", "value": f"absent: {history.absent}"}]
    assert history.commit is not None and history.commit_date is not None
    return [
        {"key": "history", "value": "from git"},
        {"key": "git_commit", "value": history.commit},
        {"key": "git_commit_date", "value": history.commit_date},
        {"key": "git_uncommitted_changes", "value": "yes" if history.uncommitted else "no"},
    ]


def absence(database: Path) -> str | None:
    """Why a built database has no history, or None when it has one."""
    with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as connection:
        row = connection.execute("SELECT value FROM build_info WHERE key = 'history'").fetchone()
    value = row[0] if row else "absent: not recorded"
    return value.removeprefix("absent: ") if value.startswith("absent: ") else None
