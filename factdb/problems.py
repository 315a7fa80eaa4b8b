"""Problems found in the data: what, where, and how they are reported.

Every check in the project reports a `Problem` instead of raising, so that one
run lists every mistake in every file. A problem points at a JSON location
(`loc`, the path of keys and indexes pydantic uses); `locate` turns it into a
line and column of the file when the problem is reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from json_source_map import calculate

Loc = tuple[str | int, ...]
Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {prefix}{self.message}"


def field_name(loc: Loc) -> str:
    """Render a location the way a reader names a field: facts[3].citations[0].quote."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name or "(file)"


@dataclass
class FileProblems:
    """Collects the problems of one file and locates them in its text on demand."""

    path: str
    text: str
    problems: list[Problem] = field(default_factory=list)
    _map: dict | None = None

    def add(self, loc: Loc, message: str, severity: Severity = "error") -> None:
        line, column = self._position(loc)
        self.problems.append(Problem(self.path, line, column, field_name(loc), message, severity))

    def add_at(self, line: int, column: int, message: str, field: str = "(file)") -> None:
        self.problems.append(Problem(self.path, line, column, field, message))

    def _position(self, loc: Loc) -> tuple[int, int]:
        """1-based line and column of the value at loc, or of its nearest existing parent."""
        if self._map is None:
            # Computed only for files with problems: the valid path never pays for it.
            try:
                self._map = calculate(self.text)
            except (json.JSONDecodeError, ValueError, IndexError, KeyError, TypeError):
                self._map = {}
        for depth in range(len(loc), -1, -1):
            entry = self._map.get(_pointer(loc[:depth]))
            if entry is not None:
                # A missing field points at the object that lacks it.
                return entry.value_start.line + 1, entry.value_start.column + 1
        return 1, 1


def _pointer(loc: Loc) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in loc)


class DataError(Exception):
    """The project's own error: invalid data, reported as a list of problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
