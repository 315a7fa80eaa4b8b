"""The evidence engine: what a passage of a source names and states.

A passage (a quote, a sentence, a whole article) is evidence for a fact only through
what it mentions: entities by a name or alias the registry records, dates written out
in full, quantities in their usual written forms, the words of a statement. This module
finds those mentions, with their character offsets in the text as given, for two users:
the grounding checks (does this quote carry this fact?) and drafting (which facts does
this sentence propose?).

Matching folds what writers vary and readers do not notice: diacritics (Nguyễn Phú
Trọng is Nguyen Phu Trong), Đ/đ (which Unicode does not decompose), letter case (except
in all-capital abbreviations: "US" is not "us"), runs of white space and curly quote
marks. Folding keeps every character in place, so an offset in the folded text is the
offset in the original. Every match is of whole words.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple

from schema.dates import DateBounds
from schema.models import Entity

# --- Folding -------------------------------------------------------------------

# Letters whose base letter Unicode does not give by decomposition, and the quote marks.
_SPECIAL = {"Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "‘": "'", "’": "'", "“": '"', "”": '"'}


class _FoldTable(dict[int, str]):
    """str.translate's table: each character to its base letter, one character for one."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = _SPECIAL.get(char) or "".join(
            part for part in unicodedata.normalize("NFD", char) if not unicodedata.combining(part)
        )
        self[code] = folded = base if len(base) == 1 else char
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """The text without diacritics (Đ as D), curly quotes straight: the same length, so that
    offsets carry over. Case is kept (abbreviations match by case)."""
    return text if text.isascii() else text.translate(_FOLD)


def ascii_form(text: str) -> str | None:
    """The ASCII spelling of a name with diacritics (Nguyễn Phú Trọng: Nguyen Phu Trong), or
    None when folding leaves letters outside ASCII (another script) or changes nothing."""
    folded = fold(text)
    return folded if folded != text and folded.isascii() else None


# --- Derived names ---------------------------------------------------------------

# The kinds of the aliases derived from other names (not kinds of schema.models.Alias: nobody
# writes them; the database lists them by these kinds and export leaves them out).
DERIVED_ASCII = "ascii_form"
DERIVED_COUNTRY_TITLE = "country_and_title"
DERIVED_INITIAL = "initial_and_last_name"
DERIVED_KINDS = (DERIVED_ASCII, DERIVED_COUNTRY_TITLE, DERIVED_INITIAL)

_TITLE_OF = re.compile(r"(?P<title>.+?) of (?:the )?(?P<country>.+)")


def derived_names(entities: dict[str, Entity]) -> dict[str, list[tuple[str, str]]]:
    """The names the registry implies but nobody writes, by entity: (name, kind).

    - ascii_form: a name with diacritics without them (Nguyen Phu Trong for Nguyễn Phú Trọng),
      so that a search typed in ASCII finds it (quotes match it by folding anyway);
    - country_and_title: an office named "<Title> of <Country>" with that country is also
      "<Country>'s <Title>" (Japan's Prime Minister; Japan’s too, as quotes fold) and
      "<Demonym> <Title>" for each demonym of the country (Japanese Prime Minister), as news
      names it;
    - initial_and_last_name: a person named in two words or more is also the initial and the
      last name (V. Putin for Vladimir Putin), as news agencies write it.

    A derived name another entity has, or that two entities derive, is dropped: it would name
    neither for certain. One an entity already has is not repeated."""
    taken: dict[tuple[str, ...], set[str]] = {}
    for entity_id, entity in entities.items():
        for name in (entity.name, *(alias.name for alias in entity.aliases)):
            taken.setdefault(_key_words(name), set()).add(entity_id)
    wanted = {entity_id: _implied(entity, entities) for entity_id, entity in entities.items()}
    for entity_id, names in wanted.items():
        for name, _ in names:
            taken.setdefault(_key_words(name), set()).add(entity_id)
    derived: dict[str, list[tuple[str, str]]] = {}
    for entity_id, names in wanted.items():
        entity = entities[entity_id]
        if (ascii_name := ascii_form(entity.name)) is not None and all(a.name != ascii_name for a in entity.aliases):
            derived.setdefault(entity_id, []).append((ascii_name, DERIVED_ASCII))
        own = {_key_words(name) for name in (entity.name, *(alias.name for alias in entity.aliases))}
        for name, kind in names:
            if taken[_key_words(name)] == {entity_id} and _key_words(name) not in own:
                derived.setdefault(entity_id, []).append((name, kind))
    return derived


