"""A 2 MB source with many citations: time and peak memory of cutting it into marked segments.

The cutting of plugins/factdb_pages.py (segments, then marked_text: what a source page does with
the text) against the per-character cutting it replaced (read from git, BEFORE), on the same
text and marks, in one run:

    python bench/source_page.py --characters 2000000 --citations 20000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import subprocess
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
BEFORE = "b4f6418"  # the last commit with the per-character segments
WORK = PROJECT / "bench" / "work"


def plugin(source: str, name: str) -> ModuleType:
    path = WORK / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus(characters: int, citations: int, seed: int) -> tuple[str, list[tuple[str, list[list[int]]]], list[dict]]:
    """Text of sentences of about 120 characters, each cited or not; citations of random stretches."""
    chooser = random.Random(seed)
    text = "".join(chooser.choice("abcdefghij   ") for _ in range(characters))
    sentences = [
        {
            "start": start,
            "end": min(start + 120, characters),
            "status": chooser.choice(["cited", "excluded", "uncovered"]),
            "reason": "a reason",
        }
        for start in range(0, characters, 120)
    ]
    cited = []
    for number in range(citations):
        start = chooser.randrange(characters - 400)
        cited.append((f"fact-{number % (citations // 2 or 1)}", [[start, start + chooser.randrange(20, 400)]]))
    return text, cited, sentences


def measured(work: Callable[[], Any]) -> dict[str, float]:
    """Seconds of one call, untraced, and its peak MB in a second call under tracemalloc
    (Python's own allocations; tracing slows the call several times, so it is not timed)."""
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"seconds": round(seconds, 3), "peak_mb": round(peak, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--characters", type=int, default=2_000_000)
    parser.add_argument("--citations", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    now = plugin((PROJECT / "plugins" / "factdb_pages.py").read_text(encoding="utf-8"), "pages_now")
    old_source = subprocess.run(
        ["git", "show", f"{BEFORE}:plugins/factdb_pages.py"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout
    before = plugin(old_source, "pages_before")
    text, cited, sentences = corpus(arguments.characters, arguments.citations, arguments.seed)
    spans = [now.Span(s["start"], s["end"], s["status"], "sentence", s["reason"]) for s in sentences]
    spans += [now.Span(start, end, fact_id, "cited") for fact_id, pieces in cited for start, end in pieces]
    results = {
        "characters": len(text),
        "citations": len(cited),
        "sentences": len(sentences),
        "now": measured(lambda: now.marked_text(now.segments(text, spans))),
        "now_segments": len(now.segments(text, spans)),
        "before": measured(lambda: before.segments(text, cited, sentences)),
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
