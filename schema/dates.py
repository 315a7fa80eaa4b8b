"""EDTF dates: validation and the earliest/latest calendar day a date can mean.

Every date in the project is an EDTF string (Library of Congress Extended
Date/Time Format). SQL cannot sort or filter EDTF, so the database stores each
date beside its bounds as ISO days (the strict bounds: uncertainty `?` and
approximation `~` qualify a date without moving it). The common forms (a year,
a month, a day, each with one qualifier, and intervals of them, open or not)
are parsed here exactly; everything else (unspecified digits `X`, seasons,
per-component qualifiers, sets) goes to the maintained `edtf` package, which
costs 10-30 ms a parse, so each distinct string is parsed once. The recent
dates are cached too; that cache is small, so that a corpus of many thousands of
distinct days does not grow each process by tens of megabytes.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from typing import NamedTuple

import edtf

# YYYY, YYYY-MM or YYYY-MM-DD with a four-digit year: the forms the fast path owns.
_PLAIN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_QUALIFIERS = ("?", "~", "%")


class DateBounds(NamedTuple):
    """The earliest and latest day a date can mean, as ISO strings.

    None stands for an open end (`..`) or an unknown one (an empty side).
    """

    start: str | None
    end: str | None


class EdtfError(ValueError):
    """A string that is not a valid EDTF date, with the reason in words."""


def _plain_bounds(text: str) -> DateBounds | None:
    """Bounds of a plain ISO date, or None when the text is not one."""
    match = _PLAIN.match(text)
    if match is None:
        return None
    year = int(match[1])
    if match[2] is None:
        return DateBounds(f"{year:04d}-01-01", f"{year:04d}-12-31")
    month = int(match[2])
    if not 1 <= month <= 12:
        # Months 21-41 are EDTF seasons and quarters: the library owns them.
        return None
    last_day = calendar.monthrange(year, month)[1]
    if match[3] is None:
        return DateBounds(f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last_day:02d}")
    day = int(match[3])
    if not 1 <= day <= last_day:
        raise EdtfError(f"{text!r} is not a calendar day: {calendar.month_name[month]} {year} has {last_day} days")
    return DateBounds(text, text)


@lru_cache(maxsize=65536)
def _library_bounds(text: str) -> DateBounds:
    # Each distinct string is parsed once: a parse costs 10-30 ms, a cached one nothing.
    try:
        parsed = edtf.parse_edtf(text)
    except Exception as error:  # the library raises several types for bad input
        raise EdtfError(f"{text!r} is not a valid EDTF date ({_mended(text) or error})") from None
    return DateBounds(_struct_day(parsed.lower_strict), _struct_day(parsed.upper_strict))


_SINGLE_DIGIT = re.compile(r"(?<=-)(\d)(?!\d)")
# Other notations of a day or month that contributors copy from articles and habit.
_YEAR_FIRST = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")  # 2018/05/31
_YEAR_LAST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")  # 31/05/2018, 05.31.2018
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{4})")  # 05/2018
_IN_WORDS = re.compile(r"(?:(\d{1,2}) )?([A-Za-z]+)\.? (?:(\d{1,2}), )?(\d{4})")  # 31 May 2018, May 31, 2018
_MONTHS = {
    name.lower(): number
    for names in (calendar.month_name, calendar.month_abbr)
    for number, name in enumerate(names)
    if name
}
_YEAR_FIRST_LEAD = "EDTF writes dates as YYYY-MM-DD, YYYY-MM or YYYY"


def _readings(text: str) -> tuple[str, list[tuple[str, str]]]:
    """What a date the library refuses may have meant: a lead that says what EDTF wants, and
    the EDTF strings it may stand for, each with the reading that gives it. Day-first and
    month-first numbers (05/06/2018) cannot be told apart, so both readings are offered."""
    if match := _YEAR_FIRST.fullmatch(text):
        return _YEAR_FIRST_LEAD, [(_iso(match[1], match[2], match[3]), "")]
    if match := _YEAR_LAST.fullmatch(text):
        day_first = _iso(match[3], match[2], match[1])
        month_first = _iso(match[3], match[1], match[2])
        return _YEAR_FIRST_LEAD, [(day_first, "if the day comes first"), (month_first, "if the month comes first")]
    if match := _MONTH_YEAR.fullmatch(text):
        return _YEAR_FIRST_LEAD, [(_iso(match[2], match[1]), "")]
    if (
        (match := _IN_WORDS.fullmatch(text))
        and (month := _MONTHS.get(match[2].lower()))
        and not (match[1] and match[3])
    ):
        return _YEAR_FIRST_LEAD, [(_iso(match[4], str(month), match[1] or match[3]), "")]
    return "months and days take two digits", [(_SINGLE_DIGIT.sub(r"0\1", text), "")]


def _iso(year: str, month: str, day: str | None = None) -> str:
    return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")


def _mended(text: str) -> str | None:
    """What to write instead of a common slip that the library only calls "invalid input"
    (2018-9-5, 31/05/2018, 2018/05/31, 05/2018, 31 May 2018), if anything mends it."""
    lead, readings = _readings(text)
    valid: dict[str, str] = {}
    for candidate, reading in readings:
        if candidate != text and candidate not in valid and _is_date(candidate):
            valid[candidate] = reading
    if not valid:
        return None
    if len(valid) == 1:
        return f"{lead}: {next(iter(valid))}"
    return f"{lead}: " + ", ".join(f"{candidate} {reading}" for candidate, reading in valid.items())


def _is_date(text: str) -> bool:
    try:
        date_bounds(text)
    except (EdtfError, ValueError):
        return False
    return True


def _struct_day(bound_of) -> str | None:  # noqa: ANN001 - edtf's bound methods are untyped
    try:
        value = bound_of()
    except (TypeError, ValueError, OverflowError):
        # The library fails on some open intervals ("2018/.."): an open end.
        return None
    if not hasattr(value, "tm_year"):
        return None  # float('inf') or '-inf' marks an open or unknown end
    return date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()


def _fast_bounds(text: str) -> DateBounds | None:
    """Bounds of a plain date with at most one qualifier (2018?, 2015-09~, ~2015-09), else None.

    Strict bounds ignore uncertainty and approximation, so the qualifier only has to be
    where EDTF allows it: after the date (level 1) or before it (level 2, whole date).
    """
    if text[:1] in _QUALIFIERS:
        text = text[1:]
    elif text[-1:] in _QUALIFIERS:
        text = text[:-1]
    return _plain_bounds(text)


def _interval_bounds(text: str) -> DateBounds | None:
    """Bounds of an interval whose sides are fast-path dates or open (..), else None."""
    first, _, second = text.partition("/")
    if "/" in second:
        return None
    sides = [DateBounds(None, None) if side in ("..", "") else _fast_bounds(side) for side in (first, second)]
    open_side = first in ("..", "") or second in ("..", "")
    if sides[0] is None or sides[1] is None or (first in ("..", "") and second in ("..", "")):
        return None
    if open_side and (first[:1] in _QUALIFIERS or second[:1] in _QUALIFIERS):
        return None  # a level-2 prefix qualifier beside an open end: the package decides (it refuses)
    return DateBounds(sides[0].start, sides[1].end)


@lru_cache(maxsize=4096)
def date_bounds(text: str) -> DateBounds:
    """Validate an EDTF string and return its bounds; raise EdtfError if invalid.

    An empty side of an interval ("2018-08/") is an unknown end and gives None, where the
    edtf package invents a bound ten years away; every other form agrees with the package
    (tests/test_schema.py proves it on generated dates).
    """
    fast = _interval_bounds(text) if "/" in text else _fast_bounds(text)
    bounds = fast or _library_bounds(text)
    if bounds.start and bounds.end and bounds.start > bounds.end:
        raise EdtfError(f"{text!r} ends ({bounds.end}) before it starts ({bounds.start})")
    return bounds


# --- Dates as readers read them ----------------------------------------------------

# A qualifier in words: uncertain (?) is kept as the mark readers know; approximate (~) becomes
# "about"; both (%) are both.
_QUALIFIED = {"": ("", ""), "?": ("", "?"), "~": ("about ", ""), "%": ("about ", "?")}


class _Side(NamedTuple):
    """A plain date with at most one qualifier, as its parts: year, month and day (0 when the
    date does not say), and the qualifier ("" for none)."""

    year: int
    month: int
    day: int
    qualifier: str


def _side(text: str) -> _Side | None:
    """The parts of a fast-path date (2018, ~2015-09, 2018-05-31?), or None for another form."""
    qualifier = ""
    if text[:1] in _QUALIFIERS:
        qualifier, text = text[0], text[1:]
    elif text[-1:] in _QUALIFIERS:
        qualifier, text = text[-1], text[:-1]
    match = _PLAIN.match(text)
    if match is None or (match[2] and not 1 <= int(match[2]) <= 12):
        return None
    return _Side(int(match[1]), int(match[2] or 0), int(match[3] or 0), qualifier)


def _side_text(side: _Side, *, year: bool = True, month: bool = True) -> str:
    """The side in words at its own precision (31 May 2018, May 2018, 2018), leaving out the year
    or the month where the other side of an interval says it once for both."""
    words = [str(side.day)] if side.day else []
    if side.month and (month or not side.day):
        words.append(calendar.month_abbr[side.month])
    if year or not side.month:
        words.append(str(side.year))
    before, after = _QUALIFIED[side.qualifier]
    return before + " ".join(words) + after


@lru_cache(maxsize=4096)  # every fact's statement says its date: the same few thousand strings
def date_text(text: str) -> str:
    """An EDTF date as a reader reads it, exactly as precise as it is: 2018, May 2018,
    31 May 2018, 2018? (uncertain), about Sep 2015 (approximate), 5–8 Sep 2018, from Aug 2018.

    Nothing is added: a year stays a year, never its first day. A form the project does not
    write (unspecified digits, seasons, sets) is shown as the EDTF itself, which is honest too.
    """
    if "/" not in text:
        side = _side(text)
        return text if side is None else _side_text(side)
    first_text, _, second_text = text.partition("/")
    open_ends = {"..": "", "": " (end unknown)"}
    if first_text in open_ends and (second := _side(second_text)):
        return f"until {_side_text(second)}" + open_ends[first_text].replace("end", "start")
    first = _side(first_text)
    if first is None:
        return text
    if second_text in open_ends:
        return f"from {_side_text(first)}" + open_ends[second_text]
    second = _side(second_text)
    if second is None:
        return text
    if first == second:
        return _side_text(first)
    # Say a year or month once when both sides share it and are as precise as each other
    # (5–8 Sep 2018, Aug–Sep 2018, 5 Aug – 8 Sep 2018); otherwise each side in full.
    same_precision = bool(first.month) == bool(second.month) and bool(first.day) == bool(second.day)
    unqualified = not first.qualifier and not second.qualifier
    if same_precision and unqualified and first.year == second.year and first.month:
        if first.day and first.month == second.month:
            return f"{first.day}–{_side_text(second)}"
        shared_year = _side_text(first, year=False)
        return f"{shared_year}–{_side_text(second)}" if not first.day else f"{shared_year} – {_side_text(second)}"
    separator = "–" if not first.month and not second.month else " – "
    return f"{_side_text(first)}{separator}{_side_text(second)}"
