"""What a proposed fact carries: the text said or agreed, a quantity with its unit, and its
date, stated in the sentence or resolved against the publication date."""

from __future__ import annotations

import calendar
import datetime
import re
from typing import Any, NamedTuple

from lemminflect import getAllLemmas

from factdb.drafting.reading import dateline
from factdb.drafting.roles import referring_in
from factdb.evidence import MONTHS, NumberMention, fold, numbers, stated_dates
from schema.dates import DateBounds
from schema.vocabulary import Predicate

# --- Values ----------------------------------------------------------------------------

_QUOTED = re.compile(r"[\"“]([^\"”]{12,})(?:[\"”]|$)")  # a quotation may close in a later sentence
_THAT = re.compile(r"\bthat\s+(.+)", re.IGNORECASE)
_WHERE_SAID = re.compile(r"(?:at|during|on|in|while|when|after|before|upon)\s", re.IGNORECASE)
_CURRENCY = re.compile(r"\$|US\$|\bUSD\b|\bdollars?\b", re.IGNORECASE)
_APPROXIMATE = re.compile(r"\b(?:about|some|nearly|around|approximately|almost|roughly|over|more than)\s+$", re.I)


_SOURCE_NAMED = re.compile(r"according to(?!\w)", re.IGNORECASE)
# A trigger's last word that opens what it is about ("commitment to ASEAN centrality"), not whom
# an appeal is to ("appealed to German politicians to push ahead ...").
_OPENS_TEXT = re.compile(r"(?<!appealed)(?<!appeals)\s+to$")


def value_of(predicate: Predicate, text: str, at: int, trigger: str = "") -> dict[str, Any] | str | None:
    """The fact's value: its text after the trigger at `at` ("shared intention to raise ties":
    "to raise ties"), the rest of the sentence around "according to" and its source, or quoted;
    or its quantity."""
    if predicate.value == "text":
        if predicate.text_is_quoted:
            return _quotation(text)
        if _SOURCE_NAMED.match(text, at):  # the source, not what it says, follows the trigger
            before, after = text[:at].strip(" ,"), text[at:].partition(",")[2]
            words = (before or after).strip().rstrip(".")
            return words if len(words.split()) >= 3 else None
        rest = text[at:]
        clause = _THAT.search(rest)
        skipped = len(_OPENS_TEXT.sub("", trigger).split()) or 1
        words = (clause.group(1) if clause else rest.split(" ", skipped)[-1]).strip().rstrip(".")
        # "..., he said.", "..., Dung said at a recent event in Germany": what was said comes first
        if len(words.split()) < 3 or (clause is None and "," in text[:at] and _WHERE_SAID.match(words)):
            filed = dateline(text)  # (not "Berlin (VNA) –": where the news was filed)
            words = re.split(r",\s*[^,]*$", text[filed.end() if filed else 0 : at])[0].strip(' ,“”"–—-')
        return words if len(words.split()) >= 3 else None
    if predicate.id == "anniversary":
        return _years_marked(text, at)
    if predicate.value == "quantity":
        return _quantity(predicate, text)
    return None


def _years_marked(text: str, at: int) -> dict[str, Any] | None:
    """The years an anniversary counts: the ordinal right before the word ("the 25th anniversary",
    "the fifth anniversary"), not another anniversary's in the same sentence."""
    right_before = [number for number in numbers(text[:at]) if not text[number.end : at].strip(" -")]
    if not right_before or not _ORDINAL.fullmatch(right_before[-1].words):
        return None
    return {"amount": int(right_before[-1].value), "unit": "years"}


# A quotation mark that closes: a curly one, or a straight one right after the quotation's last
# mark ("... cooperation,\" Shoigu added").
_CLOSING = re.compile(r"”|(?<=[,.!?])\"")


def _quotation(text: str) -> str | None:
    """The words the sentence quotes: between its quotation marks, or, where the first mark
    closes a quotation opened in a sentence before, the words before it."""
    first = re.search(r"[\"“”]", text)
    if first is not None and _CLOSING.match(text, first.start()):
        words = text[: first.start()].strip(" ,")
        return words if len(words) >= 12 else None
    quoted = _QUOTED.search(text)
    return quoted.group(1).strip(" ,") if quoted else None


# Where a list of actions may go on: a comma, "and" or ", and", before the next action's verb.
_NEXT_ITEM = re.compile(r"(?:,\s+(?:and\s+)?|\s+and\s+)(?P<verb>[a-z]+)\s+\S+\s+\S")


def actions(words: str) -> list[str]:
    """The actions a text lists after "to", each as "to ...": "to open the market for Vietnam's
    farm produce, exempt farm produce, aquatic products and frozen food from testing, and reopen
    border gates" gives three. An item starts where a verb in its plain form (lemminflect's
    English lexicon: "exempt", "reopen") follows a comma or "and" and opens at least three words,
    after an item of four; "aquatic products", "frozen food" and "and markets" open none."""
    if not words.startswith("to ") or not _is_plain_verb(words.split()[1]):
        return [words]
    cuts = [0]
    for match in _NEXT_ITEM.finditer(words):
        if _is_plain_verb(match["verb"]) and len(words[cuts[-1] : match.start()].split()) >= 4:
            cuts.append(match.start())  # (not "to work with and support Vietnam")
    pieces = [words[start:end] for start, end in zip(cuts, [*cuts[1:], len(words)], strict=True)]
    items = [re.sub(r"^(?:,\s+(?:and\s+)?|\s+and\s+)", "", piece).strip() for piece in pieces]
    return [item if item.startswith("to ") else f"to {item}" for item in items]


