"""The command line: `python build.py COMMAND ...` (`python build.py --help` lists them).

Exit codes: 0 success, 1 invalid data (or, for `fmt --check` and `diff`, files
to reformat or published facts removed), 2 wrong usage, or a file that cannot be
written or read (a read-only folder, a full disk: the message names the path; the
previous database is left as it was). Problems are printed as
`path:line:column: field: message`, every one of them, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

# Only what check and build need: the other commands import their modules when run (start-up
# time is most of a check of a small project).
from factdb import (
    export,
    history,
    pipeline,
    publishing,
    reporting,
)
from factdb.gitrepo import GitError
from factdb.problems import DataError
from schema.vocabulary import PREDICATES

DEFAULT_OUTPUT = Path("dist") / "facts.db"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build, check and publish the fact database.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, output: bool = False) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--root", type=Path, default=publishing.PROJECT, help="folder holding facts/ and sources/")
        if name in {"build", "check", "serve", "coverage"}:
            sub.add_argument("--jobs", type=int, help="worker processes checking fact files (default: one per core)")
        if output:
            sub.add_argument("--output", type=Path, help="database to write (default: ROOT/dist/facts.db)")
        return sub

    command("build", "validate everything and write the database (the default command)", output=True)
    check = command("check", "validate everything without writing a database")
    check.add_argument(
        "--format", choices=["text", "github", "json"], default="text", help="github: pull request annotations"
    )
    check.add_argument(
        "--changed",
        metavar="BASE",
        help="check only the data files changed since the git revision BASE (and the facts referring to changed "
        "entities and sources), against an index of the rest",
    )
    check.add_argument(
        "--against",
        type=Path,
        metavar="DB",
        help="with --changed: the index, a database of BASE (default: the one the last full check kept, "
        "ROOT/dist/.check-index.db)",
    )
    serve = command("serve", "build, then serve the database read-only with Datasette", output=True)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    cover = command("coverage", "build, then list each source's sentences: cited, excluded, uncovered", output=True)
    cover.add_argument("source_id", nargs="?", help="only this source")
    fmt = command("fmt", "rewrite data files in the canonical layout (key order, indentation, sorted ids)")
    fmt.add_argument("--check", action="store_true", help="change nothing; fail if a file is not canonical")
    diff = command("diff", "the data changes since a git revision, as Markdown (facts and entities by id)")
    diff.add_argument("base", help="git revision to compare with, e.g. origin/main")
    new = command("new", "archive a new article and start its fact file")
    new.add_argument("text_file", type=Path, help="the article's text, UTF-8")
    new.add_argument("--title", required=True)
    new.add_argument("--publisher", help="who published it (leave out if the text does not say)")
    new.add_argument("--date", help="publication date in EDTF, e.g. 2024-05-01 or 2024-05")
    new.add_argument("--inferred", metavar="REASONING", help="the date is inferred: say how")
    new.add_argument("--url", help="the article's address, only if known")
    new.add_argument("--id", dest="source_id", help="source id (default: from publisher, year and title)")
    drafted = command("draft", "propose the facts of an archived source, each marked as a draft to review")
    drafted.add_argument("source_id", help="the source to draft, e.g. vov-2018-quang-japan")
    drafted.add_argument("--output", type=Path, help="fact file to add to (default: ROOT/facts/SOURCE_ID.json)")
    command("generate", "rewrite metadata.json, the JSON Schema files and docs/vocabulary.md from the models")
    vocabulary = command("vocabulary", "the predicates (types, value, qualifiers, an example) and alias kinds")
    vocabulary.add_argument("predicate", nargs="?", help="show only this predicate, in full")
    exported = command("export", "write the data files back from a database into a new folder DIR")
    exported.add_argument("folder", type=Path, metavar="DIR", help="new or empty folder to write into")
    exported.add_argument("--database", type=Path, help="database to read (default: ROOT/dist/facts.db)")
    packaged = command("package", "write every table as CSV with a Frictionless datapackage.json into DIR")
    packaged.add_argument("folder", type=Path, metavar="DIR", help="new or empty folder to write into")
    packaged.add_argument("--database", type=Path, help="database to read (default: ROOT/dist/facts.db)")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (arguments[0].startswith("-") and arguments[0] not in {"-h", "--help"}):
        arguments.insert(0, "build")  # `python build.py` alone means build
    options = _parser().parse_args(arguments)
    options.root = options.root.resolve()
    if not options.root.is_dir():
        return _usage_error(f"--root {options.root} is not a folder")
    try:
        return COMMANDS[options.command](options)
    except (OSError, sqlite3.Error) as error:  # the disk, not the data: read-only, full, missing
        return _usage_error(_system_error(error, options))


def _system_error(error: OSError | sqlite3.Error, options: argparse.Namespace) -> str:
    """Name the path: the file the system refused, else the database being written."""
    reason = getattr(error, "strerror", None) or str(error)
    filename = getattr(error, "filename", None)
    if hasattr(options, "output"):
        output = _output(options)
        if filename is None or Path(filename).parent == output.parent:  # its temporary file, beside it
            return f"cannot write {output}: {reason}"
    return f"{filename}: {reason}" if filename else reason


def _usage_error(message: str) -> int:
    print(f"build.py: error: {message}", file=sys.stderr)
    return 2


def _validate(
    options: argparse.Namespace, output: Path | None, output_format: reporting.Format = "text", summary: bool = False
) -> bool:
    """Run the pipeline and print its problems (and, with `summary`, what it checked); true when
    the data is valid."""
    checked = pipeline.Checked()
    try:
        problems = pipeline.run(options.root, output, options.jobs, checked)
    except DataError as error:
        problems = error.problems
    text = reporting.render(problems, output_format, str(checked) if summary else "")
    if text:
        print(text, file=sys.stderr if output_format == "text" else sys.stdout)
    return not any(problem.severity == "error" for problem in problems)


def _output(options: argparse.Namespace) -> Path:
    return (options.output or options.root / DEFAULT_OUTPUT).resolve()


def _build(options: argparse.Namespace) -> int:
    output = _output(options)
    if not _validate(options, output):
        return 1
    if (reason := history.absence(output)) is not None:
        print(f"build.py: warning: no history of the facts ({reason}): the fact_change table is empty", file=sys.stderr)
    print(f"wrote {output}", file=sys.stderr)
    return 0


def _check(options: argparse.Namespace) -> int:
    if options.changed is not None:
        return _check_changed(options)
    if options.against is not None:
        return _usage_error("--against DB goes with --changed BASE")
    # For people only: the other formats are read by tools, and print nothing when all is well.
    return 0 if _validate(options, None, options.format, summary=options.format == "text") else 1


def _check_changed(options: argparse.Namespace) -> int:
    from factdb import incremental

    checked = incremental.CheckedChanges()
    try:
        problems = incremental.run(options.root, options.changed, options.against, options.jobs, checked)
    except incremental.UnusableIndex as error:
        return _usage_error(str(error))
    except DataError as error:
        problems = error.problems
    # As a full check: what was checked, for people only.
    if text := reporting.render(problems, options.format, str(checked) if options.format == "text" else ""):
        print(text, file=sys.stderr if options.format == "text" else sys.stdout)
    return 1 if any(problem.severity == "error" for problem in problems) else 0


def _serve(options: argparse.Namespace) -> int:
    # Before building: the server holding the port may be serving the database a build replaces.
    if reason := publishing.unusable_port(options.host, options.port):
        return _usage_error(
            f"cannot serve on {options.host}:{options.port}: {reason}; nothing was built "
            "(stop that server, or choose another port with --port)"
        )
    return _build(options) or publishing.serve(_output(options), options.host, options.port)


def _coverage(options: argparse.Namespace) -> int:
    from factdb import coverage

    if _build(options):
        return 1
    with contextlib.closing(sqlite3.connect(f"file:{_output(options)}?mode=ro", uri=True)) as connection:
        known = {row[0] for row in connection.execute("SELECT id FROM source")}
        if options.source_id is not None and options.source_id not in known:
            return _usage_error(f"unknown source {options.source_id!r}; sources: {', '.join(sorted(known))}")
        print(coverage.report(connection, options.source_id))
    return 0


def _fmt(options: argparse.Namespace) -> int:
    from factdb import formatting

    changed, unreadable = formatting.format_files(options.root, write=not options.check)
    for path, reason in unreadable:
        print(
            f"{path.relative_to(options.root)}: not rewritten ({reason}); run `python build.py check`", file=sys.stderr
        )
    verb = "would reformat" if options.check else "reformatted"
    for path in changed:
        print(f"{verb} {path.relative_to(options.root)}", file=sys.stderr)
    if options.check and changed:
        print("run `python build.py fmt` to fix the layout", file=sys.stderr)
    return 1 if unreadable or (options.check and changed) else 0


def _diff(options: argparse.Namespace) -> int:
    from factdb import datadiff

    try:
        changes = datadiff.diff(options.root, options.base)
    except GitError as error:
        return _usage_error(f"cannot read revision {options.base!r}: {error}")
    print(changes.markdown())
    return 1 if changes.facts.removed else 0


def _new(options: argparse.Namespace) -> int:
    from factdb import scaffold

    request = scaffold.NewSource(
        text_file=options.text_file,
        title=options.title,
        publisher=options.publisher,
        published=options.date,
        reasoning=options.inferred,
        url=options.url,
        source_id=options.source_id,
    )
    try:
        written = scaffold.create(options.root, request)
    except scaffold.ScaffoldError as error:
        return _usage_error(str(error))
    for path in written:
        print(f"wrote {path.relative_to(options.root)}")
    fact_file, source_id = written[-1].relative_to(options.root), written[0].stem
    print(
        f"next: `python build.py draft {source_id}` proposes its facts in {fact_file} for you to review; then "
        f"`python build.py check` and `python build.py coverage {source_id}`"
    )
    return 0


def _draft(options: argparse.Namespace) -> int:
    from factdb import drafting

    try:
        path, count = drafting.draft_file(options.root, options.source_id, options.output)
    except drafting.DraftError as error:
        return _usage_error(str(error))
    print(f"added {count} draft facts to {path}")
    print(
        'next: review each fact marked "draft" against its quote, correct it, delete the marker, and run '
        "`python build.py check`"
    )
    return 0


def _generate(options: argparse.Namespace) -> int:
    # Into --root, like every command: a test regenerates into a new folder and compares.
    for path, content in publishing.generated_files().items():
        relative = path.relative_to(publishing.PROJECT)
        (options.root / relative).parent.mkdir(parents=True, exist_ok=True)
        (options.root / relative).write_text(content, encoding="utf-8")
        print(f"wrote {relative}")
    return 0


def _vocabulary(options: argparse.Namespace) -> int:
    from factdb import glossary, validation

    if options.predicate is None:
        print(glossary.document(), end="")
        return 0
    predicate = PREDICATES.get(options.predicate)
    if predicate is None:
        hint = validation.did_you_mean(options.predicate, PREDICATES)
        return _usage_error(f"unknown predicate {options.predicate!r}{hint} (`python build.py vocabulary` lists all)")
    print(glossary.predicate_section(predicate), end="")
    return 0


def _export(options: argparse.Namespace) -> int:
    return _write_folder(options, export.export)


def _package(options: argparse.Namespace) -> int:
    from factdb import package

    return _write_folder(options, package.package)


def _write_folder(options: argparse.Namespace, write: Callable[[Path, Path], list[Path]]) -> int:
    database = (options.database or options.root / DEFAULT_OUTPUT).resolve()
    try:
        written = write(database, options.folder.resolve())
    except export.ExportError as error:
        return _usage_error(str(error))
    print(f"wrote {len(written)} files to {options.folder}", file=sys.stderr)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _build,
    "check": _check,
    "serve": _serve,
    "coverage": _coverage,
    "fmt": _fmt,
    "diff": _diff,
    "new": _new,
    "draft": _draft,
    "generate": _generate,
    "vocabulary": _vocabulary,
    "export": _export,
    "package": _package,
}
