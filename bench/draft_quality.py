"""How good the drafts are: on each archived article, with its reviewed fact file set aside.

For each source of a project (default: this one), in a copy of the project without the
source's fact file, `build.py draft` proposes its facts. Then:

- covered: the share of the source's reviewed facts (rank normal) for which a drafted fact
  cites an overlapping passage of that source with the same subject and the same object
  (either way round for two parties who agreed, met or held talks: drafting.SYMMETRIC);
- valid: the share of drafted facts that pass `check` once their draft marker is removed
  (in that copy: every other fact file is there, as in a pull request).

Goals (the contribution issue): at least 60% covered and 80% valid, also on the article held
out while the drafting rules were tuned (--held-out), reported apart.

    python bench/draft_quality.py [--root DIR] [--held-out SOURCE_ID]
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from factdb import drafting, pipeline  # noqa: E402  (the project's own modules, from its root)
from factdb.drafting import SYMMETRIC  # noqa: E402
from factdb.loading import Layout  # noqa: E402
from factdb.problems import DataError  # noqa: E402
from factdb.quotes import NormalisedText, find_quote  # noqa: E402

HELD_OUT = "vietnam-looks-to-japan-2015"  # not looked at while the drafting rules were tuned


class Quality(NamedTuple):
    source: str
    reviewed: int
    drafted: int
    covered: int
    valid: int


def _passages(fact: dict[str, Any], source: str, text: NormalisedText) -> list[tuple[int, int]]:
    spans = []
    for citation in fact.get("citations", []):
        if citation.get("source") == source:
            found = find_quote(citation["quote"], text) or []
            spans += [(span.start, span.end) for span in found]
    return spans


def _covers(drafted: dict[str, Any], reviewed: dict[str, Any], source: str, text: NormalisedText) -> bool:
    pair = (drafted["subject"], drafted.get("object"))
    wanted = (reviewed["subject"], reviewed.get("object"))
    # Two who agreed, met or talked are the same pair either way round.
    either_way = drafted["predicate"] in SYMMETRIC and reviewed["predicate"] in SYMMETRIC
    if pair != wanted and not (either_way and pair == wanted[::-1]):
        return False
    mine = _passages(drafted, source, text)
    return any(a < d and c < b for a, b in mine for c, d in _passages(reviewed, source, text))


def measure(root: Path, source: str) -> Quality:
    reviewed_file = root / "facts" / f"{source}.json"
    reviewed = [
        fact
        for fact in json.loads(reviewed_file.read_text(encoding="utf-8"))["facts"]
        if fact.get("rank") != "deprecated"
    ]
    with tempfile.TemporaryDirectory(prefix="draft-quality-") as folder:
        copy = Path(folder)
        shutil.copytree(root / "sources", copy / "sources")
        shutil.copytree(root / "facts", copy / "facts")
        (copy / "facts" / f"{source}.json").unlink()
        path, _ = drafting.draft_file(copy, source, None)
        document = json.loads(path.read_text(encoding="utf-8"))
        drafts = document["facts"]
        text = NormalisedText(Layout(copy).source_text(source).read_text(encoding="utf-8"))
        covered = sum(any(_covers(d, r, source, text) for d in drafts) for r in reviewed)
        for fact in drafts:
            fact.pop("draft", None)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        try:
            problems = pipeline.run(copy, None, jobs=1)
        except DataError as error:
            problems = error.problems
        name = path.relative_to(copy).as_posix()
        refused = {
            int(problem.field.split("]")[0].removeprefix("facts["))
            for problem in problems
            if problem.severity == "error" and problem.path == name and problem.field.startswith("facts[")
        }
        whole_file = any(
            p.severity == "error" and p.path == name and not p.field.startswith("facts[") for p in problems
        )
        valid = 0 if whole_file else len(drafts) - len(refused)
    return Quality(source, len(reviewed), len(drafts), covered, valid)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def report(results: list[Quality], held_out: str) -> str:
    lines = [
        f"Measured {date.today().isoformat()} on {platform.machine()} ({platform.python_version()}), "
        "`python bench/draft_quality.py`:",
        "",
        "| source | reviewed facts | drafted | covered | valid |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]

    def row(label: str, items: list[Quality]) -> str:
        reviewed, drafted = sum(q.reviewed for q in items), sum(q.drafted for q in items)
        covered, valid = sum(q.covered for q in items), sum(q.valid for q in items)
        return f"| {label} | {reviewed} | {drafted} | {_percent(covered, reviewed)} | {_percent(valid, drafted)} |"

    tuned = [q for q in results if q.source != held_out]
    lines += [row(q.source, [q]) for q in tuned]
    lines.append(row("**tuned on (together)**", tuned))
    lines += [row(f"**held out: {q.source}**", [q]) for q in results if q.source == held_out]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=PROJECT)
    parser.add_argument("--held-out", default=HELD_OUT)
    parser.add_argument("--tuning", action="store_true", help="leave the held-out article out (while tuning rules)")
    options = parser.parse_args()
    records = Layout(options.root).source_records()
    sources = [path.stem for path in records if (options.root / "facts" / f"{path.stem}.json").exists()]
    if options.tuning:
        sources.remove(options.held_out)
    print(report([measure(options.root, source) for source in sources], options.held_out))


if __name__ == "__main__":
    main()
