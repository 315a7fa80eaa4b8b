"""Does the build's memory grow with the number of fact files? The same sources, more files.

    python bench/flat_memory.py --facts 1000000 --files 10,100,1000 [--skip-generate]

`run.py` measures corpora of 10, 100 and 1,000 fact files, but its generator gives each
size its own sources (one per 50 facts), so the peak memory it reports across sizes mixes
two things: fact files and sources. Here the sources and entities of one corpus are kept
and only the number of fact files changes: `bench/work/subset-N/` links the corpus's
`sources/` and `facts/entities/` and its first N fact files. Each subset is built once
with the real `build.py build` (its own process tree, peak PSS of all processes sampled
every half second), and the table goes to the flat-memory block of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from bench import report  # noqa: E402
from bench.generate import FACTS_PER_FILE  # noqa: E402
from bench.measure import Measurement, git_state, machine, measure  # noqa: E402
from bench.run import PYTHON, RESULTS, WORK, Paths, ensure_corpus, say  # noqa: E402

MARKERS = ("<!-- flat-memory:start -->", "<!-- flat-memory:end -->")


def subset(corpus: Path, files: int) -> Path:
    """A corpus of the first `files` fact files of `corpus`, with all of its sources and
    entities (symbolic links: nothing is copied)."""
    root = WORK / f"subset-{files}"
    shutil.rmtree(root, ignore_errors=True)
    (root / "facts").mkdir(parents=True)
    (root / "sources").symlink_to(corpus / "sources")
    (root / "facts" / "entities").symlink_to(corpus / "facts" / "entities")
    for path in sorted((corpus / "facts").glob("*.json"))[:files]:
        (root / "facts" / path.name).symlink_to(path)
    return root


def build(root: Path, files: int) -> Measurement:
    output = WORK / f"subset-db-{files}" / "facts.db"
    command = [PYTHON, "build.py", "build", "--root", str(root), "--output", str(output)]
    return measure(command, WORK / "logs" / f"subset-{files}.log", PROJECT)


def markdown(paths: Paths, info: dict[str, str], results: list[tuple[int, Measurement]]) -> str:
    sources = sum(1 for _ in (paths.corpus / "sources").glob("*.json"))
    lines = [
        f"The {sources:,} sources and the entities of the {paths.facts:,}-fact corpus with its first N fact files "
        f"({FACTS_PER_FILE:,} facts each), built once each by `bench/flat_memory.py`, measured {info['date']} "
        f"on {info['cpus']} × {info['cpu_model']}, load average {info['load']} at the start "
        f"(commit {git_state(PROJECT)}).",
        "",
        "| fact files | facts | build | peak memory, all processes (PSS) | peak RSS, largest process | exit |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {files:,} | {files * FACTS_PER_FILE:,} | {report.seconds(result.seconds)} "
        f"| {report.megabytes(result.tree_mb)} | {report.megabytes(result.peak_mb)} | {result.returncode} |"
        for files, result in results
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Peak memory of the build with the same sources and more fact files.")
    parser.add_argument("--facts", type=int, default=1_000_000, help="the corpus whose sources are kept")
    parser.add_argument("--files", default="10,100,1000", help="numbers of fact files, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-generate", action="store_true", help="reuse bench/work/corpus-N")
    parser.add_argument("--no-report", action="store_true", help="do not touch bench/RESULTS.md")
    options = parser.parse_args(argv)
    paths = Paths(options.facts)
    ensure_corpus(paths, options.seed, options.skip_generate)
    info = machine()  # the load before the builds, not after
    results = []
    for files in (int(count) for count in options.files.split(",")):
        result = build(subset(paths.corpus, files), files)
        say(f"{files} fact files: {result.seconds:.1f} s, peak {result.tree_mb:.0f} MB (PSS), exit {result.returncode}")
        if not result.ok:
            print(result.tail(), file=sys.stderr)
            return 1
        results.append((files, result))
    report.show_block(RESULTS, markdown(paths, info, results), MARKERS, record=not options.no_report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