def _is_plain_verb(word: str) -> bool:
    return word in getAllLemmas(word).get("VERB", ())


# The unit a predicate's quantity is in: of several numbers, the one written with it is meant
# ("trade has grown by some 30 percent ... to 3.5 billion USD": the dollars are the trade, the
# percent its growth). A percent is a share, never an amount: no other predicate takes one.
_UNITS = {"trade_with": "USD", "provides_aid_to": "USD", "trade_growth_with": "percent"}
_TO = r"\s*(?:-|–|to)\s*"
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# A day of a month without its year ("on May 29", "from May 20-23", "April 30 to May 1", "24-26
# May"), which stated_dates leaves out (it finds only dates written with their year).
_DAY_OF_MONTH = re.compile(
    rf"(?<!\w)(?:(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:{_TO}(?:(?P<last_month>{_MONTH})\.?\s+)?(?P<last>\d{{1,2}})(?:st|nd|rd|th)?)?"
    rf"|(?P<first_day>\d{{1,2}})(?:st|nd|rd|th)?(?:{_TO}(?P<first_last>\d{{1,2}}))?\s+(?P<after_month>{_MONTH}))(?!\w)",
    re.IGNORECASE,
)
_COMPOUND = re.compile(r"-[A-Za-z]")  # a number in a word of its own: "two-way trade", "a five-year plan"
_NAMED = re.compile(r"[A-Za-z]-$")  # a number in a name: "COVID-19", "G-20"
_ORDINAL = re.compile(r"\d+(?:st|nd|rd)|\w+th|first|second|third", re.IGNORECASE)


def _quantity(predicate: Predicate, text: str) -> dict[str, Any] | None:
    """The number the fact is about, with its unit: not a year, a day of a date, a rank ("the
    129th"), part of a word ("two-way") or the count of those referred to ("the two leaders"),
    though an anniversary's ordinal counts its years ("the 25th anniversary"); of the rest, the
    first in the unit the predicate is measured in, else the first that is no percent."""
    taken = [(date.start, date.end) for date in stated_dates(text)]
    taken += [match.span() for match in _DAY_OF_MONTH.finditer(fold(text))]
    taken += [(start, end) for start, end, _ in referring_in(text)]
    found = [
        (number, _unit(text, number))
        for number in numbers(text)
        if not re.fullmatch(r"(?:19|20)\d\d", number.words)
        and not any(start < number.end and number.start < end for start, end in taken)
        and (predicate.id == "anniversary" or not _ORDINAL.fullmatch(number.words))
        and not _COMPOUND.match(text, number.end)
        and not _NAMED.search(text, 0, number.start)
    ]
    # A predicate measured in a unit takes no other ("between the two economies" is no trade).
    wanted = _UNITS.get(predicate.id)
    fitting = (
        [item for item in found if item[1] == wanted] if wanted else [item for item in found if item[1] != "percent"]
    )
    if not fitting:
        return None
    number, unit = fitting[0]
    amount = int(number.value) if number.value.is_integer() else number.value  # 94500000, as written
    quantity: dict[str, Any] = {"amount": amount, "unit": unit}
    if _APPROXIMATE.search(text[max(0, number.start - 20) : number.start]):
        quantity["approximately"] = True
    return quantity


def _unit(text: str, number: NumberMention) -> str:
    """The unit a number is written with: dollars, a percent, or the word or noun after it."""
    if _CURRENCY.search(text[max(0, number.start - 4) : number.end + 12]):
        return "USD"
    after = text[number.end : number.end + 30]
    if re.match(r"\s*(?:%|percent|per cent)", after):
        return "percent"
    # A plural noun with the word that qualifies it: "cooperation documents", "patrol boats".
    word = re.match(
        r"\s*([A-Za-z-]*[A-Za-rt-z]\s+(?!(?:this|was|has|is|as|its|his)(?!\w))[a-z-]+s(?!\w)|[A-Za-z-]+)", after
    )
    return word.group(1) if word else "units"


# --- Dates -------------------------------------------------------------------------------

WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_RELATIVE = re.compile(
    r"\b(?:(?P<on>on|last|this)\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    rf"|(?P<last>last|in|this|next)\s+(?P<month>{'|'.join(name for name in MONTHS if len(name) > 3)})"
    r"|(?P<year>this|last|next) year)\b",
    re.IGNORECASE,
)


class DraftDate(NamedTuple):
    edtf: str
    reasoning: str | None  # None: the sentence states it in full


_ANNIVERSARY = re.compile(r"\b(\d{1,3})(st|nd|rd|th) anniversary\b", re.IGNORECASE)


