"""Problems printed for people (text), for GitHub pull requests (annotations) and for tools (JSON)."""

from __future__ import annotations

import json
from typing import Literal

from factdb.problems import Problem

Format = Literal["text", "github", "json"]


def _github_escape(text: str, in_property: bool = False) -> str:
    # The escaping GitHub's workflow commands require (see "Workflow commands for GitHub Actions").
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if in_property else text


def github_annotation(problem: Problem) -> str:
    """`::error file=...,line=...,col=...,title=...::message`: shown on the pull request's line."""
    properties = ",".join(
        f"{key}={_github_escape(str(value), in_property=True)}"
        for key, value in (
            ("file", problem.path),
            ("line", problem.line),
            ("col", problem.column),
            ("title", problem.field),
        )
    )
    return f"::{problem.severity} {properties}::{_github_escape(problem.message)}"


def render(problems: list[Problem], output_format: Format, checked: str = "") -> str:
    """All problems in one format, with a closing count for people; when there is no error, that
    count follows what was `checked` (if given), so that a silent success still says what passed."""
    if output_format == "json":
        return json.dumps(
            [
                {
                    "path": p.path,
                    "line": p.line,
                    "column": p.column,
                    "field": p.field,
                    "severity": p.severity,
                    "message": p.message,
                }
                for p in problems
            ],
            indent=2,
            ensure_ascii=False,
        )
    lines = [github_annotation(p) if output_format == "github" else str(p) for p in problems]
    errors = sum(p.severity == "error" for p in problems)
    counts = f"{errors} error(s), {len(problems) - errors} warning(s)" if problems else "no problems"
    if checked and not errors:
        lines.append(f"{checked}: {counts}")
    elif problems:
        lines.append(counts)
    return "\n".join(lines)
