"""bench/RESULTS.md: the generated sections, rewritten in place; the prose around them is kept.

The file holds one generated block per corpus size (`<!-- run:N:start -->` ...
`<!-- run:N:end -->`; a labelled run, `run:N-LABEL`, is a block of its own), a summary
table across sizes built from the data line each block carries, and a profile block
(`<!-- profile:start -->` ... `<!-- profile:end -->`). Re-running a size replaces only
that size's block.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

RESULTS_START, RESULTS_END = "<!-- results:start -->", "<!-- results:end -->"
PROFILE_START, PROFILE_END = "<!-- profile:start -->", "<!-- profile:end -->"
PHASES_START, PHASES_END = "<!-- phases:start -->", "<!-- phases:end -->"
_RUN_BLOCK = re.compile(r"<!-- run:(\d+(?:-[\w-]+)?):start -->.*?<!-- run:\1:end -->", re.S)
_DATA_LINE = re.compile(r"<!-- data: (\{.*?\}) -->")

SKELETON = f"""# Benchmark results

Written by `bench/run.py` (one section per corpus size) and `bench/profile_build.py` (the
profile); see bench/README.md for what each number means and the goals. The text
outside the generated blocks is written by hand.

## Measurements

{RESULTS_START}
{RESULTS_END}

## Where the build's time goes

