"""The build with its per-fact work taken out: what everything else in the build costs.

    python bench/replay.py --facts 1000000 [--repeats 3] [--no-report]

One real build of bench/work/corpus-N records what the workers send back for each fact
file (its problems, ids and rows: factdb.pipeline.CheckedFile) in bench/work/replay-N/.
Then builds in which each worker only unpickles that file's recording (about 3 ms a file)
run alternately with the bare baseline. Everything else is the real build: this process
inserts the rows, and the indexes, reader tables, coverage and search are made as always.
So the ratio is what the build would be if loading, validating, checking and making the
rows of each fact cost nothing: the most that any rewrite of the per-fact Python (without
models, or compiled) could reach. The replayed database is compared with the recorded
build's, table by table, to show that the replay is the same build.
"""

from __future__ import annotations

import argparse
import contextlib
import pickle
import shutil
import sqlite3
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from bench import report  # noqa: E402
from bench.measure import Series, git_state, machine, measure  # noqa: E402
from bench.run import PYTHON, RESULTS, WORK, Paths, commands, measure_steps, say  # noqa: E402
from factdb import pipeline  # noqa: E402

MARKERS = ("<!-- replay:start -->", "<!-- replay:end -->")
_CHECK_FILE = pipeline._check_file  # the real per-file work, kept before it is replaced
_STORE: Path | None = None  # where recordings go; set before the workers fork, so they inherit it


def _recording(path: Path) -> pipeline.CheckedFile:
    assert _STORE is not None
    checked = _CHECK_FILE(path)
    (_STORE / f"{path.name}.pickle").write_bytes(pickle.dumps(checked, pickle.HIGHEST_PROTOCOL))
    return checked


def _replaying(path: Path) -> pipeline.CheckedFile:
    assert _STORE is not None
    return pickle.loads((_STORE / f"{path.name}.pickle").read_bytes())


def build(mode: str, corpus: Path, output: Path, store: Path) -> None:
    """One build in this process, its per-file work recorded (`record`) or replayed (`replay`).

    The workers are forked and look the task's function up by name, so they run the
    replacement set here."""
    global _STORE
    _STORE = store
    pipeline._check_file = _recording if mode == "record" else _replaying  # type: ignore[assignment]
    output.unlink(missing_ok=True)
    pipeline.run(corpus, output)


def row_counts(database: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(database)) as connection:
        names = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: connection.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0] for name in names}


def measure_replay(paths: Paths, repeats: int) -> tuple[Series, Series, Series, bool]:
    """The recording build once, then the bare baseline and the replayed build alternately.
    Returns the three and whether the replayed database has the recorded one's rows."""
    store, recorded, replayed = WORK / f"replay-{paths.facts}", WORK / "recorded.db", WORK / "replayed.db"
    shutil.rmtree(store, ignore_errors=True)
    store.mkdir(parents=True)
    this = [PYTHON, str(Path(__file__)), "build"]
    say("recording every fact file's checked result")
    recording = measure([*this, "record", str(paths.corpus), str(recorded), str(store)], paths.log("record"), PROJECT)
    if not recording.ok:
        raise SystemExit(recording.tail())
    replay = [*this, "replay", str(paths.corpus), str(replayed), str(store)]
    series = measure_steps(paths, {"baseline": commands(paths)["baseline"], "replay": replay}, repeats)
    for step in series.values():
        if not step.ok:
            raise SystemExit(step.runs[-1].tail())
    same = row_counts(recorded) == row_counts(replayed)
    shutil.rmtree(store)
    recorded.unlink()
    replayed.unlink()
    return Series([recording]), series["baseline"], series["replay"], same


def markdown(
    paths: Paths, info: dict[str, str], recording: Series, baseline: Series, replay: Series, same: bool
) -> str:
    sameness = "the same" if same else "**not** the same"
    return "\n".join(
        [
            f"The {paths.facts:,}-fact corpus built by `bench/replay.py` with every fact file's per-fact work "
            f"replayed from a recording, alternately with the bare baseline, {len(replay.runs)} time(s) each; "
            f"measured {info['date']} on {info['cpus']} × {info['cpu_model']}, load average {info['load']} at the "
            f"start (commit {git_state(PROJECT)}). Medians. The replayed database has {sameness} tables and row "
            "counts as the recorded build's.",
            "",
            *report.alternated_header(),
            report.alternated_baseline_row(baseline),
            report.alternated_row(
                "the real build, recording (once; it also writes the recordings)", recording, baseline
            ),
            report.alternated_row("the build with the per-fact work replayed", replay, baseline),
            "",
            f"With its per-fact work at no cost, the build is **{report.ratio(replay.seconds / baseline.seconds)}** "
            "the bare baseline.",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["build"]:  # the measured process
        build(argv[1], Path(argv[2]), Path(argv[3]), Path(argv[4]))
        return 0
    parser = argparse.ArgumentParser(description="The build with its per-fact work replayed from a recording.")
    parser.add_argument("--facts", type=int, default=1_000_000, help="the corpus of bench/work")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-report", action="store_true", help="do not touch bench/RESULTS.md")
    options = parser.parse_args(argv)
    paths = Paths(options.facts)
    if not paths.stamp.exists():
        raise SystemExit(f"replay.py: generate {paths.corpus} first (bench/run.py --facts {options.facts})")
    info = machine()  # the load before the runs, not after
    text = markdown(paths, info, *measure_replay(paths, options.repeats))
    report.show_block(RESULTS, text, MARKERS, not options.no_report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
