"""Names in capitals that the registry lacks, proposed as draft entities.

A sentence's runs of capitalised words (joined by "of", "of the", "for", "and", commas, dashes,
and "on the" after an agreement's word) are cut into names: at "and" and commas (a country's
name such as "Bosnia and Herzegovina", or an agreement's such as "Treaty of Amity and
Cooperation", is kept whole), at dashes (except in an event's name, "Vietnam – Japan Investment
Summit") and where the registry names something, unless the name is an agreement's or an
event's that holds the registry's name. A name's type is guessed from its words (a country's
name, "Convention", "Forum", "Saint", "Ministry"), else from a title before it (a person);
the draft marker says which, for the reviewer. A title alone, or a run all in capitals (a
dateline), is no name; a person's last name alone is an alias of the person named in full.
A possessive opens no name: in "Chairman of Vietnam's National Assembly (NA) X" the names are
Vietnam, National Assembly (its abbreviation, NA, an alias) and X, and the country before the
possessive or the title (one the registry names, or one proposed in the same article) is the
country of the organisation, and of the person who holds the title. An organisation's word
after a country's demonym is named with it ("the Russian Embassy", of Russia).

Countries come from pycountry: the names of ISO 3166, the standard of country names and codes,
maintained with it and installed with its data (no network at draft time). No identifier is
invented: a reviewer adds a Wikidata id where the match is certain.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any, NamedTuple

import pycountry

from factdb.drafting.name_words import (
    ADJECTIVES,
    AGREEMENT_WORDS,
    CONNECTORS,
    EVENT_WORDS,
    NOT_NAMES,
    OF_A_COUNTRY,
    ORGANISATION_WORDS,
    PLACE_FIRST,
    PLACE_LAST,
    PLACE_NOUNS,
    POSSESSIVE,
    PROGRAMME_WORDS,
    TITLE_WORDS,
)
from factdb.drafting.reading import Sentence, dateline
from factdb.evidence import MONTHS, ascii_form, fold
from factdb.naming import slug_of
from factdb.validation import Registry

# A run of capitalised words (matched in the folded text: Đ as D, so "Đà Nẵng" starts with a capital).
_WORD = r"[A-Z][\w'-]*\.?"
_JOIN = (  # (an abbreviation in brackets stays in the run: "National Assembly (NA) Vuong Dinh Hue")
    r"(?:\s+(?:of\s+the|of|for|and|de)\s+|\s*,\s*|\s+[–—-]\s+|\s+\([A-Z]{2,}\)\s+|\s+"
    + "".join(f"|(?<={word})\\s+on(?:\\s+the)?\\s+" for word in sorted(AGREEMENT_WORDS))
    + ")"
)
_RUN = re.compile(rf"{_WORD}(?:{_JOIN}{_WORD})*")
_LIST = re.compile(r"\s*,\s*|\s+and\s+")  # where a run lists several names
_DASH = re.compile(r"\s+[–—-]\s+")
_BRACKETED = re.compile(r"\(([A-Z]{2,})\)")
# A title and "of" before a country's name, right before a stretch ("Chairman of Vietnam's |National
# Assembly X"): what the stretch names is what the title heads.
_TITLE_OF_BEFORE = re.compile(r"(?:^|\s)([\w.]+)\s+of\s+(?:the\s+)?(?:[A-Z][\w-]*\s+)*?[A-Z][\w-]*(?:'s?)?\s*$")


def name_key(name: str) -> str:
    """A name's letters and digits, folded and in lower case: "Hà Nội" and "Hanoi" are one name."""
    return re.sub(r"[\W_]", "", fold(name).casefold())


class _Country(NamedTuple):
    name: str  # the usual English name: ISO 3166's common name, else its short name
    official: str | None  # where it differs


def _countries() -> dict[str, _Country]:
    """Every name ISO 3166 gives a country (short, common, official), by _key."""
    found = {}
    for record in pycountry.countries:
        usual = getattr(record, "common_name", None) or record.name
        official = getattr(record, "official_name", None)
        country = _Country(usual, official if official != usual else None)
        # ISO writes some short names inverted ("Korea, Republic of"); news, the other way round.
        inverted = " ".join(reversed(record.name.split(", "))) if record.name.endswith(" of") else None
        for name in {record.name, usual, official, inverted} - {None}:
            found[name_key(name)] = country
    return found