{PROFILE_START}
{PROFILE_END}
"""

Data = dict[str, Any]

# --- Numbers in words ---------------------------------------------------------------


def seconds(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.2f} s" if value < 100 else f"{value:,.0f} s"


def megabytes(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} MB"


def milliseconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} ms"


def ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def met(flag: bool | None) -> str:
    return "n/a" if flag is None else ("**yes**" if flag else "**no**")


# --- One run ------------------------------------------------------------------------


def block_key(data: Data) -> str:
    """The block's name: the corpus size, and the run's label if it has one."""
    return f"{data['facts']}-{data['label']}" if data.get("label") else str(data["facts"])


def _sort_key(key: str) -> tuple[int, str]:
    size, _, label = key.partition("-")
    return int(size), label


def run_block(data: Data) -> str:
    """The markdown section for one corpus size (or one labelled run)."""
    facts, key = data["facts"], block_key(data)
    title = f"### {facts:,} facts" + (f": {data['label']}" if data.get("label") else "")
    parts = [
        f"<!-- run:{key}:start -->",
        f"<!-- data: {json.dumps(summary_data(data), sort_keys=True)} -->",
        title,
        "",
        _context(data),
        "",
        *([*_build_table(data), "", _database_line(data), ""] if _built(data) else []),
        *([*_checks_table(data), ""] if data.get("checks") else []),
        *_serve_section(data),
        "",
        *(
            [f"Serve settings added for this run: `{' '.join(data['serve_extra'])}`.", ""]
            if data.get("serve_extra")
            else []
        ),
        f"<!-- run:{key}:end -->",
    ]
    return "\n".join(parts)


def _context(data: Data) -> str:
    machine, corpus = data["machine"], data["corpus"]
    generated = f", generated in {seconds(corpus['generate_s'])}" if corpus.get("generate_s") else ""
    refused = corpus.get("refused") or []
    return (
        f"Measured {machine['date']} on {machine['cpus']} × {machine['cpu_model']}, {machine['memory']} RAM, "
        f"Python {machine['python']}, SQLite {machine['sqlite']}, Datasette {machine.get('datasette', '?')}, "
        f"load average {machine.get('load', '?')} at the start (other work on the machine slows everything "
        f"alike: compare ratios); commit {data['commit']}. Corpus (seed {data['seed']}): "
        f"{corpus['fact_files']:,} fact files ({megabytes(corpus['facts_mb'])}), {corpus['sources']:,} sources "
        f"({megabytes(corpus['sources_mb'])}), {corpus['entities']:,} entities{generated}"
        + (f"; {len(refused)} generated fact(s) the checks refuse dropped first" if refused else "")
        + f". Times are the median of {data['repeats']} interleaved run(s); peak memory the largest."
    )


def _built(data: Data) -> bool:
    """Whether this run measured any build step (a run with `--steps ""` only serves)."""
    return any(data.get(key) for key, _ in STEPS)


STEPS = (
    ("build", "`build.py build`: the full validated build"),
    ("floor", "the write floor: SQLite alone writing the same file again (`write_floor.py`)"),
    ("sqlite_utils", "`sqlite-utils` insert_all with defaults, 3 indexes"),
    ("baseline", "bare load: `json` + `sqlite3` executemany, 3 indexes"),
)
CHECKS = (
    ("check", "`build.py check`: every fact of the corpus"),
    ("check_changed", "`build.py check --changed HEAD`: one fact file changed"),
    ("check_project", "`build.py check` of the project's own data"),
)


def _steps_table(data: Data, steps: tuple[tuple[str, str], ...], base_key: str, base_name: str) -> list[str]:
    """Rows of measured steps with their ratio to the step `base_key`."""
    rows = [
        f"| step | median wall | × {base_name} | median CPU | peak memory, all processes (PSS) | each run |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    base = data.get(base_key) or (data.get("checks") or {}).get(base_key) or {}
    found = {**data, **(data.get("checks") or {})}
    for key, label in steps:
        step = found.get(key)
        if not step:
            continue
        if not step["ok"]:
            rows.append(f"| {label} | failed | | | | `{(step['error'] or '').splitlines()[-1:]}` |")
            continue
        times = ", ".join(f"{value:,.2f}" for value in step["runs_s"])
        tree = step.get("tree_mb") or step["peak_mb"]  # 0: ended before the first sample
        rows.append(
            f"| {label} | {seconds(step['median_s'])} | {ratio(_ratio(step['median_s'], base.get('median_s')))} | "
            f"{seconds(step.get('median_cpu_s'))} | {megabytes(tree)} | {times} s |"
        )
    return rows


def _build_table(data: Data) -> list[str]:
    return _steps_table(data, STEPS, "floor", "floor")


def _checks_table(data: Data) -> list[str]:
    return _steps_table(data, CHECKS, "check", "full check")


def _ratio(value: float | None, base: float | None) -> float | None:
    return value / base if value is not None and base else None


def _database_line(data: Data) -> str:
    sizes = data.get("database", {})
    if not sizes or sizes.get("build_mb") is None:
        return ""
    return (
        f"Database size: `facts.db` {megabytes(sizes['build_mb'])}, "
        f"{megabytes(sizes['build_mb_per_million'])} per million facts."
    )


def _serve_section(data: Data) -> list[str]:
    serve = data.get("serve")
    if not serve:
        return ["Readers: not measured in this run."]
    lines = [
        f"The production server (`{serve.get('command', '')}`) read by {serve['readers']} concurrent readers for "
        f"{seconds(serve['seconds'])} (at most {serve['cap']:,} requests each): {serve['requests']:,} requests "
        f"({serve['requests'] / max(serve['seconds'], 0.001):,.1f}/s). `datasette inspect` took "
        f"{seconds(serve['inspect_s'])}; the server answered {seconds(serve['startup_s'])} after starting.",
        "",
        "| page | path (example) | alone | requests | errors | median | p95 | max | note |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for kind, page in serve["pages"].items():
        statuses = ", ".join(f"{code}: {count}" for code, count in page["statuses"].items())
        note = "; ".join(filter(None, [page["note"], f"statuses {statuses}" if page["errors"] else ""]))
        lines.append(
            f"| {kind} | `{page['path']}` | {milliseconds(page.get('alone_ms'))} | {page['requests']:,} | "
            f"{page['errors']:,} | "
            f"{milliseconds(page['median_ms'])} | {milliseconds(page['p95_ms'])} | {milliseconds(page['max_ms'])} "
            f"| {note} |"
        )
    for kind, reason in serve["skipped"].items():
        lines.append(f"| {kind} | | | | | | | | not measured: {reason} |")
    return lines


def goals(data: Data) -> list[tuple[str, str, str, bool | None]]:
    """(goal, target, measured, met) for one run (issue 20's and issue 21's goals)."""
    build, floor, checks = data.get("build") or {}, data.get("floor") or {}, data.get("checks") or {}
    found: list[tuple[str, str, str, bool | None]] = []
    if build.get("ok") and floor.get("ok"):
        factor = build["median_s"] / floor["median_s"]
        measured = f"{seconds(build['median_s'])} vs {seconds(floor['median_s'])}: {ratio(factor)}"
        found.append(("build vs the write floor", "at most 2×", measured, factor <= 2))
    if build.get("ok"):
        memory = build.get("tree_mb") or build["peak_mb"]
        found.append(("build peak memory (all processes)", "under 500 MB", megabytes(memory), memory < 500))
    full, changed, project = (checks.get(key) or {} for key in ("check", "check_changed", "check_project"))
    if full.get("ok") and changed.get("ok"):
        share = changed["median_s"] / full["median_s"]
        measured = f"{seconds(changed['median_s'])} vs {seconds(full['median_s'])}: {ratio(share)}"
        if data["facts"] >= 1_000_000:
            found.append(("`check --changed`, one file", "under 5 s", measured, changed["median_s"] < 5))
        elif data["facts"] >= 100_000:  # below, start-up is most of either
            found.append(("`check --changed` vs a full check", "at most 0.1×", measured, share <= 0.1))
    if project.get("ok"):
        wall = project["median_s"]
        found.append(("`check` of the project's own data", "under 1.0 s", seconds(wall), wall < 1.0))
    serve = data.get("serve")
    if serve:
        pages = serve["pages"].values()
        medians = [page["median_ms"] for page in pages]
        p95s = [page["p95_ms"] for page in pages]
        errors = sum(page["errors"] for page in pages)
        worst_median = max((value for value in medians if value is not None), default=None)
        worst_p95 = max((value for value in p95s if value is not None), default=None)
        found += [
            ("readers: median of every page", "under 250 ms", f"worst {milliseconds(worst_median)}",
             None if None in medians else worst_median is not None and worst_median < 250),
            ("readers: p95 of every page", "under 1 s", f"worst {milliseconds(worst_p95)}",
             None if None in p95s else worst_p95 is not None and worst_p95 < 1000),
            ("readers: errors", "zero", f"{errors:,}", errors == 0),
        ]  # fmt: skip
    return found


# --- Across sizes -------------------------------------------------------------------


def summary_data(data: Data) -> Data:
    """What the tables across sizes need, carried in each block's data line."""

    def median(step: Data | None) -> float | None:
        return step["median_s"] if step and step.get("ok") else None

    checks = data.get("checks") or {}
    build = data.get("build") or {}
    return {
        "facts": data["facts"],
        "build_s": median(build),
        "build_mb": (build.get("tree_mb") or build.get("peak_mb")) if build.get("ok") else None,
        "floor_s": median(data.get("floor")),
        "utils_s": median(data.get("sqlite_utils")),
        "check_s": median(checks.get("check")),
        "changed_s": median(checks.get("check_changed")),
        "goals": [[goal, target, measured, flag] for goal, target, measured, flag in goals(data)],
        "date": data["machine"]["date"],
    }