def _key_words(name: str) -> tuple[str, ...]:
    """The words a name is matched by, in lower case: two names of one key name the same."""
    return tuple(word.casefold() for word in _TOKEN.findall(fold(name)))


def _implied(entity: Entity, entities: dict[str, Entity]) -> list[tuple[str, str]]:
    """An entity's country_and_title and initial_and_last_name names (derived_names), unchecked."""
    names = []
    country = entities.get(entity.country or "")
    match = _TITLE_OF.fullmatch(entity.name)
    if entity.type == "office" and country is not None and match and " of " not in match["title"]:
        spellings = [country.name, *(a.name for a in country.aliases if a.kind != "demonym")]
        if _key_words(match["country"]) in {_key_words(spelling) for spelling in spellings}:
            possessive = "'" if country.name.endswith("s") else "'s"
            names.append((f"{country.name}{possessive} {match['title']}", DERIVED_COUNTRY_TITLE))
            names += [
                (f"{alias.name} {match['title']}", DERIVED_COUNTRY_TITLE)
                for alias in country.aliases
                if alias.kind == "demonym"
            ]
    words = entity.name.split()
    if entity.type == "person" and len(words) >= 2 and words[0][:1].isalpha() and len(words[0].rstrip(".")) > 1:
        last = len(words) - 1
        while last > 1 and words[last - 1][:1].islower():  # a particle of the last name ("von der Leyen")
            last -= 1
        names.append((f"{words[0][0]}. {' '.join(words[last:])}", DERIVED_INITIAL))
    return names


# --- Entities --------------------------------------------------------------------


class Mention(NamedTuple):
    """Words of a text that name an entity: `how` is name (its canonical name) or alias."""

    entity_id: str
    start: int
    end: int
    words: str
    how: str


_TOKEN = re.compile(r"\w+")


class _Name(NamedTuple):
    """A name as the words it is matched by: folded, in lower case unless it is an abbreviation
    in capitals ("US" is not "us")."""

    words: tuple[str, ...]
    exact_case: bool


@functools.lru_cache(maxsize=65536)
def _name(name: str) -> _Name:
    exact_case = name.isupper()
    words = _TOKEN.findall(fold(name))
    return _Name(tuple(words if exact_case else (word.casefold() for word in words)), exact_case)


class _Words(NamedTuple):
    """A text's words (folded), in lower case and as written, with where each begins and ends."""

    lower: list[str]
    written: list[str]
    spans: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str) -> _Words:
        matches = list(_TOKEN.finditer(fold(text)))
        written = [match.group() for match in matches]
        return cls([word.casefold() for word in written], written, [match.span() for match in matches])

    def find(self, name: _Name) -> Iterator[tuple[int, int]]:
        """The indexes of the first and last word of each place the name's words stand in a row."""
        words, wanted = (self.written if name.exact_case else self.lower), list(name.words)
        size = len(wanted)
        for index in range(len(words) - size + 1):
            if words[index] == wanted[0] and words[index : index + size] == wanted:
                yield index, index + size - 1


@functools.lru_cache(maxsize=64)
def _words_of(text: str) -> _Words:
    """A text's words, kept for the next question about the same text: a fact's quotes are asked
    about each of its entities in turn."""
    return _Words.of(text)


