"""EDTF dates: validation and the earliest/latest calendar day a date can mean.

Every date in the project is an EDTF string (Library of Congress Extended
Date/Time Format). SQL cannot sort or filter EDTF, so the database stores each
date beside its bounds as ISO days. The plain ISO forms (a year, a month, a
day, and intervals of them) are by far the most common and are parsed here
exactly; everything else (uncertain `?`, approximate `~`, unspecified `X`,
seasons, open intervals) goes to the maintained `edtf` package, which costs
about 10 ms a parse, so each distinct string is parsed once.
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


def _library_bounds(text: str) -> DateBounds:
    try:
        parsed = edtf.parse_edtf(text)
    except Exception as error:  # the library raises several types for bad input
        raise EdtfError(f"{text!r} is not a valid EDTF date ({error})") from None
    return DateBounds(_struct_day(parsed.lower_strict), _struct_day(parsed.upper_strict))


def _struct_day(bound_of) -> str | None:  # noqa: ANN001 - edtf's bound methods are untyped
    try:
        value = bound_of()
    except (TypeError, ValueError, OverflowError):
        # The library fails on some open intervals ("2018/.."): an open end.
        return None
    if not hasattr(value, "tm_year"):
        return None  # float('inf') or '-inf' marks an open or unknown end
    return date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()


@lru_cache(maxsize=65536)
def date_bounds(text: str) -> DateBounds:
    """Validate an EDTF string and return its bounds; raise EdtfError if invalid."""
    if "/" in text:
        first, _, second = text.partition("/")
        left, right = _plain_bounds(first), _plain_bounds(second)
        bounds = DateBounds(left.start, right.end) if left and right else _library_bounds(text)
    else:
        bounds = _plain_bounds(text) or _library_bounds(text)
    if bounds.start and bounds.end and bounds.start > bounds.end:
        raise EdtfError(f"{text!r} ends ({bounds.end}) before it starts ({bounds.start})")
    return bounds