def summary_tables(blocks: dict[str, str]) -> list[str]:
    """The goals of every run, then its main figures, one row per run."""
    rows = [json.loads(match[1]) for key in sorted(blocks, key=_sort_key) if (match := _DATA_LINE.search(blocks[key]))]
    lines = ["### The goals", "", "| run | goal | target | measured | met |", "| --- | --- | --- | --- | --- |"]
    for key, row in zip(sorted(blocks, key=_sort_key), rows, strict=True):
        lines += [
            f"| {_run_name(key)} | {goal} | {target} | {measured} | {met(flag)} |"
            for goal, target, measured, flag in row.get("goals", [])
        ]
    lines += [
        "",
        "### Across corpus sizes",
        "",
        "| run | build | floor | × floor | sqlite-utils | build peak memory | full check | `check --changed` "
        "| measured |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for key, row in zip(sorted(blocks, key=_sort_key), rows, strict=True):
        if not any(row.get(name) for name in ("build_s", "floor_s", "utils_s", "check_s", "changed_s")):
            continue  # a run that only served
        lines.append(
            f"| {_run_name(key)} | {seconds(row.get('build_s'))} | {seconds(row.get('floor_s'))} | "
            f"{ratio(_ratio(row.get('build_s'), row.get('floor_s')))} | {seconds(row.get('utils_s'))} | "
            f"{megabytes(row.get('build_mb'))} | {seconds(row.get('check_s'))} | {seconds(row.get('changed_s'))} | "
            f"{row['date']} |"
        )
    return lines


def _run_name(key: str) -> str:
    size, _, label = key.partition("-")
    return f"{int(size):,} facts" + (f" ({label})" if label else "")


# --- The file -----------------------------------------------------------------------


def _between(text: str, start: str, end: str, content: str) -> str:
    if start not in text or end not in text:
        text = text.rstrip("\n") + f"\n\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{content}\n{end}{tail}"


def update_run(path: Path, data: Data) -> None:
    """Replace (or add) the block of this corpus size and the table across sizes."""
    text = path.read_text(encoding="utf-8") if path.exists() else SKELETON
    region = text.split(RESULTS_START, 1)[1].split(RESULTS_END, 1)[0] if RESULTS_START in text else ""
    blocks = {match[1]: match[0] for match in _RUN_BLOCK.finditer(region)}
    blocks[block_key(data)] = run_block(data)
    ordered = sorted(blocks, key=_sort_key)
    content = "\n".join(summary_tables(blocks)) + "\n\n" + "\n\n".join(blocks[key] for key in ordered)
    path.write_text(_between(text, RESULTS_START, RESULTS_END, content), encoding="utf-8")


def update_profile(path: Path, content: str, markers: tuple[str, str] = (PROFILE_START, PROFILE_END)) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else SKELETON
    path.write_text(_between(text, *markers, content), encoding="utf-8")


def show_block(path: Path, content: str, markers: tuple[str, str], record: bool) -> None:
    """Print a generated block and, if `record`, put it between its markers in `path`."""
    print(content)
    if record:
        update_profile(path, content, markers)
        print(f"wrote {path.name} between {markers[0]} and {markers[1]}", file=sys.stderr)