class EntityNames:
    """Every name and alias of the registry's entities, to find where a text names one.

    A name matches a run of whole words of the text, compared word by word after folding
    (punctuation between words aside: "Mr Abe" is "Mr. Abe"); no pattern is compiled, so an
    entity costs nothing until asked for, however large the registry (the derived names,
    derived_names, are made once for all, at the first question).
    """

    def __init__(self, entities: dict[str, Entity]) -> None:
        self.entities = entities
        self._containing: dict[tuple[tuple[str, str], str], list[tuple[str, _Name, int]]] | None = None
        self._derived: dict[str, list[tuple[str, str]]] | None = None

    def names(self, entity_id: str, source: str | None = None) -> list[str]:
        """The entity's name, its aliases, and the names derived from them (derived_names); in
        `source`, not the aliases that name it in another source only (Alias.source)."""
        entity = self.entities[entity_id]
        aliases = [alias.name for alias in entity.aliases if source is None or alias.source in (None, source)]
        return [entity.name, *aliases, *(name for name, _ in self.derived(entity_id))]

    def derived(self, entity_id: str) -> list[tuple[str, str]]:
        """The names derived for the entity (derived_names), with their kinds."""
        if self._derived is None:
            self._derived = derived_names(self.entities)
        return self._derived.get(entity_id, [])

    def find(
        self, entity_id: str, text: str, start: int = 0, end: int | None = None, source: str | None = None
    ) -> Mention | None:
        """The first place in text[start:end] (of `source`, where known) that names the entity, or None."""
        return next(iter(self.find_all(entity_id, text, start, end, source)), None)

    def find_all(
        self, entity_id: str, text: str, start: int = 0, end: int | None = None, source: str | None = None
    ) -> list[Mention]:
        """Every place in text[start:end] that names the entity, in order; where two of its names
        start at one place (Shinzo Abe, Shinzo) the longer is kept. Offsets are into `text`; an
        alias scoped to another source than `source` (where known) is not a name here."""
        if entity_id not in self.entities:
            return []
        piece = text[start:end]
        words = _words_of(piece)
        canonical = _name(self.entities[entity_id].name)
        found: dict[int, tuple[int, bool]] = {}  # start -> (end, whether by the canonical name)
        for name in {_name(name) for name in self.names(entity_id, source)}:
            if not name.words:
                continue
            for first_word, last_word in words.find(name):
                first, last = words.spans[first_word][0], words.spans[last_word][1]
                if last > found.get(first, (-1, False))[0] and not self._inside_other_name(
                    entity_id, words, first_word, last_word
                ):
                    found[first] = (last, name == canonical)
        return [
            Mention(entity_id, start + first, start + last, piece[first:last], "name" if is_name else "alias")
            for first, (last, is_name) in sorted(found.items())
        ]

    def _inside_other_name(self, entity_id: str, words: _Words, start: int, end: int) -> bool:
        """Whether the words from index `start` to `end` are part of a longer name of another
        entity of its kind there ("Prime Minister" in "Vietnamese Prime Minister", an office in an
        office), or a country's name part of a place's ("China" in "South China Sea"): those words
        name the other entity. Other names that embed a name still name it: "Japanese officials"
        names Japan."""
        if self._containing is None:
            self._containing = self._names_by_pair()
        kind = self.entities[entity_id].type
        # A longer name holding these words holds the word before them with the first, or the
        # last with the word after: (index of the pair's first word in the text, the pair).
        pairs = [
            (index, (words.lower[index], words.lower[index + 1]))
            for index in (start - 1, end)
            if 0 <= index < len(words.lower) - 1
        ]
        for index, pair in pairs:
            for other_kind in (kind, "place") if kind == "country" else (kind,):
                for other_id, name, position in self._containing.get((pair, other_kind), ()):
                    begin, stop = index - position, index - position + len(name.words)
                    if other_id == entity_id or not (0 <= begin <= start and stop > end):
                        continue
                    if (words.written if name.exact_case else words.lower)[begin:stop] == list(name.words):
                        return True
        return False

    def _names_by_pair(self) -> dict[tuple[tuple[str, str], str], list[tuple[str, _Name, int]]]:
        """(two words in a row of a name, the entity's type) -> (entity, the name, where the pair
        starts in it): the longer names a mention could be part of, each checked in one place."""
        containing: dict[tuple[tuple[str, str], str], list[tuple[str, _Name, int]]] = {}
        for other_id, entity in self.entities.items():
            for name in {_name(name) for name in self.names(other_id)}:
                folded = [word.casefold() for word in name.words]
                for position in range(len(folded) - 1):
                    pair = (folded[position], folded[position + 1])
                    containing.setdefault((pair, entity.type), []).append((other_id, name, position))
        return containing

    def mentions(self, text: str, entity_ids: Iterable[str] | None = None, source: str | None = None) -> list[Mention]:
        """Every entity named in the text (of `source`, where known), in order of position; where
        names overlap ("Japanese Prime Minister Shinzo Abe": an office, a demonym and a person) all
        are kept."""
        found = [
            mention
            for entity_id in (entity_ids or self.entities)
            for mention in self.find_all(entity_id, text, source=source)
        ]
        return sorted(found, key=lambda mention: (mention.start, -mention.end, mention.entity_id))


