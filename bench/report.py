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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.measure import Series

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


def alternated_header() -> list[str]:
    """The head of a table of commands run alternately with the bare baseline."""
    return ["| step | wall | × bare baseline | CPU | each run |", "| --- | ---: | ---: | ---: | --- |"]


def alternated_baseline_row(baseline: Series) -> str:
    return alternated_row("bare baseline: `json` + `sqlite3` executemany, 2 tables, 3 indexes", baseline, baseline)


def alternated_row(label: str, step: Series, baseline: Series) -> str:
    """A row of that table: the step's median wall and CPU time, and its runs."""
    each = ", ".join(f"{run.seconds:.1f}" for run in step.runs)
    return (
        f"| {label} | {seconds(step.seconds)} | {ratio(step.seconds / baseline.seconds)} | "
        f"{seconds(step.cpu_seconds)} | {each} s |"
    )


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
        *([*_build_table(data), ""] if _built(data) else []),
        _database_line(data),
        "",
        *_serve_section(data),
        "",
        "Goals (bench/README.md; they are set for 1,000,000 facts):",
        "",
        *_goals_table(data),
        *(
            [f"Serve settings added for this run: `{' '.join(data['serve_extra'])}`."]
            if data.get("serve_extra")
            else []
        ),
        f"<!-- run:{key}:end -->",
    ]
    return "\n".join(parts)


def _context(data: Data) -> str:
    machine, corpus = data["machine"], data["corpus"]
    generated = f", generated in {seconds(corpus['generate_s'])}" if corpus.get("generate_s") else ""
    return (
        f"Measured {machine['date']} on {machine['cpus']} × {machine['cpu_model']}, {machine['memory']} RAM, "
        f"Python {machine['python']}, SQLite {machine['sqlite']}, load average {machine.get('load', '?')} at the "
        f"start (other work on the machine slows everything alike; compare ratios); project commit {data['commit']}. "
        f"Corpus (seed {data['seed']}): {corpus['fact_files']:,} fact files ({megabytes(corpus['facts_mb'])}), "
        f"{corpus['sources']:,} sources ({megabytes(corpus['sources_mb'])}), {corpus['entities']:,} entities"
        f"{generated}. "
        + (
            f"Times are the median of {data['repeats']} run(s), interleaved; peak memories are the largest of the runs."
            if _built(data)
            else "Serving only: the database built before (at the commit of that build) is served, not built again."
        )
        + (f" Build memory (PSS): {data['build']['tree_mb_note']}." if _note(data) else "")
    )


def _built(data: Data) -> bool:
    """Whether this run measured any build step (a run with `--steps ""` only serves)."""
    return any(data.get(key) for key, _ in STEPS)


STEPS = (
    ("build", "`build.py build`: the full validated build"),
    ("baseline", "bare baseline: `json` + `sqlite3` executemany, 3 indexes"),
    ("sqlite_utils", "`sqlite-utils` insert_all with defaults, 3 indexes"),
)


def _note(data: Data) -> bool:
    return bool((data.get("build") or {}).get("tree_mb_note"))


