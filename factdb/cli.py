"""The command line: `python build.py [build|check|serve|generate] ...`.

Exit codes: 0 success, 1 invalid data, 2 wrong usage. Problems are printed
as `path:line:column: field: message`, every one of them, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
from pathlib import Path

from factdb import coverage, pipeline, publishing
from factdb.problems import DataError, Problem

DEFAULT_OUTPUT = Path("dist") / "facts.db"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build and publish the fact database.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--root", type=Path, default=publishing.PROJECT, help="folder holding facts/ and sources/")
        return sub

    build = command("build", "validate everything and write the database (the default command)")
    build.add_argument("--output", type=Path, help="database to write (default: ROOT/dist/facts.db)")
    command("check", "validate everything without writing a database")
    serve = command("serve", "build, then serve the database read-only with Datasette")
    serve.add_argument("--output", type=Path, help="database to write and serve (default: ROOT/dist/facts.db)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    coverage = command("coverage", "build, then list each source's sentences: cited, excluded, uncovered")
    coverage.add_argument("source_id", nargs="?", help="only this source")
    coverage.add_argument("--output", type=Path, help="database to write (default: ROOT/dist/facts.db)")
    command("generate", "rewrite metadata.json and the JSON Schema files from the models")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (arguments[0].startswith("-") and arguments[0] not in {"-h", "--help"}):
        arguments.insert(0, "build")  # `python build.py` alone means build
    options = _parser().parse_args(arguments)
    root = options.root.resolve()
    if not root.is_dir():
        print(f"build.py: error: --root {options.root} is not a folder", file=sys.stderr)
        return 2
    if options.command == "generate":
        for path, content in publishing.generated_files().items():
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path.relative_to(publishing.PROJECT)}")
        return 0
    output = None
    if options.command in {"build", "serve", "coverage"}:
        output = (options.output or root / DEFAULT_OUTPUT).resolve()
    try:
        warnings = pipeline.run(root, output)
    except DataError as error:
        _report(error.problems)
        return 1
    _report(warnings)
    if output is not None:
        print(f"wrote {output}", file=sys.stderr)
    if options.command == "serve":
        return publishing.serve(output, options.host, options.port)
    if options.command == "coverage":
        return _coverage(output, options.source_id)
    return 0


def _coverage(database: Path, source_id: str | None) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        known = {row[0] for row in connection.execute("SELECT id FROM source")}
        if source_id is not None and source_id not in known:
            print(
                f"build.py: error: unknown source {source_id!r}; sources: {', '.join(sorted(known))}", file=sys.stderr
            )
            return 2
        print(coverage.report(connection, source_id))
    return 0


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(problem.severity == "error" for problem in problems)
    if problems:
        print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