# Words that stand for an entity named elsewhere: a referent's usual `words`.
REFERRING = re.compile(
    # "the two leaders", "the two government leaders" (a word may qualify a counted pair)
    r"(?<!\w)(?:(?:the|both|these|those) (?:(?:two|three) (?:[a-z-]+ )?)?"
    r"(?:leaders?|sides?|countries|nations|governments?|parties|ministers?|officials?|heads? of state|"
    r"prime ministers?|presidents?|party chief|general secretary|"
    r"host|guest|visitor|premier)|the (?:[a-z-]+ )?(?:nation|country|leader|party chief|official)|"
    r"he|she|they|his|her|their|its|it|him|them)(?!\w)",
    re.IGNORECASE,
)


def referring_words(text: str) -> list[tuple[int, int, str]]:
    """Where a text refers to someone without naming them ("the two leaders", "he"): (start, end, words)."""
    return [(match.start(), match.end(), match.group()) for match in REFERRING.finditer(fold(text))]


# --- Words of a statement ------------------------------------------------------------

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """A text's words, folded and in lower case: what two wordings of one statement share."""
    return [word.casefold() for word in _WORD.findall(fold(text))]


def words_occur_in(text: str, passages: Iterable[str]) -> bool:
    """Whether the words of `text` occur in order, one after another, in one of the passages
    (punctuation, case and diacritics aside); `…` in the text joins pieces found in order."""
    pieces = [words(piece) for piece in re.split(r"…|\.\.\.", text)]
    pieces = [piece for piece in pieces if piece]
    if not pieces:
        return False
    for passage in passages:
        said, position = " " + " ".join(words(passage)) + " ", 0
        for piece in pieces:
            found = said.find(" " + " ".join(piece) + " ", position)
            if found < 0:
                break
            position = found + len(" ".join(piece)) + 1
        else:
            return True
    return False


# --- Quantities --------------------------------------------------------------------

_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12}
_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_NUMERAL = re.compile(
    r"(?<![\w.,])(?P<digits>\d{1,3}(?:[, ]\d{3})+|\d+)(?:\.(?P<fraction>\d+))?(?:st|nd|rd|th)?"
    rf"(?:\s*(?P<scale>{'|'.join(sorted(_SCALES, key=len, reverse=True))})(?!\w))?(?![\w,]\d)",
    re.IGNORECASE,
)
_SPELLED = re.compile(
    rf"(?<!\w)(?P<word>{'|'.join(sorted(_NUMBER_WORDS | _ORDINAL_WORDS, key=len, reverse=True))})"
    r"(?:\s+(?P<scale>hundred|thousand|million|billion|trillion))?(?!\w)",
    re.IGNORECASE,
)
_DECADES = re.compile(r"(?<!\w)(?P<word>\w+)\s+decades?(?!\w)", re.IGNORECASE)


class NumberMention(NamedTuple):
    value: float
    start: int
    end: int
    words: str


