"""`python build.py diff BASE`: what a change does to the data, as Markdown for a reviewer.

Facts and entities are compared by id between a git revision and the working
tree: added, removed and changed (field by field). Removing a published fact is
flagged, because its id should keep resolving: a wrong fact is deprecated
(`"rank": "deprecated"` with a reason), as Wikidata does, not deleted.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factdb.gitrepo import GitError, git
from factdb.loading import UnreadableFile, read_project_file

Records = dict[str, tuple[str, dict[str, Any]]]  # id -> (file, record)


def changed_since_head(root: Path) -> set[str] | None:
    """The fact files (paths from root) changed since the last commit or not yet committed; None
    when git cannot tell (not a checkout, no commit yet, no git)."""
    try:
        changed = git(root, "diff", "--name-only", "--relative", "-z", "HEAD", "--", "facts")
        untracked = git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", "facts")
    except GitError:
        return None
    return set((changed + untracked).split("\0")) - {""}


def _collect(files: dict[str, str], key: str) -> Records:
    records: Records = {}
    for name, text in sorted(files.items()):
        try:
            items = json.loads(text).get(key, [])
        except (ValueError, AttributeError):
            continue  # an unreadable file is reported by `check`, not here
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                records[item["id"]] = (name, item)
    return records


def _files_at(root: Path, revision: str) -> dict[str, str]:
    prefix = git(root, "rev-parse", "--show-prefix").strip()
    listing = git(root, "ls-tree", "-r", "--name-only", revision, "--", "facts")
    files = {}
    for name in listing.splitlines():
        if name.endswith(".json"):
            relative = name[len(prefix) :] if prefix and name.startswith(prefix) else name
            files[relative] = git(root, "show", f"{revision}:{name}")
    return files


def _sources_at(root: Path, revision: str) -> set[str]:
    listing = git(root, "ls-tree", "--name-only", revision, "--", "sources/")
    return {Path(name).stem for name in listing.splitlines() if name.endswith(".json")}


def _files_now(root: Path) -> dict[str, str]:
    files = {}
    for path in root.glob("facts/**/*.json"):
        with contextlib.suppress(UnreadableFile, UnicodeDecodeError):  # reported by `check`, not here
            files[path.relative_to(root).as_posix()] = read_project_file(path, root).decode("utf-8")
    return files


def _split(files: dict[str, str]) -> tuple[Records, Records]:
    facts = {name: text for name, text in files.items() if not name.startswith("facts/entities/")}
    entities = {name: text for name, text in files.items() if name.startswith("facts/entities/")}
    return _collect(facts, "facts"), _collect(entities, "entities")


def _flatten(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat |= _flatten(item, f"{path}.{key}" if path else key)
        return flat
    if isinstance(value, list) and value:
        flat = {}
        for index, item in enumerate(value):
            flat |= _flatten(item, f"{path}[{index}]")
        return flat
    return {path: value}


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[tuple[str, Any, Any]]] = field(default_factory=dict)


def compare(before: Records, after: Records) -> Changes:
    changes = Changes()
    changes.added = sorted(after.keys() - before.keys())
    changes.removed = sorted(before.keys() - after.keys())
    for key in sorted(before.keys() & after.keys()):
        old, new = _flatten(before[key][1]), _flatten(after[key][1])
        fields = [(name, old.get(name), new.get(name)) for name in sorted(old.keys() | new.keys())]
        differing = [entry for entry in fields if entry[1] != entry[2]]
        if before[key][0] != after[key][0]:
            differing.insert(0, ("(file)", before[key][0], after[key][0]))
        if differing:
            changes.changed[key] = differing
    return changes


# How many characters of a value a table cell shows.
_WIDTH = 80
# What a fact is when its file does not say: shown, so that a change to or from them reads as one.
_FACT_DEFAULTS = {"modality": "actual", "rank": "normal"}


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _code(text: str, before: str = "", after: str = "") -> str:
    # A line break is shown, not turned into a space: "a b" and "a\nb" must not print alike.
    escaped = text.replace("|", "\\|").replace("\n", "↵")
    return f"`{before}{escaped}{after}`"


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    text = _shown(value)
    return _code(text) if len(text) <= _WIDTH else _code(text[: _WIDTH - 3], after="…")


def _cells(old: Any, new: Any) -> tuple[str, str]:
    """A changed field's two values. Long values are both shown from the same place, a little
    before their first difference: cut at the same length from their start, two texts that
    differ only further on would print alike."""
    if old is None or new is None or max(len(_shown(old)), len(_shown(new))) <= _WIDTH:
        return _cell(old), _cell(new)
    before, after = _shown(old), _shown(new)
    pairs = enumerate(zip(before, after, strict=False))
    differs = next((at for at, (one, other) in pairs if one != other), min(len(before), len(after)))
    # Half a cell of context before the difference; less when near the end, to fill the cell.
    start = max(min(differs - _WIDTH // 2, max(len(before), len(after)) - (_WIDTH - 2)), 0)
    return _window(before, start), _window(after, start)


def _window(text: str, start: int) -> str:
    end = start + _WIDTH - 2
    return _code(text[start:end], "…" if start else "", "…" if end < len(text) else "")


def _summary(record: dict[str, Any]) -> str:
    """What a fact says, with its modality, and its rank when deprecated (with the reason)."""
    quantity = record.get("quantity")
    amount = f"{quantity.get('amount')} {quantity.get('unit')}" if isinstance(quantity, dict) else None
    parts = (record.get("subject"), record.get("predicate"), record.get("object"), record.get("text"), amount)
    said = " ".join(_cell(part) for part in (*parts, record.get("date")) if part)
    if record.get("rank") == "deprecated":
        return f"{said} ({record.get('modality')}; **deprecated**: {_code(str(record.get('deprecation_reason')))})"
    return f"{said} ({record.get('modality')})"


@dataclass
class DataDiff:
    base: str
    facts: Changes
    entities: Changes
    before: Records
    after: Records
    sources_added: list[str] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        facts, entities = self.facts, self.entities
        deprecated = [
            key
            for key, fields in facts.changed.items()
            if any(name == "rank" and new == "deprecated" for name, _, new in fields)
        ]
        lines = [
            f"## Data changes against `{self.base}`",
            "",
            f"**Facts: {len(facts.added)} added, {len(facts.changed)} changed ({len(deprecated)} deprecated), "
            f"{len(facts.removed)} removed. Entities: {len(entities.added)} added, {len(entities.changed)} changed, "
            f"{len(entities.removed)} removed. Sources: {len(self.sources_added)} added, "
            f"{len(self.sources_removed)} removed.**",
        ]
        if self.sources_added or self.sources_removed:
            lines += [""] + [f"- source added: `{key}`" for key in self.sources_added]
            lines += [f"- ⚠️ source removed: `{key}`" for key in self.sources_removed]
        if facts.removed:
            lines += [
                "",
                "### ⚠️ Removed facts",
                "",
                "These ids were published and will stop resolving. Keep a wrong fact and mark it "
                '`"rank": "deprecated"` with a `deprecation_reason` instead of deleting it.',
                "",
            ]
            lines += [
                f"- `{key}` (was in {self.before[key][0]}): {_summary(self.before[key][1])}" for key in facts.removed
            ]
        if facts.added:
            lines += ["", "### Added facts", "", "| id | file | fact |", "| --- | --- | --- |"]
            lines += [f"| `{key}` | {self.after[key][0]} | {_summary(self.after[key][1])} |" for key in facts.added]
        for title, changes in (("Changed facts", facts), ("Changed entities", entities)):
            if changes.changed:
                lines += ["", f"### {title}"]
                for key, fields in changes.changed.items():
                    lines += ["", f"#### `{key}`{' (deprecated)' if key in deprecated else ''}", ""]
                    if changes is facts:  # what the fact now says, to judge the change by
                        lines += [f"Now: {_summary(self.after[key][1])}", ""]
                    lines += ["| field | before | after |", "| --- | --- | --- |"]
                    lines += [f"| {name} | {' | '.join(_cells(old, new))} |" for name, old, new in fields]
        if entities.added:
            lines += ["", "### Added entities", ""]
            lines += [f"- `{key}`: {self.after_entities[key][1].get('name')}" for key in entities.added]
        if entities.removed:
            lines += ["", "### ⚠️ Removed entities", ""] + [f"- `{key}`" for key in entities.removed]
        return "\n".join(lines) + "\n"

    after_entities: Records = field(default_factory=dict)


def _with_defaults(facts: Records) -> Records:
    return {key: (file, _FACT_DEFAULTS | record) for key, (file, record) in facts.items()}


def diff(root: Path, base: str) -> DataDiff:
    before_facts, before_entities = _split(_files_at(root, base))
    after_facts, after_entities = _split(_files_now(root))
    before_facts, after_facts = _with_defaults(before_facts), _with_defaults(after_facts)
    sources_before, sources_now = _sources_at(root, base), {path.stem for path in root.glob("sources/*.json")}
    return DataDiff(
        sources_added=sorted(sources_now - sources_before),
        sources_removed=sorted(sources_before - sources_now),
        base=base,
        facts=compare(before_facts, after_facts),
        entities=compare(before_entities, after_entities),
        before=before_facts,
        after=after_facts,
        after_entities=after_entities,
    )
