"""The floor under the build: what writing the published database costs SQLite alone.

    python bench/write_floor.py --facts 1000000 [--repeats 3] [--no-report]

The build must have written bench/work/db-N/facts.db (bench/run.py's `build` step). Its
tables are written again into a new file with nothing checked and no Python per row: each
table is created from its own definition and filled with `INSERT INTO t SELECT * FROM
built.t WHERE 1` (the WHERE keeps SQLite from its transfer optimisation, so every row is
encoded and inserted, and the fact table's key index kept up, as the build's inserts do), in
the build's order and with its page size and pragmas; then every index; then the full-text
search with the project's own `make_searchable`. The bare baseline (bench/baseline.py
sqlite3) runs alternately with it, so the ratio holds on a noisy machine: it is the share of
the 2× goal that SQLite's writing of what the build publishes takes before anything is
validated, on one core.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from bench import report  # noqa: E402
from bench.measure import Series, git_state, machine  # noqa: E402
from bench.run import PYTHON, RESULTS, WORK, Paths, commands, measure_steps  # noqa: E402

MARKERS = ("<!-- write-floor:start -->", "<!-- write-floor:end -->")
PARTS = ("tables", "indexes", "search")
Parts = dict[str, list[float]]  # a part of one floor run: [wall, CPU] seconds, as its log's JSON says


def write_again(built: Path, output: Path) -> dict[str, tuple[float, float]]:
    """Write built's tables, indexes and search into a new file `output`; returns each part's
    (wall, CPU) seconds."""
    from factdb.database import make_searchable

    output.unlink(missing_ok=True)
    timings: dict[str, tuple[float, float]] = {}
    with contextlib.closing(sqlite3.connect(output, isolation_level=None)) as connection:
        (page_size,) = sqlite3.connect(built).execute("PRAGMA page_size").fetchone()
        connection.execute(f"PRAGMA page_size = {page_size}")
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("ATTACH DATABASE ? AS built", (str(built),))
        connection.execute("BEGIN")
        tables, indexes = _definitions(connection)
        with _timed(timings, "tables"):
            for name, sql in tables:
                connection.execute(sql)
                connection.execute(f"INSERT INTO main.[{name}] SELECT * FROM built.[{name}] WHERE 1")
        with _timed(timings, "indexes"):
            for sql in indexes:
                connection.execute(sql)
        with _timed(timings, "search"):
            make_searchable(connection)
        if connection.in_transaction:
            connection.execute("COMMIT")
    return timings


def _definitions(connection: sqlite3.Connection) -> tuple[list[tuple[str, str]], list[str]]:
    """The built file's ordinary tables (name, CREATE) in the order they were made, and its
    explicit indexes; not the full-text tables, which make_searchable makes."""
    schema = connection.execute("SELECT type, name, sql FROM built.sqlite_master ORDER BY rowid").fetchall()
    searchable = [name for kind, name, sql in schema if kind == "table" and sql.startswith("CREATE VIRTUAL")]
    tables = [
        (name, sql)
        for kind, name, sql in schema
        if kind == "table" and not name.startswith("sqlite_") and not any(name.startswith(fts) for fts in searchable)
    ]
    indexes = [sql for kind, name, sql in schema if kind == "index" and sql is not None]
    return tables, indexes


@contextlib.contextmanager
def _timed(timings: dict[str, tuple[float, float]], part: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    timings[part] = (time.perf_counter() - wall, time.process_time() - cpu)


def measure_both(paths: Paths, repeats: int) -> tuple[Series, Series, list[Parts]]:
    """The bare baseline and the floor, alternately; the floor's parts read from its logs."""
    floor = [PYTHON, str(Path(__file__)), "write", str(paths.database), str(WORK / f"floor-{paths.facts}.db")]
    series = measure_steps(paths, {"baseline": commands(paths)["baseline"], "floor": floor}, repeats)
    (WORK / f"floor-{paths.facts}.db").unlink(missing_ok=True)
    for step in series.values():
        if not step.ok:
            raise SystemExit(step.runs[-1].tail())
    parts = [json.loads(run.log.read_text().splitlines()[-1]) for run in series["floor"].runs]
    return series["baseline"], series["floor"], parts


def markdown(paths: Paths, info: dict[str, str], baseline: Series, floor: Series, parts: list[Parts]) -> str:
    size_mb = paths.database.stat().st_size / 2**20
    lines = [
        f"The {paths.facts:,}-fact database written again by `bench/write_floor.py` (SQLite alone, one core, "
        f"nothing validated; {size_mb:,.0f} MB) and the bare baseline, alternately, {len(floor.runs)} time(s) each; "
        f"measured {info['date']} on {info['cpus']} × {info['cpu_model']}, load average {info['load']} at the start "
        f"(commit {git_state(PROJECT)}). Medians.",
        "",
        *report.alternated_header(),
        report.alternated_baseline_row(baseline),
        report.alternated_row("the floor: the published tables, indexes and search written by SQLite", floor, baseline),
    ]
    for part in PARTS:
        wall = statistics.median(run[part][0] for run in parts)
        cpu = statistics.median(run[part][1] for run in parts)
        ratio = report.ratio(wall / baseline.seconds)
        lines.append(f"| … {part} | {report.seconds(wall)} | {ratio} | {report.seconds(cpu)} | |")
    lines += ["", f"The floor is **{report.ratio(floor.seconds / baseline.seconds)}** the bare baseline."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["write"]:  # the measured process: prints its parts' timings as its last line
        timings = write_again(Path(argv[1]), Path(argv[2]))
        print(json.dumps(timings))
        return 0
    parser = argparse.ArgumentParser(description="What writing the published database costs SQLite alone.")
    parser.add_argument("--facts", type=int, default=1_000_000, help="the corpus and database of bench/work")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-report", action="store_true", help="do not touch bench/RESULTS.md")
    options = parser.parse_args(argv)
    paths = Paths(options.facts)
    if not paths.database.exists():
        raise SystemExit(f"write_floor.py: build {paths.database} first (bench/run.py --facts {options.facts})")
    info = machine()  # the load before the runs, not after
    text = markdown(paths, info, *measure_both(paths, options.repeats))
    report.show_block(RESULTS, text, MARKERS, not options.no_report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
