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
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
# step is the time between loading the registry (sources and entities) and the indexes.
# The second process's work (reader tables, duplicates query) overlaps the steps from the
# indexes to the search; a wait for it would show as a gap before `stop_sharing`.
PHASES = [
    "_load_registry",
    "create_indexes",
    "insert_coverage",
    "make_searchable",
    "stop_sharing",
    "copy_in",
    "finish",
    "likely_duplicates",
]


def time_phases(paths: Paths) -> tuple[list[tuple[str, float, float, float]], float, float]:
    """(phase, start, seconds, PSS after in MB) in order, the total, and the peak PSS."""
    from factdb import pipeline

    output = WORK / f"phases-db-{paths.facts}" / "facts.db"
    started = time.perf_counter()
    timed: list[tuple[str, float, float, float]] = []
    sampler = TreeSampler(os.getpid(), interval=1.0)

    def clocked(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            begun = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timed.append((name, begun - started, time.perf_counter() - begun, sampler.peak_mb))

        return call

    originals = {name: getattr(pipeline, name) for name in PHASES}
    for name, function in originals.items():
        setattr(pipeline, name, clocked(name, function))
    sampler.start()
    try:
        pipeline.run(paths.corpus, output)
    finally:
        sampler.stop()
        for name, function in originals.items():
            setattr(pipeline, name, function)
    return timed, time.perf_counter() - started, sampler.peak_mb


def phases_markdown(paths: Paths, timed: list[tuple[str, float, float, float]], total: float, peak: float) -> str:
    merged: dict[str, list[float]] = {}  # name -> [first start, seconds, peak so far]
    for name, start, seconds, peak_so_far in timed:
        if name == "create_indexes" and name in merged:
            name = "create_indexes (sentence, coverage)"
        entry = merged.setdefault(name, [start, 0.0, 0.0])
        entry[1] += seconds
        entry[2] = max(entry[2], peak_so_far)
    registry_end = merged["_load_registry"][0] + merged["_load_registry"][1]
    facts = merged["create_indexes"][0] - registry_end
    rows = [(name, start, seconds, peak_so_far) for name, (start, seconds, peak_so_far) in merged.items()]
    rows.append(("fact files: checked in the workers, inserted here", registry_end, facts, merged["create_indexes"][2]))
    rows.sort(key=lambda row: row[1])
    info = machine()
    lines = [
        f"The {paths.facts:,}-fact build phase by phase, measured {info['date']} on {info['cpus']} × "
        f"{info['cpu_model']}, load average {info['load']} at the start (commit {git_state(PROJECT)}), with its "
        f"worker processes: {total:,.1f} s in all, peak {peak:,.0f} MB (PSS of all processes, sampled every "
        "second). `insert_coverage` is the time this process spent inserting coverage rows; the workers "
        "classify sentences meanwhile.",
        "",
        "| phase | starts at | wall | share | peak memory so far |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| `{name}` | {start:,.1f} s | {seconds:,.1f} s | {100 * seconds / total:.0f}% | {peak_so_far:,.0f} MB |"
        if not name.startswith("fact files")
        else f"| {name} | {start:,.1f} s | {seconds:,.1f} s | {100 * seconds / total:.0f}% | {peak_so_far:,.0f} MB |"
        for name, start, seconds, peak_so_far in rows
    ]
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


def markdown(paths: Paths, stats: pstats.Stats, elapsed: float, top: int) -> str:
    found = rows(stats)
    info = machine()
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
    if options.phases:
        say(f"timing the phases of the build of {paths.corpus}")
        text = phases_markdown(paths, *time_phases(paths))
        print(text)
        if not options.no_report:
            report.update_profile(RESULTS, text, (report.PHASES_START, report.PHASES_END))
            say(f"wrote the phases block of {RESULTS.relative_to(PROJECT)}")
        return 0
    say(f"profiling the build of {paths.corpus}")
    stats, elapsed = profile_build(paths)
    text = markdown(paths, stats, elapsed, options.top)
    print(text)
    if not options.no_report:
        report.update_profile(RESULTS, text)
        say(f"wrote the profile block of {RESULTS.relative_to(PROJECT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