def _build_table(data: Data) -> list[str]:
    rows = [
        "| step | median wall | × bare baseline | median CPU (user+sys) | CPU × baseline | peak memory, all processes "
        "(PSS) | peak RSS, largest process | each run |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    base = data.get("baseline") or {}
    for key, label in STEPS:
        step = data.get(key)
        if not step:
            continue
        if not step["ok"]:
            rows.append(f"| {label} | failed | | | | | | `{(step['error'] or '').splitlines()[-1:]}` |")
            continue
        times = ", ".join(f"{value:,.1f}" for value in step["runs_s"])
        cpu, tree = step.get("median_cpu_s"), step.get("tree_mb") or None  # 0: ended before a sample
        rows.append(
            f"| {label} | {seconds(step['median_s'])} | {ratio(_ratio(step['median_s'], base.get('median_s')))} | "
            f"{seconds(cpu)} | {ratio(_ratio(cpu, base.get('median_cpu_s')))} | {megabytes(tree)} | "
            f"{megabytes(step['peak_mb'])} | {times} s |"
        )
    return rows


def _ratio(value: float | None, base: float | None) -> float | None:
    return value / base if value is not None and base else None


def _database_line(data: Data) -> str:
    sizes = data.get("database", {})
    if not sizes:
        return ""
    line = (
        f"Database size: `facts.db` {megabytes(sizes['build_mb'])}, that is "
        f"**{megabytes(sizes['build_mb_per_million'])} per million facts**"
    )
    if sizes.get("baseline_mb") is not None:
        line += f" (the bare baseline's two tables: {megabytes(sizes['baseline_mb'])})"
    return line + "."


def _serve_section(data: Data) -> list[str]:
    serve = data.get("serve")
    if not serve:
        return ["Datasette: not measured in this run."]
    lines = [
        f"Datasette {data['machine'].get('datasette', '')} serving `facts.db` with the production command "
        f"(`{serve.get('command', '')}`): {serve['readers']} concurrent readers for {seconds(serve['seconds'])} "
        f"(cap {serve['cap']:,} requests each), {serve['requests']:,} requests in all "
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
    """(goal, target, measured, met) for one run."""
    build, base, utils = data.get("build", {}), data.get("baseline", {}), data.get("sqlite_utils", {})
    found: list[tuple[str, str, str, bool | None]] = []
    if build.get("ok") and base.get("ok"):
        factor = build["median_s"] / base["median_s"]
        cpu = _ratio(build.get("median_cpu_s"), base.get("median_cpu_s"))
        measured = f"{ratio(factor)} wall ({ratio(cpu)} CPU time)"
        found.append(("validated build vs bare baseline", "at most 2×", measured, factor <= 2))
    if build.get("ok") and utils.get("ok"):
        measured = f"{seconds(build['median_s'])} vs {seconds(utils['median_s'])}"
        found.append(
            ("validated build vs sqlite-utils insert_all", "faster", measured, build["median_s"] < utils["median_s"])
        )
    if build.get("ok"):
        memory = peak_memory(build)
        found.append(("build peak memory (all processes)", "under 500 MB", megabytes(memory), memory < 500))
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


def peak_memory(step: Data) -> float:
    """The build's memory: all its processes (PSS) when sampled, else the largest process's RSS."""
    return step.get("tree_mb") or step["peak_mb"]


def _goals_table(data: Data) -> list[str]:
    rows = ["| goal | target | measured | met |", "| --- | --- | --- | --- |"]
    rows += [f"| {goal} | {target} | {measured} | {met(flag)} |" for goal, target, measured, flag in goals(data)]
    return rows


# --- Across sizes -------------------------------------------------------------------


def summary_data(data: Data) -> Data:
    """The few numbers the table across sizes needs, carried in each block."""
    build, base, utils = data.get("build") or {}, data.get("baseline") or {}, data.get("sqlite_utils") or {}
    return {
        "facts": data["facts"],
        "files": data["corpus"]["fact_files"],
        "build_s": build.get("median_s") if build.get("ok") else None,
        "build_mb": peak_memory(build) if build.get("ok") else None,
        "baseline_s": base.get("median_s") if base.get("ok") else None,
        "baseline_mb": base.get("peak_mb") if base.get("ok") else None,
        "utils_s": utils.get("median_s") if utils.get("ok") else None,
        "db_mb_per_million": (data.get("database") or {}).get("build_mb_per_million"),
        "date": data["machine"]["date"],
    }


def summary_table(blocks: dict[str, str]) -> list[str]:
    rows = [
        "### Across corpus sizes",
        "",
        "Each size has its own sources (one per 50 facts), so memory across sizes grows with sources as well as "
        "fact files; the flat-memory table above keeps the sources fixed.",
        "",
        "| run | fact files | build | bare baseline | × baseline | sqlite-utils | build peak memory | "
        "baseline peak RSS | DB per million facts | measured |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for key in sorted(blocks, key=_sort_key):
        match = _DATA_LINE.search(blocks[key])
        if not match:
            continue
        row = json.loads(match[1])
        if row["build_s"] is None and row["baseline_s"] is None and row["utils_s"] is None:
            continue  # a run that only served: nothing to compare across sizes
        factor = row["build_s"] / row["baseline_s"] if row["build_s"] and row["baseline_s"] else None
        rows.append(
            f"| {_run_name(key)} | {row['files']:,} | {seconds(row['build_s'])} | {seconds(row['baseline_s'])} | "
            f"{ratio(factor)} | {seconds(row['utils_s'])} | {megabytes(row['build_mb'])} | "
            f"{megabytes(row['baseline_mb'])} | {megabytes(row['db_mb_per_million'])} | {row['date']} |"
        )
    return rows


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
    content = "\n".join(summary_table(blocks)) + "\n\n" + "\n\n".join(blocks[key] for key in ordered)
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