_COUNTRIES = _countries()
# Endings of a people's adjective, longest first ("Canadian", "Chinese", "Swedish", "Pakistani").
_DEMONYM_ENDINGS = ("ese", "ian", "ean", "ish", "an", "i", "n")


def _country_of_demonym(word: str) -> _Country | None:
    """The ISO 3166 country whose people's adjective the word is, guessed from its ending
    ("Canadian": Canada, "Comorian": Comoros), where exactly one country's name fits."""
    for ending in _DEMONYM_ENDINGS:
        stem = name_key(word[: -len(ending)])
        if not word.endswith(ending) or len(stem) < 4:
            continue
        fits = {country for key, country in _COUNTRIES.items() if key.startswith(stem) and len(key) - len(stem) <= 3}
        if fits:
            return fits.pop() if len(fits) == 1 else None
    return None


def entity_slug(name: str) -> str | None:
    return slug_of("".join(" " if unicodedata.category(char)[0] == "P" else char for char in name))  # ("–")


class _Name(NamedTuple):
    """A name found in a sentence: where its words are, its guessed type and why."""

    start: int
    end: int
    kind: str
    reason: str
    written: str = ""  # the title and the name as written ("FM Tanaka"), where a title opens the run
    abbreviation: str = ""  # written in brackets after the name ("National Assembly (NA)")
    country_at: int | None = None  # where to look for its country before, if not at `start`


# --- Proposals -----------------------------------------------------------------------------


def new_names(
    sentence: Sentence, registry: Registry, proposed: dict[str, dict[str, Any]] | None = None
) -> Iterator[dict[str, Any]]:
    """Names in capitals that no entity of the registry has: an entry each. `proposed`: the
    entries proposed so far for the same article, by id; a person's last name alone ("Weber",
    "FM Tanaka") becomes an alias of the person proposed with the full name, whichever comes first."""
    proposed = {} if proposed is None else proposed
    known = {name_key(name) for entity_id in registry.entities for name in registry.names.names(entity_id)}
    text = fold(sentence.text)
    yield from _countries_of_demonyms(text, registry, known, proposed)
    yield from _numbered_events(text, registry, known, proposed)
    yield from _groups(sentence, registry, known, proposed)
    for run in _RUN.finditer(text):
        for start, end in _pieces(text, run.start(), run.end()):
            if _last_name_alone(text, start, end, registry, proposed):
                continue
            for name in _names(sentence, start, end, registry):
                entity = _entry(name, sentence, registry, known, proposed)
                if entity is not None:
                    yield entity