def numbers(text: str) -> list[NumberMention]:
    """Every number written in the text, in figures (3.5 billion, $500,000, 30%, 25th) or in
    words (two, seven decades as 7 and as 70), with its value."""
    folded = fold(text)
    found = []
    for match in _NUMERAL.finditer(folded):
        digits = re.sub(r"[, ]", "", match["digits"]) + (f".{match['fraction']}" if match["fraction"] else "")
        scale = _SCALES[match["scale"].lower()] if match["scale"] else 1
        value = float(Decimal(digits) * Decimal(scale))  # (8.3 billion is 8300000000, not 8300000000.000001)
        found.append(NumberMention(value, match.start(), match.end(), text[match.start() : match.end()]))
    for match in _SPELLED.finditer(folded):
        word = match["word"].lower()
        value = _NUMBER_WORDS[word] if word in _NUMBER_WORDS else _ORDINAL_WORDS[word]
        scale = _SCALES[match["scale"].lower()] if match["scale"] else 1
        found.append(NumberMention(float(value * scale), match.start(), match.end(), text[match.start() : match.end()]))
    for match in _DECADES.finditer(folded):  # "seven decades": 70 years
        value = _NUMBER_WORDS.get(match["word"].lower())
        if value:
            found.append(NumberMention(value * 10.0, match.start(), match.end(), text[match.start() : match.end()]))
    return sorted(found, key=lambda mention: (mention.start, mention.end))


def find_number(values: Iterable[float], text: str) -> NumberMention | None:
    """The first place the text states one of the values. A negative value is written as its
    size ("fell by 3 percent", "-3 percent"): the sign is the fact's reading of the words."""
    wanted = [abs(value) for value in values if value is not None]
    return next(
        (
            mention
            for mention in numbers(text)
            if any(abs(mention.value - value) <= 1e-9 * max(value, 1) for value in wanted)
        ),
        None,
    )


# --- Dates -------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_TO = r"\s*(?:-|–|to|and)\s*"
_DATES = [  # ranges first, then the most precise: a day's year is not also a year of its own
    re.compile(rf"(?<!\w)(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}}){_TO}(?P<last>\d{{1,2}}),?\s+{_YEAR}(?!\w)", re.I),
    re.compile(rf"(?<!\w)(?P<day>\d{{1,2}}){_TO}(?P<last>\d{{1,2}})\s+(?P<month>{_MONTH})\.?,?\s+{_YEAR}(?!\w)", re.I),
    re.compile(rf"(?<!\w)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH})\.?,?\s+{_YEAR}(?!\w)", re.I),
    re.compile(rf"(?<!\w)(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\w)", re.I),
    re.compile(rf"(?<!\w)(?P<month>{_MONTH})\.?,?\s+(?:of\s+)?{_YEAR}(?!\w)", re.I),
    re.compile(rf"(?<![\w.,]){_YEAR}(?![\w]|[.,]\d)"),
]
_DAYS_IN = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


class DateMention(NamedTuple):
    """A date a text states in full (with its year), as the days it can mean."""

    bounds: DateBounds
    start: int
    end: int
    words: str


def stated_dates(text: str) -> list[DateMention]:
    """The dates a text writes out with their year: 15 September 2015, September 15, 2015,
    September 15 to 18, 2015, September 2015, 2015. Relative dates ("last November", "on
    Thursday") are not stated."""
    folded, taken, found = fold(text), [], []
    for pattern in _DATES:
        for match in pattern.finditer(folded):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            year, groups = int(match["year"]), match.groupdict()
            month = MONTHS[groups["month"].lower()] if groups.get("month") else None
            day = int(groups["day"]) if groups.get("day") else None
            last_day = int(groups["last"]) if groups.get("last") else day
            if month is None:
                bounds = DateBounds(f"{year:04d}-01-01", f"{year:04d}-12-31")
            elif day is None or last_day is None:
                last = _DAYS_IN[month - 1] if month != 2 or _leap(year) else 28
                bounds = DateBounds(f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}")
            elif 1 <= day <= last_day <= _DAYS_IN[month - 1]:
                bounds = DateBounds(f"{year:04d}-{month:02d}-{day:02d}", f"{year:04d}-{month:02d}-{last_day:02d}")
            else:
                continue
            taken.append((match.start(), match.end()))
            found.append(DateMention(bounds, match.start(), match.end(), text[match.start() : match.end()]))
    return sorted(found, key=lambda mention: mention.start)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def within(inner: DateBounds, outer: DateBounds) -> bool:
    """Whether every day `inner` can mean lies in `outer` (an open or unknown end reaches anywhere)."""
    return (outer.start is None or (inner.start is not None and inner.start >= outer.start)) and (
        outer.end is None or (inner.end is not None and inner.end <= outer.end)
    )
