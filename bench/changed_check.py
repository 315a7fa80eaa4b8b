"""`check --changed` against a full `check` on a generated corpus committed to git.

    python bench/changed_check.py --facts 100000 [--repeats 3]

The corpus (bench/generate.py, into bench/work/changed-N; the rare generated fact a full check
refuses is dropped first) is committed to a new git repository
and checked once in full, which keeps the index `--changed` reads (dist/.check-index.db). Then one
fact file is changed as a pull request would change it (one fact's date_reasoning reworded), and
`python build.py check --changed HEAD` and `python build.py check` run alternately, `--repeats`
times each, wall time and CPU (bench/measure.py); the medians, their ratio and the machine are
printed as a Markdown block for RESULTS.md. Both must exit 0 (the change is valid).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from bench.measure import Measurement, git_state, machine, measure  # noqa: E402

WORK = PROJECT / "bench" / "work"


def git(root: Path, *arguments: str) -> None:
    author = ["-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(["git", "-C", str(root), *author, *arguments], check=True, capture_output=True)


def drop_refused(root: Path) -> None:
    """Remove the generated facts a full check refuses (the generator's rare fact that today's
    grounding rules reject), so that the base of the pull request is valid."""
    check = [sys.executable, str(PROJECT / "build.py"), "check", "--root", str(root), "--format", "json"]
    problems = json.loads(subprocess.run(check, capture_output=True, text=True).stdout or "[]")
    refused: dict[str, set[int]] = {}
    for problem in problems:
        if problem["severity"] == "error" and (found := re.match(r"facts\[(\d+)\]", problem["field"])):
            refused.setdefault(problem["path"], set()).add(int(found[1]))
    for name, indexes in refused.items():
        document = json.loads((root / name).read_text(encoding="utf-8"))
        document["facts"] = [fact for index, fact in enumerate(document["facts"]) if index not in indexes]
        (root / name).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"dropped {len(indexes)} refused facts from {name}")


def prepare(facts: int) -> Path:
    """The corpus, committed, with the index of a full check; then one fact file changed."""
    root = WORK / f"changed-{facts}"
    if not (root / ".git").exists():
        subprocess.run(
            [sys.executable, str(PROJECT / "bench" / "generate.py"), "--facts", str(facts), "--out", root], check=True
        )
        drop_refused(root)
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "facts", "sources")
        git(root, "commit", "-qm", "corpus")
    git(root, "checkout", "--", "facts")
    check = subprocess.run([sys.executable, str(PROJECT / "build.py"), "check", "--root", root], capture_output=True)
    assert check.returncode == 0, check.stderr.decode()[-2000:]
    changed = sorted((root / "facts").glob("*.json"))[len(list((root / "facts").glob("*.json"))) // 2]
    document = json.loads(changed.read_text(encoding="utf-8"))
    document["facts"][0]["date_reasoning"] = "Reworded by bench/changed_check.py: the date is as the source says."
    changed.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    root = prepare(options.facts)
    commands = {
        "check --changed HEAD": [
            sys.executable,
            str(PROJECT / "build.py"),
            "check",
            "--root",
            str(root),
            "--changed",
            "HEAD",
        ],
        "check (full)": [sys.executable, str(PROJECT / "build.py"), "check", "--root", str(root)],
    }
    runs: dict[str, list[Measurement]] = {name: [] for name in commands}
    for repeat in range(options.repeats):
        for name, command in commands.items():  # alternately: the machine's load hits both alike
            result = measure(command, WORK / "changed-check.log", PROJECT)
            assert result.ok, result.tail()
            runs[name].append(result)
            print(f"{repeat + 1}/{options.repeats} {name}: {result.seconds:.2f} s wall, {result.cpu_seconds:.2f} s CPU")
    wall = {name: statistics.median(run.seconds for run in results) for name, results in runs.items()}
    cpu = {name: statistics.median(run.cpu_seconds for run in results) for name, results in runs.items()}
    about = machine()
    print(f"\nMeasured {about['date']} at {git_state(PROJECT)}: {about['cpus']} × {about['cpu_model']}, ")
    print(f"Python {about['python']}, SQLite {about['sqlite']}, load at start {about['load']}; ")
    print(f"{options.facts:,} facts, one fact file changed, median of {options.repeats} alternating runs.\n")
    print("| command | median wall | median CPU |\n| --- | ---: | ---: |")
    for name in commands:
        print(f"| `{name}` | {wall[name]:.2f} s | {cpu[name]:.2f} s |")
    changed, full = commands
    print(f"| **ratio** | **{wall[changed] / wall[full]:.3f}** | **{cpu[changed] / cpu[full]:.3f}** |")


if __name__ == "__main__":
    main()