def _countries_of_demonyms(
    text: str, registry: Registry, known: set[str], proposed: dict[str, dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Countries the registry lacks, named by their people's adjective before a title or an
    organisation's word ("Canadian Prime Minister X", "the Comorian Embassy"), with the adjective
    as their demonym: the person's or organisation's country, once the country is accepted."""
    for match in re.finditer(r"(?<![\w'-])([A-Z][a-z]+)\s+([\w-]+)", text):
        word, following = match.groups()
        country = _country_of_demonym(word)
        if (
            name_key(word) in known
            or country is None
            or not (following.casefold() in TITLE_WORDS or following in ORGANISATION_WORDS)
        ):
            continue
        entity_id, demonym = f"country:{entity_slug(country.name)}", {"name": word, "kind": "demonym"}
        if entity_id in registry.entities:
            continue
        if entity_id in proposed:
            aliases = proposed[entity_id].setdefault("aliases", [])
            if demonym not in aliases:
                aliases.append(demonym)
            continue
        proposed[entity_id] = {
            "id": entity_id,
            "name": country.name,
            "aliases": [demonym, *([{"name": country.official, "kind": "other_spelling"}] if country.official else [])],
            "draft": f"named by {word!r}, guessed to be the adjective of {country.name} (ISO 3166, pycountry) from "
            "its ending. Check the name as usually written in English and that the demonym is its",
        }
        yield proposed[entity_id]


# One of a series of meetings, named by its number, in capitals or not ("the sixth Vietnam – China
# border defence friendship exchange", "the 37th Intergovernmental Commission"): the number says
# it is an event, whatever its last word.
_NUMBERED_EVENT = re.compile(
    r"(?<!\w)the\s+(?P<name>(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|eleventh|twelfth)\s+(?:[\w–—-]+\s+){0,8}?(?P<head>exchange|session|meeting|conference|"
    r"forum|summit|dialogue|commission|consultations?|festival|congress|plenum|round|expo|fair|talks)"
    r"(?:\s+of\s+(?:the\s+)?(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*))?)(?!\w)",
    re.IGNORECASE,
)


def _numbered_events(
    text: str, registry: Registry, known: set[str], proposed: dict[str, dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Events of a series the registry lacks, named with their number ("the sixth ... exchange")."""
    for match in _NUMBERED_EVENT.finditer(text):
        if match["head"] in EVENT_WORDS:
            continue  # an event's name in capitals, proposed whole ("second Belt and Road Forum for ...")
        written = match["name"]
        name = written[:1].upper() + written[1:]
        slug = entity_slug(name)
        if (
            slug is None
            or name_key(name) in known
            or f"event:{slug}" in registry.entities
            or f"event:{slug}" in proposed
        ):
            continue
        proposed[f"event:{slug}"] = {
            "id": f"event:{slug}",
            "name": name,
            "draft": f"named by {written!r}: a number before a meeting's word names one of a series of events. "
            "Check the name (the series' usual name in capitals, with its number) and add its date",
        }
        yield proposed[f"event:{slug}"]


# A country's people of one kind, unnamed, after its demonym ("Indian investors", "the Japanese
# business delegation"): a group, as the registry records "Japanese officials".
_PEOPLE = (
    r"(?:investors|businesses|enterprises|firms|companies|officials|delegates|diplomats|experts|scholars|"
    r"leaders|students|workers|ambassadors|lawmakers|legislators|politicians|representatives|entrepreneurs|"
    r"exporters|importers|producers|start-?ups|delegation|citizens|tourists|troops|soldiers|officers|veterans|"
    r"businesspeople|labourers|laborers|fishermen)"
)
_GROUP_AFTER = re.compile(  # (and two kinds as one: "German politicians and enterprises")
    r"\s+(?:(?:business|trade|government|military|defence|defense|senior|young|foreign|leading|small|large|"
    rf"high-ranking|state|private)\s+){{0,2}}{_PEOPLE}(?:\s+and\s+{_PEOPLE})?(?!\w)"
)


def _groups(
    sentence: Sentence, registry: Registry, known: set[str], proposed: dict[str, dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Groups the registry lacks, named by a demonym and a plural of people ("Indian investors")."""
    for mention in sentence.mentions:
        entity = registry.entities[mention.entity_id]
        after = _GROUP_AFTER.match(sentence.text, mention.end)
        if entity.type != "country" or after is None or mention.words == entity.name:
            continue
        written = sentence.text[mention.start : after.end()]
        slug = entity_slug(written)
        if slug is None or name_key(written) in known or f"group:{slug}" in registry.entities | proposed:
            continue
        proposed[f"group:{slug}"] = {
            "id": f"group:{slug}",
            "name": f"{written} (unnamed)",
            "aliases": [{"name": written, "kind": "short_name"}],
            "country": entity.id,
            "draft": f"named by {written!r}: a country's demonym before people of one kind, a group the source "
            "does not name person by person. Check the name, and that they act as one in the article",
        }
        yield proposed[f"group:{slug}"]


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The names a run lists: split at commas and "and" (unless the words joined are one name),
    then at dashes unless the piece names an event."""
    cuts = [start, *(edge for cut in _LIST.finditer(text, start, end) for edge in cut.span()), end]
    listed = list(zip(cuts[::2], cuts[1::2], strict=True))
    index = 0
    while index < len(listed):
        first = listed[index][0]
        last = max(
            (
                other
                for other in range(index, len(listed))
                if _one_name(text[first : listed[other][1]]) or _abbreviated(text, first, listed[other])
            ),
            default=index,
        )
        stop, index = listed[last][1], last + 1
        words = _words(text, first, stop)
        if words and _head([word for word, _, _ in words]) in EVENT_WORDS:
            yield first, stop
            continue
        cuts = [first, *(edge for cut in _DASH.finditer(text, first, stop) for edge in cut.span()), stop]
        yield from zip(cuts[::2], cuts[1::2], strict=True)


def _abbreviated(text: str, first: int, last: tuple[int, int]) -> bool:
    """Whether names listed from `first` to the `last` piece are one that an abbreviation in brackets
    in that piece spells with their initials ("Vietnam Chamber of Commerce and Industry (VCCI)",
    "Ministry of Planning and Investment (MPI)")."""
    bracket = _BRACKETED.search(text, *last) or _BRACKET_AFTER.match(text, last[1])
    return bracket is not None and _spelled(text, first, bracket) is not None


# An abbreviation in brackets right after a name ("... Development (USAID) and ...").
_BRACKET_AFTER = re.compile(r"\s*\(([A-Z]{2,})\)")


def _spelled(text: str, start: int, bracket: re.Match[str]) -> int | None:
    """Where the name that the abbreviation in brackets spells with its words' initials opens,
    after `start` and right before the brackets ("Vice President of the |Vietnam Chamber of Commerce
    and Industry (VCCI)"), if the words before the brackets spell it."""
    letters = bracket[1]
    words = list(re.finditer(r"[^\s–—-]+", text[start : bracket.start()]))
    for word in reversed(words):
        if word.group() in CONNECTORS:
            continue
        if not word.group()[:1].isupper() or not letters.endswith(word.group()[0]):
            return None
        letters = letters[:-1]
        if not letters:
            return start + word.start()
    return None


def _one_name(listed: str) -> bool:
    """Whether names listed are one: a country's ("Bosnia and Herzegovina"), or an agreement's,
    event's or programme's with "and" before or after a lone word ("Comprehensive and Progressive
    Agreement ...", "Treaty of Amity and Cooperation", "Belt and Road Forum"; not "Japan and
    Vietnam Partnership Agreement")."""
    if name_key(listed) in _COUNTRIES:
        return True
    parts = [part.split() for part in re.split(r"\s+and\s+", listed)]
    if "," in listed or len(parts) != 2 or [_names_a_kind(part) for part in parts].count(True) != 1:
        return False
    lone = [word for word in next(part for part in parts if not _names_a_kind(part)) if word not in NOT_NAMES]
    return len(lone) == 1 and lone[0].casefold() not in TITLE_WORDS and name_key(lone[0]) not in _COUNTRIES


def _names_a_kind(words: list[str]) -> bool:
    """Whether the words name an agreement, an event or a programme by a word of theirs."""
    return bool(AGREEMENT_WORDS & set(words)) or _head(words) in EVENT_WORDS | PROGRAMME_WORDS


def _head(words: list[str]) -> str:
    """The word a name is of: its last before "of", "for" or "on" ("Forum" of "Belt and Road Forum
    for International Cooperation"), else its last."""
    for index, word in enumerate(words[1:], start=1):
        if word in ("of", "for", "on"):
            return words[index - 1]
    return words[-1] if words else ""


def _words(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """The words of text[start:end] (no comma or full stop after them), each with its span."""
    found = []
    for match in re.finditer(r"\S+", text[start:end]):
        word = match.group().rstrip(".,")
        found.append((word, start + match.start(), start + match.start() + len(word)))
    return found


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without the words that open a sentence ("The", "In"), join names ("of the") or
    end a possessive ("'s", of "Vietnam's National Assembly": a name's country, not its name)."""
    words = _words(text, start, end)
    while words and (_opens_no_name(words) or _joins(words[0][0]) or words[0][0] in POSSESSIVE):
        words.pop(0)
    while words and (_joins(words[-1][0]) or _BRACKETED.fullmatch(words[-1][0])):
        words.pop()
    if not words:
        return None
    last = words[-1][0]  # ("Australia's": Australia)
    possessive = next((len(end) for end in ("'s", "'") if last.endswith(end) and len(last) > len(end)), 0)
    return words[0][1], words[-1][2] - possessive


def _opens_no_name(words: list[tuple[str, int, int]]) -> bool:
    """Whether the first word opens a sentence rather than a name ("The", "In"); a month's name
    does unless a name goes on after it ("Jan Zahradil", "May Wong", not "June 5")."""
    first = words[0][0]
    if first.casefold() in MONTHS and len(words) > 1 and words[1][0][:1].isupper():
        return False
    return first in NOT_NAMES


def _joins(word: str) -> bool:
    """A word that joins names ("of the") or a mark between them ("–")."""
    return word in CONNECTORS or not any(char.isalnum() for char in word)


def _names(sentence: Sentence, start: int, end: int, registry: Registry) -> Iterator[_Name]:
    """The names a piece of a run holds: whole if it names an agreement or an event ("UN Convention
    on the Law of the Sea", "Vietnam – Japan Investment Summit"), else the stretches no registry
    name covers, each typed."""
    text = fold(sentence.text)
    span = _trim(text, start, end)
    if span is None:
        return
    brackets = [*_BRACKETED.finditer(text, *span), *filter(None, [_BRACKET_AFTER.match(text, span[1])])]
    for bracket in brackets:
        if (opening := _spelled(text, span[0], bracket)) is None:
            continue
        # (an organisation's name holds a country's without being cut at it: "Vietnam Chamber of ...")
        for name in _typed(sentence, opening, len(text[: bracket.start()].rstrip()), registry):
            yield name._replace(abbreviation=bracket[1], kind=name.kind if name.kind != "person" else "organization")
        yield from _names(sentence, span[0], opening, registry)
        # The holder of a title of the organisation is of its country ("Chairman of Japan's State
        # Council (SC) Taro Ueda").
        titled = any(word.casefold() in TITLE_WORDS for word in text[span[0] : opening].split())
        for name in _names(sentence, bracket.end(), span[1], registry):
            yield name._replace(country_at=opening) if titled and name.kind == "person" else name
        return
    words = [word for word, _, _ in _words(text, *span)]
    whole = _head(words) in EVENT_WORDS or AGREEMENT_WORDS & set(words)
    covered = any(m.start <= span[0] and span[1] <= m.end for m in sentence.mentions)
    if whole and not covered:
        yield from _typed(sentence, *span, registry)
        return
    for first, last in _outside_mentions(*span, sentence):
        if (trimmed := _trim(text, first, last)) is not None:
            yield from _typed(sentence, *trimmed, registry)


def _outside_mentions(start: int, end: int, sentence: Sentence) -> list[tuple[int, int]]:
    """The stretches of text[start:end] that no registry name covers."""
    pieces, position = [], start
    for mention in sorted(sentence.mentions, key=lambda mention: mention.start):
        if mention.end <= position or mention.start >= end:
            continue
        pieces.append((position, max(position, mention.start)))
        position = max(position, mention.end)
    pieces.append((position, end))
    return [(first, last) for first, last in pieces if sentence.text[first:last].strip(" ,.")]


def _typed(sentence: Sentence, start: int, end: int, registry: Registry) -> Iterator[_Name]:
    """The name at text[start:end] with its type: a country, an agreement, event, place or
    organisation by a word of it, else a person after a title ("Speaker of the National Diet X":
    the organisation, then the person)."""
    text = fold(sentence.text)
    name, words = text[start:end], _words(text, start, end)
    plain = [word for word, _, _ in words]
    if name.isupper():  # a dateline or a heading ("HẢI PHÒNG –"), not a name as written in a sentence
        return
    if name_key(name) in _COUNTRIES:
        yield _Name(start, end, "country", "its name in ISO 3166 (pycountry)")
        return
    titles = [index for index, word in enumerate(plain) if word.casefold() in TITLE_WORDS]
    title_of = next((index for index in titles if plain[index + 1 : index + 2] == ["of"]), None)
    bodies = [index for index, word in enumerate(plain) if word in ORGANISATION_WORDS | PLACE_LAST]
    heads = title_of is not None and bodies and bodies[-1] > title_of  # "Speaker of the National Diet Hanako Sato"
    before = _TITLE_OF_BEFORE.search(text, 0, start)  # "Chairman of Vietnam's National Assembly (NA) X"
    if heads or (title_of is None and bodies and before and before[1].rstrip(".").casefold() in TITLE_WORDS):
        body = _trim(text, words[title_of + 1][1] if title_of is not None else start, words[bodies[-1]][2])
        after = [word for word in words[bodies[-1] + 1 :] if not _BRACKETED.fullmatch(word[0])]
        bracketed = [_BRACKETED.fullmatch(word[0]) for word in words[bodies[-1] + 1 :]]
        abbreviation = next((match[1] for match in bracketed if match), "")
        if body is not None and (kind := _kind_of(text[body[0] : body[1]].split())) is not None:
            yield _Name(*body, kind, "a word of its name, after a title and 'of'", abbreviation=abbreviation)
        if after:
            country_at = body[0] if body is not None else None
            yield _Name(after[0][1], end, "person", "the title before what it heads", country_at=country_at)
        return
    if set(titles) == set(range(len(words))):  # "Party General Secretary", "Deputy PM": a title alone
        return
    kind = _kind_of(plain)
    if kind is not None and len(words) > 1:  # ("Party" alone, "the Forum": a word, not a name)
        yield _Name(start, end, kind, "a word of its name")
        return
    if kind == "organization":  # "the Russian Embassy", "Japanese Navy": named with its country
        country = next((m for m in sentence.mentions if m.end <= start and not text[m.end : start].strip()), None)
        if country is not None and registry.entities[country.entity_id].type == "country":
            yield _Name(country.start, end, kind, "a word of its name", country_at=start)
        return
    of = [index for index, word in enumerate(plain) if word == "of"]
    if of and name_key(text[words[of[-1] + 1][1] : end]) in _COUNTRIES:  # "Envoys of Chile": the country
        yield from _typed(sentence, words[of[-1] + 1][1], end, registry)
        return
    if titles:  # "Russian Deputy PM Ivan Orlov" (not "Minister of Industry": an office's words)
        if titles[-1] + 1 < len(words) and plain[titles[-1] + 1] not in CONNECTORS:
            first = titles[-1]
            while first - 1 in titles:  # the title's first word ("Deputy PM X")
                first -= 1
            written = sentence.text[words[first][1] : end]
            if first and (opening := _trim(text, start, words[first - 1][2])):  # "Chile's Foreign Minister X"
                yield from _typed(sentence, *opening, registry)
            yield _Name(words[titles[-1] + 1][1], end, "person", "a title before it", written)
        return
    filed = dateline(text)  # ("Quang Ninh (VNA) –": where the news was filed)
    if (
        _PLACE_AFTER.match(text, end)
        or _PLACE_BEFORE.search(text, 0, start)
        or (filed and end <= filed.start("agency"))
    ):
        yield _Name(start, end, "place", "a place's word next to it ('province', 'district', 'border gate')")
    elif (
        _AT.search(text, 0, start)
        and (len(words) > 1 or plain[0] not in NOT_NAMES | ADJECTIVES)  # ("in Moscow", not "in May")
        and not _titled(sentence, start, registry)
    ):
        yield _Name(start, end, "place", "a guess from 'in' or 'at' before it")
    elif _titled(sentence, start, registry):
        yield _Name(start, end, "person", "a title before it")
    elif len(words) > 1 and plain[-1] not in ADJECTIVES:
        yield _Name(start, end, "person", "a guess (no title or telling word)")


_PLACE_WORDS = "|".join(re.escape(noun) for noun in PLACE_NOUNS)
_PLACE_AFTER = re.compile(rf"\s+(?:{_PLACE_WORDS})(?!\w)")
_AT = re.compile(r"(?<!\w)(?:in|at)\s+$")
_PLACE_BEFORE = re.compile(rf"(?<!\w)(?:{_PLACE_WORDS})\s+of\s+$")


def _kind_of(words: list[str]) -> str | None:
    if AGREEMENT_WORDS & set(words):
        return "agreement"
    if _head(words) in EVENT_WORDS:
        return "event"
    if words[0] in PLACE_FIRST or words[-1] in PLACE_LAST:
        return "place"
    if ORGANISATION_WORDS & set(words):
        return "organization"
    if _head(words) in PROGRAMME_WORDS:
        return "programme"
    return None


def _titled(sentence: Sentence, start: int, registry: Registry) -> bool:
    """Whether a title stands right before: an office the registry names, or a title's word."""
    before = sentence.text[:start].split()
    if before and before[-1].rstrip(".").casefold() in TITLE_WORDS:
        return True
    return any(
        registry.entities[mention.entity_id].type == "office" and not sentence.text[mention.end : start].strip(" ,")
        for mention in sentence.mentions
        if mention.end <= start
    )


def _country_before(
    sentence: Sentence, start: int, registry: Registry, proposed: dict[str, dict[str, Any]], titled: bool
) -> str | None:
    """The country named right before a name: before a person's title ("Russian Deputy PM Ivan
    Orlov", "Australia's Prime Minister X"), or before a name with a possessive or none
    ("Vietnam's National Assembly", "Vietnamese National Assembly"). Between them a possessive,
    then titles or offices (of a person: at least one of the three) and nothing else (in
    "Ambassador to Japan X" the country is where X serves). A country proposed earlier in the
    article counts as one the registry names."""
    text = fold(sentence.text)
    offices = [m for m in sentence.mentions if registry.entities[m.entity_id].type == "office"]
    countries = [
        (m.start, m.end, m.entity_id) for m in sentence.mentions if registry.entities[m.entity_id].type == "country"
    ]
    for entity in proposed.values():
        if entity["id"].startswith("country:"):
            for name in {entity["name"], *(alias["name"] for alias in entity.get("aliases") or ())}:
                for match in re.finditer(rf"(?<!\w){re.escape(fold(name))}(?!\w)", text):
                    countries.append((match.start(), match.end(), entity["id"]))
    for _, last, country_id in sorted(countries, key=lambda country: -country[1]):
        if last > start:
            continue
        gap = list(text[last:start])
        for office in offices:
            for index in range(max(office.start, last), min(office.end, start)):
                gap[index - last] = " "
        left = [word.rstrip(".,") for word in "".join(gap).split()]
        masked = "".join(gap) != text[last:start]  # (an office)
        possessive = left[:1] and left[0] in POSSESSIVE
        rest = left[1:] if possessive else left
        # ("Chinese Party chief and President Xi Jinping")
        if not all(word.casefold() in TITLE_WORDS or word == "and" for word in rest):
            continue
        if (bool(left) or masked) if titled else not (rest or masked):
            return country_id
    return None


# --- The entry -----------------------------------------------------------------------------


def _entry(
    found: _Name, sentence: Sentence, registry: Registry, known: set[str], proposed: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    written = sentence.text[found.start : found.end]
    country = _COUNTRIES[name_key(written)] if found.kind == "country" else None
    name = country.name if country else written
    # Other spellings the registry may know it by: "UN Convention ..." as "United Nations Convention
    # ...", "Republic of Korea" as South Korea.
    spellings = [written, _expanded(sentence, found, registry), *(country or ())]
    slug = entity_slug(name)
    if slug is None or f"{found.kind}:{slug}" in registry.entities or any(name_key(s) in known for s in spellings if s):
        return None
    if found.kind == "person" and _folded_into_person(found, name, registry, proposed):
        return None
    entity: dict[str, Any] = {"id": f"{found.kind}:{slug}", "name": name}
    others = [written, country.official] if country else [ascii_form(name)]
    aliases = [
        {"name": other, "kind": "other_spelling"} for other in dict.fromkeys(others) if other not in (None, name)
    ]
    reason = found.reason
    if found.kind == "person":
        if found.written and " " not in name:  # "FM Tanaka", until Akira Tanaka is named
            aliases.append({"name": found.written, "kind": "title_and_name"})
        aliases += _taken_over(name, proposed)
    if found.abbreviation:
        aliases.append({"name": found.abbreviation, "kind": "abbreviation"})
    titled = found.kind == "person" and found.country_at is None
    if found.kind in OF_A_COUNTRY and (
        country_id := _country_before(sentence, found.country_at or found.start, registry, proposed, titled)
    ):
        entity["country"] = country_id
        where = "the title" if titled else "what it heads" if found.kind == "person" else "the name"
        reason += f"; its country ({country_id}) from the country named before {where}"
    if aliases:
        entity["aliases"] = aliases
    belongs = found.kind not in ("country", "agreement", "event") and "country" not in entity  # (Entity.country)
    check = "the name as usually written in English" + (", and add its country" if belongs else "")
    entity["draft"] = (
        f"named in {sentence.text[:80]!r}...; its type ({found.kind}) from {reason}. Check the type, {check}"
    )
    return entity


def _expanded(sentence: Sentence, found: _Name, registry: Registry) -> str:
    """The name with each registry name in it written as the entity's own name."""
    pieces, position = [], found.start
    for mention in sentence.mentions:  # in order; of names one inside another, the outer
        if position <= mention.start and mention.end <= found.end:
            pieces += [sentence.text[position : mention.start], registry.entities[mention.entity_id].name]
            position = mention.end
    return "".join([*pieces, sentence.text[position : found.end]])


def _taken_over(name: str, proposed: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """The aliases of a person proposed by their last name alone ("Weber", in a headline before
    "Klaus Weber"), taken off the proposals for the full name to carry."""
    if " " not in name:
        return []
    aliases = []
    for shorter in [other for other in proposed.values() if other["id"].startswith("person:")]:
        if shorter["name"] == name.split()[-1]:
            del proposed[shorter["id"]]
            aliases += shorter.get("aliases") or [{"name": shorter["name"], "kind": "short_name"}]
    return aliases


def _short_names(name: str) -> tuple[str, ...]:
    """The words a person named in full is also named by alone: the last ("Trudeau", "Chinh"), and
    of a name of two words the first too ("Wei" of Wei Fenghe: Chinese names put it first)."""
    words = name.split()
    return () if len(words) < 2 else (words[-1], words[0]) if len(words) == 2 else (words[-1],)


def _last_name_alone(text: str, start: int, end: int, registry: Registry, proposed: dict[str, dict[str, Any]]) -> bool:
    """Whether text[start:end] is one word, the last name of a person named in full ("Trudeau
    agreed ...", with no title to say it is a person's), which then is the person's alias."""
    alone = _trim(text, start, end)
    if alone is None or " " in text[slice(*alone)]:
        return False
    return _folded_into_person(_Name(*alone, "person", ""), text[slice(*alone)], registry, proposed)


def _folded_into_person(found: _Name, name: str, registry: Registry, proposed: dict[str, dict[str, Any]]) -> bool:
    """Whether a person's one-word name is the last name of a person the registry has (nothing to
    propose) or of one proposed already (then the words are its alias)."""
    if " " in name:
        return False
    people = [entity.name for entity_id, entity in registry.entities.items() if entity.type == "person"]
    if any(name_key(person.split()[-1]) == name_key(name) for person in people):
        return True
    full = next(
        (
            entity
            for entity in proposed.values()
            if entity["id"].startswith("person:") and name in _short_names(entity["name"])
        ),
        None,
    )
    if full is None:
        return False
    written, kind = (found.written, "title_and_name") if found.written else (name, "short_name")
    aliases = full.setdefault("aliases", [])
    if all(alias["name"] != written for alias in aliases):
        aliases.append({"name": written, "kind": kind})
    return True
