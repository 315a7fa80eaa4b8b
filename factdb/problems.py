"""Problems found in the data: what, where, and how they are reported.

Every check in the project reports a `Problem` instead of raising, so that one
run lists every mistake in every file. A problem points at a JSON location
(`loc`, the path of keys and indexes pydantic uses); `locate` turns it into a
line and column of the file when the problem is reported.
"""

from __future__ import annotations

import json
import re
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
        return visible(f"{self.path}:{self.line}:{self.column}: {self.field}: {prefix}{self.message}")


def visible(text: str) -> str:
    """One problem is one line: characters a terminal would hide, or that break or reorder a
    line (newlines, bidirectional overrides, zero-width characters), are shown as escapes."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def field_name(loc: Loc) -> str:
    """Render a location the way a reader names a field: facts[3].citations[0].quote.

    A key that is not a plain name (an unknown field with spaces, invisible characters
    or a thousand letters) is shown quoted, escaped and shortened: ["a b"].
    """
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            name += f".{part}" if name else part
        else:
            shown = part if len(part) <= 60 else part[:57] + "..."
            name += f"[{json.dumps(shown)}]"
    return name or "(file)"


_PLAIN_KEY = re.compile(r"[$A-Za-z_][A-Za-z0-9_$-]{0,59}")


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
            except (json.JSONDecodeError, ValueError, IndexError, KeyError, TypeError, RecursionError):
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
