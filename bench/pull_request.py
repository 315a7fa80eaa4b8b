"""A generated corpus as a pull request meets it: committed to git, then one fact file changed.

bench/run.py's `check` and `check_changed` steps run on it: `build.py check` of everything
against `build.py check --changed HEAD`, which checks the changed file against the index the
last full check kept (issue 20: a tenth of a full check at 100,000 facts, under 5 s at a
million). The copy shares the corpus's files by hard link; a file it changes is written anew
(replaced, never rewritten in place), so the corpus the builds read stays as generated.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BUILD = [sys.executable, str(PROJECT / "build.py")]
_AUTHOR = ["-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]
_REFUSED = re.compile(r"facts\[(\d+)\]")


def drop_refused(corpus: Path) -> list[str]:
    """Remove the generated facts a full check refuses, so that every step measures valid data
    (a build with one error writes nothing). Returns the refusals, for the results: the
    generator aims to write only facts the rules accept, and each one here is a gap in it."""
    check = [*BUILD, "check", "--root", str(corpus), "--format", "json"]
    problems = json.loads(subprocess.run(check, capture_output=True, text=True, cwd=PROJECT).stdout or "[]")
    refused: dict[str, set[int]] = {}
    messages = []
    for problem in problems:
        if problem["severity"] == "error" and (found := _REFUSED.match(problem["field"])):
            refused.setdefault(problem["path"], set()).add(int(found[1]))
            messages.append(f"{problem['path']} {problem['field']}: {problem['message']}")
    for name, indexes in refused.items():
        document = json.loads((corpus / name).read_text(encoding="utf-8"))
        document["facts"] = [fact for index, fact in enumerate(document["facts"]) if index not in indexes]
        _replace(corpus / name, document)
    return messages


def committed_copy(corpus: Path, copy: Path) -> Path:
    """`copy`: the corpus's data, hard-linked, in a git repository of one commit."""
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    for folder in ("facts", "sources"):
        shutil.copytree(corpus / folder, copy / folder, copy_function=os.link)
    _git(copy, "init", "-q", "-b", "main")
    _git(copy, "add", "facts", "sources")
    _git(copy, "commit", "-qm", "The generated corpus")
    return copy


def change_one_file(root: Path) -> Path:
    """Reword one fact's date_reasoning in the middle fact file, as a pull request would; the
    change is valid, so both checks must exit 0."""
    files = sorted((root / "facts").glob("*.json"))
    changed = files[len(files) // 2]
    document = json.loads(changed.read_text(encoding="utf-8"))
    document["facts"][0]["date_reasoning"] = "Reworded by bench/pull_request.py: the date is as the source says."
    _replace(changed, document)
    return changed


def _replace(path: Path, document: object) -> None:
    """Write a new file in place of `path`: a hard link's other name keeps the old content."""
    fresh = path.with_name(path.name + ".new")
    fresh.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    fresh.replace(path)


def _git(root: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(root), *_AUTHOR, *arguments], check=True, capture_output=True)