def counted_back(text: str, date: DraftDate) -> DraftDate | None:
    """The year a relation began, where the sentence marks its anniversary in the fact's year ("the
    70th anniversary of diplomatic relations" in 2020: 1950)."""
    ordinal = _ANNIVERSARY.search(text)
    if ordinal is None or not date.edtf[:4].isdigit():
        return None
    year, years = int(date.edtf[:4]), int(ordinal.group(1))
    told = f" ({date.reasoning[:1].lower()}{date.reasoning[1:].rstrip('.')})" if date.reasoning else ""
    return DraftDate(
        f"{year - years:04d}",
        f"The {ordinal.group(1)}{ordinal.group(2)} anniversary falls in {year}{told}: "
        f"counted back, the relations began in {year - years}.",
    )


# The year a change is measured from ("up 13.82 percent from 2019", "compared with 2019") is no date
# of the fact: "reached 133 billion USD last year, up 13.82 percent from 2019" is of last year.
_BASELINE = re.compile(r"(?<!\w)(?:from|over|against|than|compared (?:with|to)|year-on-year from)\s+(?:the\s+)?$", re.I)


def draft_date(text: str, published: DateBounds | None, *, ahead: bool = True, at: int = 0) -> DraftDate | None:
    """The date a sentence gives: stated in full, or relative to the publication date with the
    precision that date allows (a weekday only against a publication day). Without `ahead` (a
    fact that has happened), a date after publication is a goal's or a plan's ("agreed to ...
    by 2050"), not the fact's. Of days of a month said without their year, the first after the
    fact's trigger at `at` is its date ("arrived on May 29, concluding visits to Russia and
    Norway from May 20-28": the visits'), else the last before it."""
    stated = [
        date
        for date in stated_dates(text)
        if (ahead or published is None or published.end is None or (date.bounds.start or "") <= published.end)
        and not (date.words.isdigit() and _BASELINE.search(text, 0, date.start))
    ]
    if stated:
        bounds = stated[0].bounds
        return DraftDate(_edtf(bounds), None)
    days = _days_of_month(text, published, ahead=ahead, at=at)
    if days is not None:
        return days
    match = _RELATIVE.search(fold(text))
    if match is None or published is None or published.start is None or published.end is None:
        return None
    day = datetime.date.fromisoformat(published.end)
    exact_day = published.start == published.end
    said = match.group()
    if match["weekday"] and exact_day:
        back = (day.weekday() - WEEKDAYS[match["weekday"].lower()]) % 7
        resolved = day - datetime.timedelta(days=back)
        return DraftDate(
            resolved.isoformat(), f"'{said}' in an article of {published.end}: the {match['weekday']} on or before it."
        )
    if match["month"]:
        month = MONTHS[match["month"].lower()]
        word = match["last"].lower()
        year = day.year - 1 if word == "last" or (word == "in" and month > day.month) else day.year
        year = day.year + 1 if word == "next" else year
        return DraftDate(f"{year:04d}-{month:02d}", f"'{said}' in an article of {published.end[:7]}: {year}.")
    if match["year"]:
        offset = {"this": 0, "last": -1, "next": 1}[match["year"].lower()]
        return DraftDate(str(day.year + offset), f"'{said}' in an article of {day.year}.")
    return None


def _days_of_month(text: str, published: DateBounds | None, *, ahead: bool, at: int) -> DraftDate | None:
    """The day or days of a month said without their year ("on May 29", "from May 20-23") in the
    year of publication, or (a fact that has happened, not `ahead`) the year before where that
    would be after publication."""
    said = list(_DAY_OF_MONTH.finditer(fold(text)))
    if not said or published is None or published.end is None:
        return None
    match = next((match for match in said if match.start() >= at), said[-1])
    month = MONTHS[(match["month"] or match["after_month"]).lower()]
    last_month = MONTHS[match["last_month"].lower()] if match["last_month"] else month
    day = int(match["day"] or match["first_day"])
    last = int(match["last"] or match["first_last"] or day)
    year = int(published.end[:4])
    try:
        if not ahead and datetime.date(year, month, day).isoformat() > published.end:
            year -= 1
        first, final = datetime.date(year, month, day), datetime.date(year, last_month, last)
    except ValueError:  # no such day ("February 30")
        return None
    if final < first:
        return None
    edtf = first.isoformat() if first == final else f"{first.isoformat()}/{final.isoformat()}"
    return DraftDate(edtf, f"'{match.group()}' in an article of {published.end[:4]}: {year}.")


def _edtf(bounds: DateBounds) -> str:
    start, end = bounds.start or "", bounds.end or ""
    if start == end:
        return start
    if start.endswith("-01-01") and end.endswith("-12-31") and start[:4] == end[:4]:
        return start[:4]
    if start[:7] == end[:7] and start.endswith("-01"):
        return start[:7]
    return f"{start}/{end}"


FUTURE = re.compile(r"\b(?:will|shall|to be held|is to|are to|plans? to|next)\b", re.IGNORECASE)
# "may" in lower case only: "May" is the month ("on May 29", "from May 20-23"), which news
# writes with its capital where a modal verb mid-sentence has none.
EXPECTED = re.compile(r"\b(?:(?i:expected|likely|could)|may)\b")
