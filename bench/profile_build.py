"""Profile the project's build (factdb.pipeline.run) with cProfile on one corpus.

    python bench/profile_build.py --facts 100000 [--skip-generate] [--top 25]
    python bench/profile_build.py --facts 1000000 --phases [--skip-generate]

Runs the build in this process under cProfile, saves the raw statistics to
bench/work/profile-N.prof (open them with `python -m pstats` or snakeviz), and writes
two tables to the profile block of bench/RESULTS.md: the project's own functions by
cumulative time (where the build spends its time, phase by phase) and every function
by own time (what the time is actually spent doing). cProfile slows Python code by
roughly 1.5-2×, C code (SQLite, pydantic-core) hardly at all: read shares, not seconds.
A build that checks files in worker processes is profiled with one (`jobs=1`).

With --phases the build runs as it really does (worker processes, no profiler) and
each step of `run` is timed instead: the functions it calls are wrapped with a clock,
and the PSS of the process and its workers is sampled every second. That table (the
phases block of RESULTS.md) says where the wall-clock time of a large build goes.
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from bench import report  # noqa: E402
from bench.measure import TreeSampler, git_state, machine  # noqa: E402
from bench.run import RESULTS, WORK, Paths, ensure_corpus, say  # noqa: E402

Key = tuple[str, int, str]  # pstats: (file, line, function)
Row = tuple[Key, int, float, float]  # key, calls, own seconds, cumulative seconds


def profile_build(paths: Paths) -> tuple[pstats.Stats, float]:
    from factdb import pipeline

    output = WORK / f"profile-db-{paths.facts}" / "facts.db"
    # cProfile sees one process: when the build checks files in worker processes, it is
    # profiled with one (jobs=1), so the checking shows up instead of a wait on the workers.
    single = {"jobs": 1} if "jobs" in inspect.signature(pipeline.run).parameters else {}
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    try:
        pipeline.run(paths.corpus, output, **single)
    finally:
        profiler.disable()
    elapsed = time.perf_counter() - started
    profiler.dump_stats(str(WORK / f"profile-{paths.facts}.prof"))
    return pstats.Stats(profiler), elapsed


# The steps of factdb.pipeline.run, as the names it calls them by. The fact files'
# step is the time between loading the registry (sources and entities) and the snapshot
# the second process reads. That process's steps (APART) overlap the steps from the
# indexes to the search; a wait for them would show as a gap before `copy_in`.
PHASES = [
    "_load_registry",
    "snapshot_for_reading",
    "create_indexes",
    "insert_coverage",
    "make_searchable",
    "copy_in",
    "finish",
    "likely_duplicates",
]
APART = ["make_apart", "duplicate_pairs"]


class Mark(NamedTuple):
    """The clocks at a moment of the build: wall, this process's CPU, and the machine's
    busy and total jiffies (from /proc/stat: how many cores were busy in between)."""

    wall: float
    cpu: float
    busy: int
    jiffies: int

    @classmethod
    def now(cls) -> Mark:
        busy, jiffies = _proc_stat()
        return cls(time.perf_counter(), time.process_time(), busy, jiffies)


def _proc_stat() -> tuple[int, int]:
    try:
        values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    return sum(values) - values[3] - values[4], sum(values)  # all but idle and iowait


class Phase(NamedTuple):
    name: str
    start: float  # seconds since the build started
    seconds: float
    cpu: float | None  # this process's CPU time in it (None: another process's)
    cores: float | None  # cores busy on average, the whole machine
    peak_mb: float


def _phase(name: str, began: Mark, ended: Mark, origin: float, peak_mb: float, own: bool = True) -> Phase:
    jiffies = ended.jiffies - began.jiffies
    cores = (os.cpu_count() or 1) * (ended.busy - began.busy) / jiffies if jiffies > 0 else None
    cpu = ended.cpu - began.cpu if own else None
    return Phase(name, began.wall - origin, ended.wall - began.wall, cpu, cores, peak_mb)


def time_phases(paths: Paths) -> tuple[list[Phase], float, float]:
    """The steps in order, the total, and the peak PSS of the build with its processes."""
    from factdb import pipeline

    output = WORK / f"phases-db-{paths.facts}" / "facts.db"
    apart_log = WORK / f"phases-apart-{paths.facts}.json"
    apart_log.unlink(missing_ok=True)
    calls: list[tuple[str, Mark, Mark, float]] = []
    sampler = TreeSampler(os.getpid(), interval=1.0)

    def clocked(
        name: str, function: Callable[..., Any], record: Callable[[str, Mark, Mark], None]
    ) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            began = Mark.now()
            try:
                return function(*args, **kwargs)
            finally:
                record(name, began, Mark.now())

        return call

    def here(name: str, began: Mark, ended: Mark) -> None:
        calls.append((name, began, ended, sampler.peak_mb))

    def apart(name: str, began: Mark, ended: Mark) -> None:
        # Called in the second process: its clocks are appended to a file for this one to read.
        with apart_log.open("a") as log:
            log.write(json.dumps([name, began, ended]) + "\n")

    originals = {name: getattr(pipeline, name) for name in [*PHASES, *APART]}
    for name in PHASES:
        setattr(pipeline, name, clocked(name, originals[name], here))
    for name in APART:
        setattr(pipeline, name, clocked(name, originals[name], apart))
    origin = Mark.now()
    sampler.start()
    try:
        pipeline.run(paths.corpus, output)
    finally:
        sampler.stop()
        for name, function in originals.items():
            setattr(pipeline, name, function)
    total = time.perf_counter() - origin.wall
    phases = _merged(calls, origin.wall)
    for line in apart_log.read_text().splitlines() if apart_log.exists() else []:
        name, began, ended = json.loads(line)
        apart = _phase(f"second process: `{name}`", Mark(*began), Mark(*ended), origin.wall, float("nan"))
        phases.append(apart._replace(cores=None))
    return sorted(phases, key=lambda phase: phase.start), total, sampler.peak_mb


def _merged(calls: list[tuple[str, Mark, Mark, float]], origin: float) -> list[Phase]:
    """One phase a step (a step called many times is summed), and the fact files between
    the registry and the snapshot."""
    phases: dict[str, Phase] = {}
    for name, began, ended, peak in calls:
        if name == "create_indexes" and name in phases:
            name = "create_indexes (sentence, coverage)"
        phase = _phase(name, began, ended, origin, peak)
        if name in phases:  # insert_coverage: one call a source; CPU summed, the cores not known
            first = phases[name]
            phase = first._replace(seconds=first.seconds + phase.seconds, cpu=(first.cpu or 0) + (phase.cpu or 0))
            phase = phase._replace(cores=None, peak_mb=max(first.peak_mb, peak))
        phases[name] = phase
    ends = {name: (began, ended, peak) for name, began, ended, peak in calls}
    starts = {name: (began, peak) for name, began, _, peak in reversed(calls)}
    if "_load_registry" in ends and "snapshot_for_reading" in starts:
        facts = _phase(
            FACT_FILES,
            ends["_load_registry"][1],
            starts["snapshot_for_reading"][0],
            origin,
            starts["snapshot_for_reading"][1],
        )
        phases[FACT_FILES] = facts
    return list(phases.values())


FACT_FILES = "fact files: checked in the workers, inserted here"


def phases_markdown(paths: Paths, info: dict[str, str], phases: list[Phase], total: float, peak: float) -> str:
    lines = [
        f"The {paths.facts:,}-fact build phase by phase, measured {info['date']} on {info['cpus']} × "
        f"{info['cpu_model']}, load average {info['load']} at the start (commit {git_state(PROJECT)}), with its "
        f"worker processes: {total:,.1f} s in all, peak {peak:,.0f} MB (PSS of all processes, sampled every "
        "second). CPU is this process's (on the second process's lines, that process's); cores busy is the whole "
        "machine's average over the phase (of "
        f"{os.cpu_count()}). `insert_coverage` is the time this process spent inserting coverage rows, summed "
        "(the workers classify sentences meanwhile; the step lasts from the end of the indexes to the search).",
        "",
        "| phase | starts at | wall | share | CPU here | cores busy | peak memory so far |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for phase in phases:
        name = phase.name if phase.name == FACT_FILES or phase.name.startswith("second") else f"`{phase.name}`"
        cpu = f"{phase.cpu:,.1f} s" if phase.cpu is not None else ""
        cores = f"{phase.cores:.2f}" if phase.cores is not None else ""
        memory = f"{phase.peak_mb:,.0f} MB" if phase.peak_mb == phase.peak_mb else ""  # NaN: not sampled
        lines.append(
            f"| {name} | {phase.start:,.1f} s | {phase.seconds:,.1f} s | {100 * phase.seconds / total:.0f}% "
            f"| {cpu} | {cores} | {memory} |"
        )
    return "\n".join(lines)


def rows(stats: pstats.Stats) -> list[Row]:
    table = stats.stats  # type: ignore[attr-defined]  # {key: (primitive calls, calls, own, cumulative, callers)}
    return [(key, calls, own, cumulative) for key, (_, calls, own, cumulative, _) in table.items()]


def label(key: Key) -> str:
    """factdb/quotes.py:32 __init__ for project files; the package path for libraries."""
    file, line, function = key
    if file == "~":
        return function  # a built-in, e.g. <method 'executemany' of 'sqlite3.Connection' objects>
    path = Path(file)
    for root in (PROJECT, *(Path(entry) for entry in sys.path if entry.endswith("site-packages"))):
        if path.is_relative_to(root):
            path = path.relative_to(root)
            break
    else:
        path = Path(*path.parts[-2:])
    return f"{path.as_posix()}:{line} {function}"


def is_project(key: Key) -> bool:
    return Path(key[0]).is_relative_to(PROJECT / "factdb") or Path(key[0]).is_relative_to(PROJECT / "schema")


def table(title: str, found: list[Row], total: float, top: int) -> list[str]:
    lines = [
        f"**{title}**",
        "",
        "| function | calls | own time | cumulative | cumulative share |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for key, calls, own, cumulative in found[:top]:
        share = 100 * cumulative / total if total else 0
        lines.append(f"| `{label(key)}` | {calls:,} | {own:,.2f} s | {cumulative:,.2f} s | {share:.0f}% |")
    return lines


def markdown(paths: Paths, info: dict[str, str], stats: pstats.Stats, elapsed: float, top: int) -> str:
    found = rows(stats)
    header = (
        f"cProfile of `factdb.pipeline.run` on the {paths.facts:,}-fact corpus, measured {info['date']} "
        f"(commit {git_state(PROJECT)}), in one process (`jobs=1`): {elapsed:,.1f} s under the profiler. "
        "Raw statistics: "
        f"`bench/work/profile-{paths.facts}.prof`."
    )
    project = sorted((row for row in found if is_project(row[0])), key=lambda row: -row[3])
    own = sorted(found, key=lambda row: -row[2])
    return "\n".join(
        [
            header,
            "",
            *table("The project's functions by cumulative time", project, elapsed, top),
            "",
            *table("Every function by own time", own, elapsed, top),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile the build with cProfile.")
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-generate", action="store_true", help="reuse bench/work/corpus-N")
    parser.add_argument("--top", type=int, default=25, help="rows per table")
    parser.add_argument("--no-report", action="store_true", help="do not touch bench/RESULTS.md")
    parser.add_argument("--phases", action="store_true", help="time each phase of a real build instead")
    options = parser.parse_args(argv)
    paths = Paths(options.facts)
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_corpus(paths, options.seed, options.skip_generate)
    info = machine()  # the load before the build, not after
    if options.phases:
        say(f"timing the phases of the build of {paths.corpus}")
        text = phases_markdown(paths, info, *time_phases(paths))
        report.show_block(RESULTS, text, (report.PHASES_START, report.PHASES_END), not options.no_report)
        return 0
    say(f"profiling the build of {paths.corpus}")
    stats, elapsed = profile_build(paths)
    text = markdown(paths, info, stats, elapsed, options.top)
    report.show_block(RESULTS, text, (report.PROFILE_START, report.PROFILE_END), not options.no_report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
