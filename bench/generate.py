"""Generate a synthetic corpus in the project's own format, for benchmarks.

    python bench/generate.py --facts 1000000 --out bench/work/corpus [--seed 1] [--jobs 2]

Writes, under OUT:

* `sources/<id>.txt` and `sources/<id>.json`: about 7 KB of English-like news text per
  source, with a record holding the text's real SHA-256 (about 50 facts per source);
* `facts/entities/*.json`: about 10,000 entities of every type in schema/vocabulary.py,
  with aliases of every kind (misspellings point at a source whose text holds them);
* `facts/batch-NNNNN.json`: 1,000 facts per file, drawn from the real predicate
  vocabulary (subject and object types, quantity or text, allowed qualifiers), every
  citation quoting words of its source that carry the fact, as the project's grounding
  rules ask (whole sentences, runs of words holding the names of the fact's entities,
  its number and its statement, and two pieces of one paragraph joined with "…"; some
  sentences say "the two leaders" and their citations name them with referents), about
  10% also cited by one or two other sources whose text restates the fact, EDTF dates
  of every form the project uses, and a few corrections.

Every choice comes from `random.Random` seeded with a string built from the seed and
the file's number, so the output is identical for a seed whatever `--jobs` is, and
each fact file (with its 20 sources) is generated and written on its own: memory
stays flat however many facts are asked for.
"""

from __future__ import annotations

import argparse
import collections
import functools
import hashlib
import itertools
import json
import math
import multiprocessing
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from multiprocessing.pool import AsyncResult
from pathlib import Path
from random import Random
from typing import Any, NamedTuple

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from schema.vocabulary import ENTITY_TYPES, PREDICATES, QUALIFIERS, Predicate  # noqa: E402

FACTS_PER_FILE = 1000
FACTS_PER_SOURCE = 50
SOURCES_PER_FILE = FACTS_PER_FILE // FACTS_PER_SOURCE
ENTITY_COUNT = 10_000
SEARCH_WORD = "cooperation"  # frequent in the generated text: what the benchmark searches for

# Share of the entity registry per type (all of ENTITY_TYPES must appear).
TYPE_SHARES: tuple[tuple[str, float], ...] = (
    ("person", 0.40),
    ("organization", 0.15),
    ("country", 0.02),
    ("group", 0.08),
    ("office", 0.10),
    ("agreement", 0.12),
    ("programme", 0.05),
    ("place", 0.06),
    ("event", 0.02),
)
COUNTRY_OF = frozenset({"person", "office", "organization", "group", "place"})  # entities with a country
ENTITY_FILES = {
    "person": "people",
    "organization": "organizations",
    "country": "countries",
    "group": "groups",
    "office": "offices",
    "agreement": "agreements",
    "programme": "programmes",
    "place": "places",
    "event": "events",
}

# How often each predicate is used; predicates not listed (new ones) weigh 1.
PREDICATE_WEIGHTS = {
    "visited": 6,
    "met": 6,
    "held_talks_with": 5,
    "holds_office": 5,
    "stated": 8,
    "position_on": 4,
    "agreed_with": 3,
    "committed_to": 3,
    "pledged_to": 2,
    "strengthens_ties_with": 3,
    "participates_in": 2,
    "provides_aid_to": 2,
    "trade_with": 2,
    "signed": 2,
}

# --- Word lists ---------------------------------------------------------------

REAL_COUNTRIES = (
    "Vietnam", "Japan", "China", "United States", "Russia", "South Korea", "India", "Australia", "France",
    "Germany", "United Kingdom", "Laos", "Cambodia", "Thailand", "Singapore", "Indonesia", "Malaysia",
    "Philippines", "Myanmar", "Canada", "Brazil", "Italy", "Spain", "Netherlands", "Sweden", "Norway",
    "Finland", "Denmark", "Poland", "Hungary", "Czech Republic", "Israel", "Egypt", "South Africa", "Nigeria",
    "Mexico", "Argentina", "Chile", "Peru", "New Zealand", "Mongolia", "Kazakhstan", "Turkey", "Iran",
    "Saudi Arabia", "United Arab Emirates", "Qatar", "Cuba", "Venezuela", "Belarus",
)  # fmt: skip
SYLLABLES = (
    "ka", "lo", "mi", "ra", "to", "sen", "vi", "na", "ber", "dal", "gor", "han", "lin", "mar", "nor", "pel",
    "quin", "sar", "tal", "ven", "zor", "bel", "cor", "dan", "el", "fa", "gi", "ho", "ir", "jun", "kel", "lu",
    "mo", "nu", "or", "pa", "ru", "si", "tu", "ul", "va", "wen", "ya", "zu",
)  # fmt: skip
FAMILY_NAMES = (
    "Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Ho", "Ngo", "Duong", "Ly",
    "Tanaka", "Suzuki", "Sato", "Kimura", "Ivanov", "Petrov", "Smith", "Johnson", "Kim", "Park", "Singh",
    "Wang", "Li", "Chen", "Martin", "Bernard", "Muller", "Schmidt", "Rossi", "Garcia", "Silva", "Santos",
)  # fmt: skip
MIDDLE_NAMES = ("Van", "Thi", "Duc", "Minh", "Quoc", "Xuan", "Thanh", "Hong", "Kim", "Ngoc", "Dinh", "Huu")
GIVEN_NAMES = (
    "An", "Binh", "Cuong", "Dung", "Hai", "Hung", "Khanh", "Lan", "Long", "Mai", "Nam", "Phuc", "Quang", "Son",
    "Tam", "Thang", "Trong", "Tuan", "Viet", "Yen", "Hiroshi", "Kenji", "Yuki", "Sergei", "Dmitri", "Anna",
    "John", "Mary", "David", "Sarah", "Min-jun", "Ji-woo", "Rahul", "Priya", "Wei", "Jun", "Pierre", "Claire",
    "Hans", "Marco", "Lucia", "Carlos", "Ana",
)  # fmt: skip
TITLES = ("Mr", "Ms", "Dr", "Minister", "President", "Ambassador", "Deputy Minister", "Chairman")
ROLES = ("President", "Prime Minister", "Foreign Minister", "Minister of Trade", "Minister of Defence")
FIELDS = (
    "trade", "investment", "defence", "education", "health care", "agriculture", "energy", "infrastructure",
    "tourism", "climate change", "maritime security", "science and technology", "culture", "labour",
    "finance", "transport", "fisheries", "digital transformation", "public security", "human resources",
)  # fmt: skip
ADJECTIVES = (
    "comprehensive", "strategic", "practical", "sustainable", "regional", "bilateral", "long-term", "new",
    "effective", "mutual", "closer", "extensive", "peaceful", "stable", "green", "high-quality",
)  # fmt: skip
NOUNS = (
    "cooperation", "partnership", "relations", "exchanges", "projects", "investment", "growth", "dialogue",
    "trust", "connectivity", "development", "security", "stability", "integration", "prosperity", "ties",
)  # fmt: skip
VERBS = (
    "strengthen", "deepen", "promote", "expand", "boost", "enhance", "foster", "accelerate", "support",
    "consolidate", "review", "implement", "facilitate", "develop",
)  # fmt: skip
ORG_WORDS = ("Council", "Bank", "Agency", "Association", "Institute", "Chamber", "Federation", "Fund", "Commission")
AGREEMENT_KINDS = (
    "Comprehensive Strategic Partnership", "Strategic Partnership", "Free Trade Agreement",
    "Investment Protection Agreement", "Extensive Strategic Partnership", "Comprehensive Partnership",
)  # fmt: skip
PUBLISHERS = (
    ("vna", "Vietnam News Agency"), ("vov", "VOV World (Voice of Vietnam)"), ("scmp", "South China Morning Post"),
    ("ppp", "People's Police Press"), ("vnx", "VnExpress International"), ("tt", "Tuoi Tre News"),
    ("nd", "Nhan Dan"), ("vns", "Viet Nam News"),
)  # fmt: skip
UNITS = {
    "provides_aid_to": ("USD", "JPY", "EUR"),
    "delivered_to": ("vessels", "aircraft", "vehicles", "tonnes of rice"),
    "trade_with": ("USD",),
    "trade_growth_with": ("percent",),
    "anniversary": ("years",),
    "exchanged_documents_with": ("documents", "agreements", "memorandums of understanding"),
}
MONTHS = (
    "", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip
ORDINALS = ("first", "second", "third", "fourth", "fifth", "first since 2011", "first in a decade")
RANKS = ("largest", "second largest", "third largest", "leading", "top five")
FIRST_YEAR, LAST_YEAR = 1995, 2024

# --- Small helpers ----------------------------------------------------------------


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def truncated_slug(text: str, limit: int) -> str:
    return slugify(text)[:limit].strip("-") or "x"


@functools.cache
def cumulative_zipf(count: int, exponent: float = 0.9) -> tuple[float, ...]:
    """Cumulative weights so that the first items of a pool are chosen far more often."""
    return tuple(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(count)))


def phrase(rng: Random, template: str) -> str:
    """Fill {adj}, {noun}, {verb}, {field} slots of a template with words."""
    return template.format(
        adj=rng.choice(ADJECTIVES),
        noun=rng.choice(NOUNS),
        verb=rng.choice(VERBS),
        field=rng.choice(FIELDS),
        field2=rng.choice(FIELDS),
        year=rng.randint(FIRST_YEAR - 20, LAST_YEAR),
    )


def syllable_name(rng: Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def initials(name: str) -> str:
    letters = [word[0] for word in name.replace("-", " ").split() if word[0].isupper()]
    return "".join(letters) if len(letters) >= 2 else name.upper()[:4]


def misspelt(rng: Random, name: str) -> str:
    """The name with one letter dropped or two swapped (never the name itself)."""
    letters = list(name)
    positions = [i for i in range(1, len(letters) - 1) if letters[i].isalpha() and letters[i + 1].isalpha()]
    if not positions:
        return name + "h"
    i = rng.choice(positions)
    if rng.random() < 0.5 and letters[i] != letters[i + 1]:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    else:
        del letters[i]
    return "".join(letters)


# --- Entities ---------------------------------------------------------------------


@dataclass
class EntityRecord:
    id: str
    name: str
    description: str | None = None
    aliases: list[dict[str, str]] = field(default_factory=list)
    wikidata: str | None = None
    country: str | None = None

    @property
    def type(self) -> str:
        return self.id.partition(":")[0]

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "name": self.name}
        if self.description:
            data["description"] = self.description
        if self.aliases:
            data["aliases"] = self.aliases
        if self.wikidata:
            data["wikidata"] = self.wikidata
        if self.country:
            data["country"] = self.country
        return data


def _person(rng: Random) -> tuple[str, list[tuple[str, str]]]:
    family, given = rng.choice(FAMILY_NAMES), rng.choice(GIVEN_NAMES)
    name = f"{family} {rng.choice(MIDDLE_NAMES)} {given}" if rng.random() < 0.6 else f"{given} {family}"
    words = name.split()
    aliases = [(words[-1] if family == words[0] else family, "short_name"), (f"Mr {family}", "title_and_name")]
    if rng.random() < 0.3:
        aliases.append((" ".join(reversed(words)), "other_name_order"))
    return name, aliases


def _country(rng: Random, index: int) -> tuple[str, list[tuple[str, str]]]:
    name = REAL_COUNTRIES[index] if index < len(REAL_COUNTRIES) else syllable_name(rng, rng.randint(2, 3))
    long_name = f"Republic of {name}"
    aliases = [(long_name, "other_name"), (initials(long_name), "abbreviation")]
    if rng.random() < 0.2:
        aliases.append((f"Kingdom of {name}", "former_name"))
    return name, aliases


def _organization(rng: Random, countries: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
    pattern = rng.randrange(3)
    if pattern == 0:
        name = f"Ministry of {rng.choice(FIELDS).title()} of {rng.choice(countries)}"
    elif pattern == 1:
        name = f"{rng.choice(ADJECTIVES).title()} {rng.choice(FIELDS).title()} {rng.choice(ORG_WORDS)}"
    else:
        name = f"{syllable_name(rng, 2)} News Agency"
    aliases = [(initials(name), "abbreviation")]
    if "Organization" in name or rng.random() < 0.1:
        aliases.append((name.replace(" of ", " for "), "other_spelling"))
    return name, aliases


def _group(rng: Random, countries: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
    kind = rng.choice(("parliamentary delegation", "business delegation", "youth delegation", "working group"))
    name = f"{rng.choice(countries)} {kind} on {rng.choice(FIELDS)}"
    return name, [(f"the {kind}", "short_name")]


def _office(rng: Random, countries: Sequence[str], index: int) -> tuple[str, list[tuple[str, str]]]:
    # Every role of every country in turn, so that names do not repeat.
    role, country = ROLES[index % len(ROLES)], countries[(index // len(ROLES)) % len(countries)]
    name = f"{role} of {country}"
    aliases = [(f"{country} {role}", "other_name")]
    if role == "Prime Minister":
        aliases.append((f"Premier of {country}", "other_name"))
    return name, aliases


def _agreement(rng: Random, countries: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
    first, second = rng.sample(list(countries[:60]), 2)
    kind = rng.choice(AGREEMENT_KINDS)
    name = f"{first}-{second} {kind}"
    return name, [
        (f"the {kind}", "short_name"),
        (f"{initials(first)}-{initials(second)} {initials(kind)}", "abbreviation"),
    ]


def _programme(rng: Random, countries: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
    name = f"{rng.choice(countries)} {rng.choice(FIELDS).title()} Development Programme"
    return name, [(initials(name), "abbreviation")]


def _place(rng: Random) -> tuple[str, list[tuple[str, str]]]:
    base = syllable_name(rng, rng.randint(2, 3))
    name = rng.choice((f"{base}", f"{base} Province", f"Port of {base}", f"{base} City"))
    aliases = [(" ".join(rng.choice(SYLLABLES).capitalize() for _ in range(2)), "other_spelling")]
    if rng.random() < 0.2:
        aliases.append((f"Old {base}", "former_name"))
    return name, aliases


def _event(rng: Random, countries: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    kind = rng.choice(("Summit", "Forum", "Economic Forum", "Leaders' Meeting", "Expo"))
    name = f"{year} {rng.choice(countries[:40])} {kind}"
    return name, [(f"the {kind}", "short_name")]


def _make_name(rng: Random, kind: str, index: int, countries: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
    if kind == "person":
        return _person(rng)
    if kind == "country":
        return _country(rng, index)
    if kind == "place":
        return _place(rng)
    if kind == "office":
        return _office(rng, countries, index)
    makers: dict[str, Callable[[Random, Sequence[str]], tuple[str, list[tuple[str, str]]]]] = {
        "organization": _organization,
        "group": _group,
        "agreement": _agreement,
        "programme": _programme,
        "event": _event,
    }
    return makers[kind](rng, countries)


def type_counts(total: int) -> list[tuple[str, int]]:
    counts = [(kind, max(1, round(total * share))) for kind, share in TYPE_SHARES]
    missing = sorted(set(ENTITY_TYPES) - {kind for kind, _ in counts})
    if missing:
        raise SystemExit(f"generate.py: TYPE_SHARES lacks entity types {missing}")
    return counts


def _unused_name(
    rng: Random, kind: str, index: int, countries: Sequence[str], used: set[str]
) -> tuple[str, list[tuple[str, str]]]:
    """A name whose id is not taken yet, if a few tries find one (else the id gets a number)."""
    for _ in range(20):
        name, aliases = _make_name(rng, kind, index, countries)
        if f"{kind}:{slugify(name)}" not in used:
            break
    return name, aliases


def build_entities(seed: int, total: int) -> list[EntityRecord]:
    """The registry, countries first (other names are made from them)."""
    rng = Random(f"{seed}/entities")
    entities: list[EntityRecord] = []
    used: set[str] = set()
    countries: list[str] = []
    country_ids: list[str] = []
    for kind, count in sorted(type_counts(total), key=lambda item: item[0] != "country"):
        for index in range(count):
            name, aliases = _unused_name(rng, kind, index, countries, used)
            slug, suffix = slugify(name), 1
            while f"{kind}:{slug}" in used:
                suffix += 1
                slug = f"{slugify(name)}-{suffix}"
            used.add(f"{kind}:{slug}")
            if suffix > 1:
                name = f"{name} ({suffix})"
            record = EntityRecord(f"{kind}:{slug}", name)
            record.aliases = [{"name": alias, "kind": alias_kind} for alias, alias_kind in aliases if alias != name]
            if rng.random() < 0.5:
                record.description = f"A {kind} in the synthetic benchmark corpus ({phrase(rng, '{adj} {noun}')})."
            if rng.random() < 0.2:
                record.wikidata = f"Q{rng.randint(1, 99_999_999)}"
            if kind in COUNTRY_OF:
                record.country = _country_of(rng, name, countries, country_ids)
            entities.append(record)
            if kind == "country":
                countries.append(name)
                country_ids.append(record.id)
    return entities


def _country_of(rng: Random, name: str, countries: list[str], ids: list[str]) -> str:
    """The country named in the entity's name (offices, ministries), else a likely one."""
    for country, country_id in zip(countries, ids, strict=True):
        if name.startswith(f"{country} ") or name.endswith(f" of {country}"):
            return country_id
    return rng.choices(ids, cum_weights=cumulative_zipf(len(ids)))[0]


def add_misspellings(entities: list[EntityRecord], seed: int, n_sources: int) -> dict[int, list[tuple[str, str]]]:
    """Give some people a misspelling found in one source; returns source index -> [(entity id, misspelling)]."""
    rng = Random(f"{seed}/misspellings")
    people = [entity for entity in entities if entity.type == "person"]
    count = min(len(people) // 2, max(1, n_sources // 5))
    by_source: dict[int, list[tuple[str, str]]] = {}
    for person in rng.sample(people, count):
        source_index = rng.randrange(n_sources)
        wrong = misspelt(rng, person.name)
        person.aliases.append({"name": wrong, "kind": "misspelling_in_source", "source": source_id(seed, source_index)})
        by_source.setdefault(source_index, []).append((person.id, wrong))
    return by_source


# --- Sources ----------------------------------------------------------------------


@dataclass(frozen=True)
class SourceHead:
    """What is known of a source from its number alone: its id, publisher and date."""

    id: str
    publisher: str
    published: date
    published_text: str


def source_head(seed: int, index: int) -> SourceHead:
    rng = Random(f"{seed}/source-head/{index}")
    slug, publisher = PUBLISHERS[rng.randrange(len(PUBLISHERS))]
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    text = day.isoformat() if rng.random() < 0.9 else day.isoformat()[:7]
    topic = rng.choice(REAL_COUNTRIES[:20])
    return SourceHead(f"{slug}-{year}-{slugify(topic)}-{index:06d}", publisher, day, text)


def source_id(seed: int, index: int) -> str:
    return source_head(seed, index).id


@dataclass
class Pools:
    """Entity ids by type, their names, and cumulative weights for skewed choice."""

    ids: dict[str, list[str]]
    names: dict[str, str]
    weights: dict[str, tuple[float, ...]]

    @classmethod
    def of(cls, entities: list[EntityRecord]) -> Pools:
        ids: dict[str, list[str]] = {kind: [] for kind in ENTITY_TYPES}
        for entity in entities:
            ids[entity.type].append(entity.id)
        weights = {kind: cumulative_zipf(len(members)) for kind, members in ids.items()}
        return cls(ids, {entity.id: entity.name for entity in entities}, weights)

    def pick(self, rng: Random, types: Sequence[str], avoid: str | None = None) -> str:
        kinds = [kind for kind in types if self.ids[kind]]
        for _ in range(10):
            kind = rng.choice(kinds)
            chosen = rng.choices(self.ids[kind], cum_weights=self.weights[kind])[0]
            if chosen != avoid:
                return chosen
        return rng.choice([entity for kind in kinds for entity in self.ids[kind] if entity != avoid])


OPEN, CLOSE = "\x02", "\x03"  # around the words of a sentence that a quote of it must keep


def _mark(words: str) -> str:
    return f"{OPEN}{words}{CLOSE}"


@dataclass
class Sentence:
    """A sentence of an article, and which of its words (by index) name what a quote of it must carry."""

    text: str
    required: tuple[int, ...] = ()
    lead: str = ""  # the sentence before it that names whom it refers to ("The two leaders ...")
    following: str = ""  # what follows it in its paragraph: where a second piece of a quote may come from

    @property
    def unit(self) -> str:
        """The sentence as the article prints it, with its lead."""
        return f"{self.lead} {self.text}" if self.lead else self.text


def _sentence(marked: str, lead: str = "") -> Sentence:
    """A sentence from text with marked words (capitalised), and the indexes of the words marked."""
    first = 1 if marked.startswith(OPEN) else 0
    marked = marked[:first] + marked[first].upper() + marked[first + 1 :]
    required, inside = [], False
    for number, word in enumerate(marked.split(" ")):
        inside = inside or OPEN in word
        if inside:
            required.append(number)
        inside = inside and CLOSE not in word
    return Sentence(marked.replace(OPEN, "").replace(CLOSE, ""), tuple(required), lead)


@dataclass
class Draft:
    """One fact while its source is being written: the fact's fields and its sentence."""

    fields: dict[str, Any]
    sentence: Sentence
    slots: dict[str, str]  # the predicate's template slots, marked, with the entities' names
    correction: tuple[str, str] | None = None  # (source_says, correct)
    date_words: str = ""  # how the sentence gives the date
    start: date | None = None  # the first day the fact's date can mean
    referents: list[dict[str, str]] = field(default_factory=list)  # for the entities the sentence does not name
    echoes: list[tuple[str, Sentence]] = field(default_factory=list)  # (source id, its sentence restating the fact)


@dataclass
class SourcePlan:
    head: SourceHead
    drafts: list[Draft]
    rng: Random  # the source's own random stream, also used to lay out its text
    fillers: list[Sentence]
    echoes: list[Sentence] = field(default_factory=list)  # sentences restating facts of other sources
    text: str = ""
    excluded: list[dict[str, str]] = field(default_factory=list)


def _date_text(rng: Random, anchor: date, future: bool) -> tuple[str, str] | None:
    """An EDTF date near the anchor and how the article would word it; None: no date."""
    day = anchor + timedelta(days=rng.randint(1, 200) if future else -rng.randint(0, 120))
    day = max(date(FIRST_YEAR - 1, 1, 1), day)
    month, year = day.isoformat()[:7], f"{day.year}"
    month_words = f"{MONTHS[day.month]} {day.year}"
    roll = rng.random()
    if roll < 0.35:
        return day.isoformat(), f"on {day.day} {MONTHS[day.month]}"
    if roll < 0.52:
        return month, f"in {month_words}"
    if roll < 0.64:
        return year, f"in {year}"
    if roll < 0.74:
        end = day + timedelta(days=rng.randint(1, 5))
        first = f"{day.day}" if day.month == end.month else f"{day.day} {MONTHS[day.month]}"
        return f"{day.isoformat()}/{end.isoformat()}", f"from {first} to {end.day} {MONTHS[end.month]}"
    if roll < 0.78:
        end = day + timedelta(days=rng.randint(31, 400))
        return f"{month}/{end.isoformat()[:7]}", f"between {month_words} and {MONTHS[end.month]}"
    if roll < 0.82:
        return f"{year}/{day.year + rng.randint(1, 4)}", f"over several years from {year}"
    if roll < 0.88:
        return (f"{month}/.." if rng.random() < 0.7 else f"{year}/.."), f"since {month_words}"
    if roll < 0.93:
        return (f"{year}?" if rng.random() < 0.6 else f"{month}?"), f"probably in {year}"
    if roll < 0.98:
        return (f"~{month}" if rng.random() < 0.6 else f"~{year}"), f"around {month_words}"
    return None


def _quantity(rng: Random, predicate: str) -> tuple[dict[str, Any], str]:
    unit = rng.choice(UNITS.get(predicate, ("units",)))
    approximately = rng.random() < 0.3
    if unit in {"USD", "JPY", "EUR"}:
        millions = round(rng.uniform(0.5, 900), 1)
        amount: float = round(millions * 1_000_000)  # int() would make 4.1 million 4,099,999
        words = f"{unit} {millions:g} million"
    elif unit == "percent":
        amount = round(rng.uniform(0.5, 40), 1)
        words = f"{amount:g} percent"
    else:
        amount = rng.randint(2, 60)
        words = f"{amount} {unit}"
    quantity: dict[str, Any] = {"amount": amount, "unit": unit}
    if approximately:
        quantity["approximately"] = True
        words = f"about {words}"
        if rng.random() < 0.3:
            quantity["lower"], quantity["upper"] = round(amount * 0.9, 1), round(amount * 1.1, 1)
    return quantity, words


# What a text-valued fact holds, in the grammatical form its predicate's template needs.
CLAUSES = (
    "{adj} {noun} in {field} would benefit both peoples",
    "the two sides should {verb} {noun} in {field}, focusing on {field2}",
    "it will {verb} its {adj} {noun} with partners in the region",
)
INFINITIVES = (
    "to {verb} {adj} {noun} in {field} and {field2}",
    "to {verb} {noun} in {field}, focusing on {field2}",
    "to {verb} further efforts for {adj} {noun}",
)
NOUN_PHRASES = (
    "support for {adj} {noun} in {field}",
    "its {adj} {noun} in {field} and {field2}",
    "a programme to {verb} {noun} in {field}",
)
TEXT_FORMS = {
    "stated": CLAUSES,
    "position_on": CLAUSES,
    "agreed_with": INFINITIVES,
    "committed_to": INFINITIVES,
    "pledged_to": INFINITIVES,
}
QUALIFIER_WORDS = {"with": "together with", "occasion": "on the occasion of", "audience": "addressing"}
TAILS = (
    "according to a statement released after the meeting",
    "as part of efforts to {verb} {adj} {noun}",
    "in a move analysts said would {verb} {noun} in {field}",
    "amid growing {noun} in {field} and {field2}",
    "the officials said, calling it a step to {verb} {noun}",
    "with both sides pledging to {verb} {adj} {noun} in {field}",
)
FILLERS = (
    "The two sides also reviewed {adj} {noun} in {field} and discussed ways to {verb} {noun} in {field2}.",
    "Officials said further talks on {field} would be held later in the year.",
    "Analysts noted that {noun} in {field} had grown steadily since {year}.",
    "The visit drew wide attention from the press and from the business community.",
)


def _qualifiers(rng: Random, pools: Pools, predicate: Predicate) -> tuple[dict[str, str], list[str]]:
    """Some of the predicate's allowed qualifiers, and words the sentence uses for them."""
    chosen: dict[str, str] = {}
    words: list[str] = []
    for name in predicate.qualifiers:
        if rng.random() >= 0.2:
            continue
        qualifier = QUALIFIERS[name]
        if qualifier.entity_types:
            value = pools.pick(rng, qualifier.entity_types)
            chosen[name] = value
            words.append(f"{QUALIFIER_WORDS.get(name, name)} {pools.names[value]}")
        else:
            value = _free_qualifier(rng, name)
            chosen[name] = value
            words.append(f"({value})")
    return chosen, words


def _free_qualifier(rng: Random, name: str) -> str:
    if name == "ordinal":
        return rng.choice(ORDINALS)
    if name == "rank":
        return rng.choice(RANKS)
    if name == "term":
        start = rng.randint(FIRST_YEAR, LAST_YEAR)
        return f"{start}-{start + 2}"
    if name == "kind":
        return rng.choice(("official visit", "state visit", "working visit", "bilateral", "strategic"))
    return phrase(rng, rng.choice(("{field}", "{adj} {noun}", "{field} and {field2}")))


@functools.cache
def _predicate_choices(subject_type: str | None) -> tuple[list[str], list[float]]:
    """Predicate ids (sorted: the vocabulary's order does not matter) and cumulative weights."""
    names = [name for name in sorted(PREDICATES) if subject_type in (None, *PREDICATES[name].subject_types)]
    return names, list(itertools.accumulate(PREDICATE_WEIGHTS.get(name, 1) for name in names))


def _pick_predicate(rng: Random, subject_type: str | None = None) -> Predicate:
    names, weights = _predicate_choices(subject_type)
    return PREDICATES[rng.choices(names, cum_weights=weights)[0]]


@dataclass
class FactKey:
    """What makes a fact itself: the project warns when two facts share these (and overlap in
    time), so they are chosen first, in corpus order, and never twice (see KeyPlanner)."""

    predicate: str
    subject: str
    object: str | None = None
    quantity: dict[str, Any] | None = None
    quantity_words: str = ""
    text: str | None = None

    def digest(self) -> int:
        amount = repr(float(self.quantity["amount"])) if self.quantity else ""
        unit = self.quantity["unit"] if self.quantity else ""
        parts = (self.predicate, self.subject, self.object or "", self.text or "", amount, unit)
        return int.from_bytes(hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest(), "big")


def _candidate(rng: Random, pools: Pools, predicate: Predicate, subject: str | None) -> FactKey:
    subject = subject or pools.pick(rng, predicate.subject_types)
    key = FactKey(predicate.id, subject)
    if predicate.object_types:
        key.object = pools.pick(rng, predicate.object_types, avoid=subject)
    if predicate.value == "quantity":
        key.quantity, key.quantity_words = _quantity(rng, predicate.id)
    elif predicate.value == "text":
        key.text = phrase(rng, rng.choice(TEXT_FORMS.get(predicate.id, NOUN_PHRASES)))
    return key


class KeyPlanner:
    """Chooses every fact's key in corpus order with one random stream, remembering the keys
    used (8-byte digests: about 50 MB for a million facts) so that none repeats."""

    def __init__(self, seed: int, pools: Pools) -> None:
        self.rng = Random(f"{seed}/keys")
        self.pools = pools
        self.used: set[int] = set()

    def key(self, person: str | None) -> FactKey:
        """A new key; person: the subject is this person (a fact whose sentence misspells them)."""
        predicate = _pick_predicate(self.rng, "person" if person else None)
        for attempt in range(1, 65):
            candidate = _candidate(self.rng, self.pools, predicate, person)
            digest = candidate.digest()
            if digest not in self.used:
                self.used.add(digest)
                return candidate
            if attempt % 8 == 0:  # this predicate's likely keys are taken: another predicate
                predicate = _pick_predicate(self.rng, "person" if person else None)
        raise RuntimeError("no unused fact key found: the entity registry is too small for the corpus")

    def batch(self, corpus: Corpus, batch: int) -> list[FactKey]:
        keys = []
        for index in corpus.batch_sources(batch):
            wrong = corpus.misspellings.get(index, [])
            for number in range(corpus.source_facts(index)):
                keys.append(self.key(wrong[number][0] if number < len(wrong) else None))
        return keys


# Sentences that refer to a fact's entities without naming them, and the sentence before that names them.
JOINT_TEMPLATES = {"met": "{both} met", "held_talks_with": "{both} held talks", "agreed_with": "{both} agreed: {text}"}
JOINT_WORDS = {"person": "the two leaders", "country": "the two countries"}  # else "the two sides"
JOINT_LEADS = ("for talks on {field}", "at the start of a visit to {verb} {noun}", "for a meeting on {field}")
REFERRING = {
    "person": "the official",
    "country": "the country",
    "organization": "the organisation",
    "group": "the delegation",
    "office": "the office",
    "agreement": "the agreement",
    "programme": "the programme",
    "place": "the city",
    "event": "the event",
}
LEADS = (
    "has been in the news this week over {noun} in {field}.",
    "drew attention again with plans to {verb} {adj} {noun}.",
    "was at the centre of the talks on {field}.",
)
ECHO_OPENINGS = ("", "", "Earlier, ", "It was reported that ", "As reported, ")


class Referring(NamedTuple):
    """A fact's sentence that refers to its entities without naming them, after one that names them."""

    template: str  # the predicate's template, the referring words in place of the entities
    words: str  # the referring words, which open the sentence
    lead: str  # the sentence before it, naming the entities
    entities: list[str]


def _referring(rng: Random, pools: Pools, predicate: Predicate, key: FactKey) -> Referring | None:
    """Sometimes the fact's sentence refers to its subject ("the official") or to subject and object ("the
    two leaders") named by the sentence before it; None: the sentence names them."""
    subject = pools.names[key.subject]
    joint = JOINT_TEMPLATES.get(predicate.id)
    if joint is not None and key.object and rng.random() < 0.25:
        kind, other = key.subject.partition(":")[0], key.object.partition(":")[0]
        both = JOINT_WORDS.get(kind, "the two sides") if kind == other else "the two sides"
        lead = f"{subject} welcomed {pools.names[key.object]} {phrase(rng, rng.choice(JOINT_LEADS))}."
        return Referring(joint.replace("{both}", _mark(both)), both, lead, [key.subject, key.object])
    if predicate.template.startswith("{subject}") and rng.random() < 0.03:
        words = REFERRING[key.subject.partition(":")[0]]
        lead = f"{subject} {phrase(rng, rng.choice(LEADS))}"
        return Referring(predicate.template.replace("{subject}", _mark(words), 1), words, lead, [key.subject])
    return None


def _draft(rng: Random, pools: Pools, head: SourceHead, key: FactKey, misspelling: str | None) -> Draft:
    """One fact (its key given) and the sentence of the article that states it: the words naming its
    entities, its quantity and its text are marked, for every quote of it keeps them."""
    predicate = PREDICATES[key.predicate]
    fields: dict[str, Any] = {"subject": key.subject, "predicate": key.predicate}
    slots = {"subject": _mark(pools.names[key.subject]), "object": "", "quantity": "", "text": ""}
    if key.object:
        fields["object"] = key.object
        slots["object"] = _mark(pools.names[key.object])
    if key.quantity:
        fields["quantity"] = key.quantity
        slots["quantity"] = _mark(key.quantity_words)
    if key.text:
        fields["text"] = key.text
        slots["text"] = _mark(f"“{key.text}”" if predicate.id == "stated" else key.text)
    referring = None if misspelling else _referring(rng, pools, predicate, key)
    template, lead = (referring.template, referring.lead) if referring else (predicate.template, "")
    modality = rng.choices(("actual", "planned", "expected"), weights=(85, 10, 5))[0]
    dated = _date_text(rng, head.published, future=modality != "actual")
    words = [template.format(**((slots | {"subject": _mark(misspelling)}) if misspelling else slots))]
    if dated:
        fields["date"] = dated[0]
        words.append(dated[1])
        if rng.random() < 0.15:
            fields["date_reasoning"] = _date_reasoning(head, dated[1])
    if rng.random() < 0.15:
        fields["place"] = pools.pick(rng, ("place", "country"))
        words.append(f"in {_mark(pools.names[fields['place']])}")
    qualifiers, qualifier_words = _qualifiers(rng, pools, predicate)
    if qualifiers:
        fields["qualifiers"] = qualifiers
        words += qualifier_words
    if modality != "actual":
        fields["modality"] = modality
    if not referring and rng.random() < 0.05:  # a referring sentence starts with its referring words
        fields["attributed_to"] = pools.pick(rng, ("person", "organization"), avoid=key.subject)
        words.insert(0, f"According to {_mark(pools.names[fields['attributed_to']])},")
    if rng.random() < 0.2:
        words.append(phrase(rng, ", " + rng.choice(TAILS)))
    sentence = _sentence(" ".join(words).replace(" ,", ",") + ".", lead)
    draft = Draft(fields, sentence, slots, date_words=dated[1] if dated else "")
    if dated:
        draft.start = _earliest(dated[0])
    if misspelling:
        draft.correction = (misspelling, pools.names[key.subject])
    if referring:  # the referring words open the sentence
        words_said = referring.words.capitalize()
        draft.referents = [{"entity": entity, "words": words_said, "context": lead} for entity in referring.entities]
    return draft


def _earliest(edtf: str) -> date:
    """The first day an EDTF date can mean (its start; the day itself for a day)."""
    first = edtf.lstrip("~").split("/")[0].rstrip("?")
    return date.fromisoformat(f"{first}-01-01"[:10])


def _date_reasoning(head: SourceHead, words: str) -> str:
    return (
        f"The article, published {head.published_text}, says '{words}'; the date is resolved against "
        "the publication date with the precision the text gives."
    )


def _echo(rng: Random, pools: Pools, draft: Draft) -> Sentence:
    """A sentence of another source restating the draft's fact: naming its entities, without its date."""
    opening, body = rng.choice(ECHO_OPENINGS), PREDICATES[draft.fields["predicate"]].template
    if opening and not body.startswith("{"):
        body = body[0].lower() + body[1:]
    words = [opening + body.format(**draft.slots)]
    if "place" in draft.fields:
        words.append(f"in {_mark(pools.names[draft.fields['place']])}")
    return _sentence(" ".join(words) + ".")


def _paragraphs(rng: Random, units: list[Sentence]) -> list[list[Sentence]]:
    paragraphs, position = [], 0
    while position < len(units):
        size = rng.randint(1, 4)
        paragraphs.append(units[position : position + size])
        position += size
    return paragraphs


def plan_source(
    seed: int, index: int, keys: list[FactKey], pools: Pools, misspellings: list[tuple[str, str]]
) -> SourcePlan:
    """A source's facts and the sentences stating them (its text is laid out once other sources have added
    theirs: see lay_out)."""
    head = source_head(seed, index)
    rng = Random(f"{seed}/source/{index}")
    drafts = [
        _draft(rng, pools, head, key, misspellings[number][1] if number < len(misspellings) else None)
        for number, key in enumerate(keys)
    ]
    fillers = [Sentence(phrase(rng, rng.choice(FILLERS))) for _ in range(max(1, len(keys) // 10))]
    return SourcePlan(head, drafts, rng, fillers)


def lay_out(plan: SourcePlan, pools: Pools) -> None:
    """The article: a headline, a dateline, its sentences in paragraphs, sometimes a photo credit."""
    rng = plan.rng
    units = [draft.sentence for draft in plan.drafts]
    rng.shuffle(units)
    for extra in (*plan.fillers, *plan.echoes):
        units.insert(rng.randrange(len(units) + 1), extra)
    subject = pools.names[plan.drafts[0].fields["subject"]]
    title = phrase(rng, f"{subject} seeks to {{verb}} {{adj}} {{noun}} in {{field}}")
    dateline = f"{rng.choice(('HANOI', 'TOKYO', 'MOSCOW', 'SEOUL', 'CANBERRA'))} ({plan.head.publisher}) — "
    paragraphs = [title]
    for group in _paragraphs(rng, units):
        for unit, after in itertools.pairwise(group):
            unit.following = after.unit
        paragraphs.append(" ".join(unit.unit for unit in group))
    paragraphs[1] = dateline + paragraphs[1]
    if rng.random() < 0.3:
        credit = f"(Photo: {rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}/{plan.head.publisher})"
        paragraphs.append(credit)
        plan.excluded.append({"text": credit, "kind": "not_part_of_article", "reason": "Photo credit."})
    if rng.random() < 0.2:
        reason = "States nothing a fact holds."
        plan.excluded.append({"text": plan.fillers[0].text, "kind": "no_checkable_claim", "reason": reason})
    plan.text = "\n\n".join(paragraphs) + "\n"


def source_record(plan: SourcePlan, data: bytes) -> dict[str, Any]:
    head = plan.head
    record: dict[str, Any] = {
        "$schema": "../schema/source.schema.json",
        "id": head.id,
        "title": plan.text.split("\n", 1)[0],
        "publisher": head.publisher,
        "originally_published_by": None,
        "published": head.published_text,
        "published_inferred": False,
        "language": "en",
        "url": None,
        "text_path": f"sources/{head.id}.txt",
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if plan.excluded:
        record["excluded"] = plan.excluded
    return record


# --- Facts ------------------------------------------------------------------------


_WORD = re.compile(r"\w+")


def _words_enough(words: Sequence[str]) -> bool:
    """Whether the words make a piece of a quote: at least two whole words."""
    return len(_WORD.findall(" ".join(words))) >= 2


def _run(rng: Random, sentence: Sentence) -> tuple[int, int]:
    """A run of the sentence's words (start, end) holding every word it marks, and a few more."""
    length = len(sentence.text.split(" "))
    first, last = sentence.required[0], sentence.required[-1] + 1
    start, end = rng.randint(max(0, first - 4), first), rng.randint(last, min(length, last + 4))
    while end - start < 4 and end - start < length:  # at least four words
        start, end = (start - 1, end) if start > 0 else (start, end + 1)
    return start, end


def _gap(rng: Random, sentence: Sentence, start: int, end: int) -> tuple[str, str] | None:
    """Two pieces of the run with unmarked words between them left out."""
    words, required = sentence.text.split(" "), set(sentence.required)
    free = [number for number in range(start + 2, end - 2) if number not in required]
    if not free:
        return None
    cut = rng.choice(free)
    resume = cut + 1
    while resume < end - 2 and resume not in required and rng.random() < 0.6:
        resume += 1
    first, second = words[start:cut], words[resume:end]
    return (" ".join(first), " ".join(second)) if _words_enough(first) and _words_enough(second) else None


def _onwards(rng: Random, sentence: Sentence, start: int, end: int) -> tuple[str, str] | None:
    """The run, and words of what follows it in its paragraph (none with a figure: no other date)."""
    following = sentence.following.split(" ") if sentence.following else []
    if len(following) < 2:
        return None
    size = rng.randint(2, min(8, len(following)))
    at = rng.randint(0, len(following) - size)
    second = following[at : at + size]
    if not _words_enough(second) or any(character.isdigit() for word in second for character in word):
        return None
    return " ".join(sentence.text.split(" ")[start:end]), " ".join(second)


def _quote(rng: Random, sentence: Sentence, article: str) -> str:
    """Words of the sentence that carry its fact: the whole sentence, a run of words holding the marked
    ones, or two pieces of one paragraph joined by '…' (article: the text with its white space collapsed,
    where the first piece must occur once, so that the pieces are found where they were taken)."""
    roll = rng.random()
    if roll < 0.6:
        return sentence.text
    start, end = _run(rng, sentence)
    pieces = None
    if roll >= 0.92:
        pieces = _gap(rng, sentence, start, end) if roll < 0.96 else _onwards(rng, sentence, start, end)
    if pieces is None or article.count(pieces[0]) != 1:
        return " ".join(sentence.text.split(" ")[start:end])
    return " … ".join(pieces)


def add_echoes(rng: Random, plans: list[SourcePlan], pools: Pools) -> None:
    """About 10% of facts are also reported by one or two other sources of their file, published by the
    time the fact began: each gets a sentence restating it."""
    if len(plans) < 2:
        return
    for own, plan in enumerate(plans):
        for draft in plan.drafts:
            if rng.random() >= 0.1:
                continue
            start = draft.start
            others = [
                number
                for number, other in enumerate(plans)
                if number != own and (start is None or other.head.published >= start)
            ]
            for number in sorted(rng.sample(others, min(len(others), rng.choice((1, 1, 2))))):
                echo = _echo(rng, pools, draft)
                plans[number].echoes.append(echo)
                draft.echoes.append((plans[number].head.id, echo))


def fact_json(fact_id: str, draft: Draft, citations: list[dict[str, Any]], source: str) -> dict[str, Any]:
    """The fact in the order the project's files use, leaving out what is absent."""
    fields = draft.fields
    data: dict[str, Any] = {"id": fact_id}
    for key in ("subject", "predicate", "object", "quantity", "text", "date", "date_reasoning", "place"):
        if key in fields:
            data[key] = fields[key]
    for key in ("qualifiers", "modality", "attributed_to"):
        if key in fields:
            data[key] = fields[key]
    if draft.correction:
        says, correct = draft.correction
        reason = f"Misspelling: the usual spelling of the name is '{correct}'."
        data["corrections"] = [{"source": source, "source_says": says, "correct": correct, "reason": reason}]
    data["citations"] = citations
    return data


def _year_unstated(fields: dict[str, Any], citations: list[dict[str, Any]]) -> bool:
    """A date whose year no quote states needs date_reasoning (the project warns otherwise)."""
    if "date" not in fields or "date_reasoning" in fields:
        return False
    years = re.findall(r"\d{4}", fields["date"])
    return not any(year in citation["quote"] for citation in citations for year in years)


def batch_facts(rng: Random, plans: list[SourcePlan], first_number: int) -> list[dict[str, Any]]:
    facts, number = [], first_number
    articles = {plan.head.id: " ".join(plan.text.split()) for plan in plans}  # as quotes are looked for
    for plan in plans:
        for draft in plan.drafts:
            own: dict[str, Any] = {"source": plan.head.id, "quote": _quote(rng, draft.sentence, articles[plan.head.id])}
            if draft.referents:
                own["referents"] = draft.referents
            citations = [own] + [
                {"source": source, "quote": _quote(rng, echo, articles[source])} for source, echo in draft.echoes
            ]
            if _year_unstated(draft.fields, citations):
                draft.fields["date_reasoning"] = _date_reasoning(plan.head, draft.date_words)
            subject = truncated_slug(draft.fields["subject"].partition(":")[2], 40)
            fact_id = f"{subject}-{draft.fields['predicate'].replace('_', '-')}-{number}"
            fact = fact_json(fact_id, draft, citations, plan.head.id)
            if rng.random() < 0.005:
                fact["rank"] = "deprecated"
                fact["deprecation_reason"] = "Generated as deprecated, to exercise the rank column."
            facts.append(fact)
            number += 1
    return facts


# --- Writing ----------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    seed: int
    facts: int
    out: Path
    pools: Pools
    misspellings: dict[int, list[tuple[str, str]]]

    @property
    def sources(self) -> int:
        return math.ceil(self.facts / FACTS_PER_SOURCE)

    @property
    def files(self) -> int:
        return math.ceil(self.facts / FACTS_PER_FILE)

    def batch_sources(self, batch: int) -> range:
        """The sources whose facts make up one fact file."""
        first = batch * SOURCES_PER_FILE
        return range(first, min(first + SOURCES_PER_FILE, self.sources))

    def source_facts(self, index: int) -> int:
        return min(FACTS_PER_SOURCE, self.facts - index * FACTS_PER_SOURCE)


def dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_batch(corpus: Corpus, batch: int, keys: list[FactKey]) -> int:
    """Write one fact file and the sources its facts cite; returns the bytes written."""
    plans, position = [], 0
    for index in corpus.batch_sources(batch):
        count = corpus.source_facts(index)
        wrong = corpus.misspellings.get(index, [])
        plans.append(plan_source(corpus.seed, index, keys[position : position + count], corpus.pools, wrong))
        position += count
    add_echoes(Random(f"{corpus.seed}/echoes/{batch}"), plans, corpus.pools)
    written = 0
    for plan in plans:
        lay_out(plan, corpus.pools)
        data = plan.text.encode("utf-8")
        (corpus.out / "sources" / f"{plan.head.id}.txt").write_bytes(data)
        record = dump(source_record(plan, data)).encode("utf-8")
        (corpus.out / "sources" / f"{plan.head.id}.json").write_bytes(record)
        written += len(data) + len(record)
    rng = Random(f"{corpus.seed}/facts/{batch}")
    facts = batch_facts(rng, plans, batch * FACTS_PER_FILE)
    document = dump({"$schema": "../schema/facts.schema.json", "facts": facts}).encode("utf-8")
    (corpus.out / "facts" / f"batch-{batch:05d}.json").write_bytes(document)
    return written + len(document)


def write_entities(out: Path, entities: list[EntityRecord]) -> None:
    for kind in ENTITY_TYPES:
        members = [entity.as_json() for entity in entities if entity.type == kind]
        document = {"$schema": "../../schema/entities.schema.json", "entities": members}
        (out / "facts" / "entities" / f"{ENTITY_FILES.get(kind, kind)}.json").write_text(dump(document), "utf-8")


_CORPUS: Corpus | None = None  # set in each worker process by the pool's initializer


def _init_worker(corpus: Corpus) -> None:
    global _CORPUS
    _CORPUS = corpus


def _write_batch_in_worker(batch: int, keys: list[FactKey]) -> int:
    assert _CORPUS is not None
    return write_batch(_CORPUS, batch, keys)


def _write_all(corpus: Corpus, planner: KeyPlanner, jobs: int) -> int:
    """Plan keys here, in order, and write batches in `jobs` processes, a few batches ahead at most."""
    if jobs <= 1:
        return sum(write_batch(corpus, batch, planner.batch(corpus, batch)) for batch in range(corpus.files))
    written = 0
    with multiprocessing.Pool(jobs, initializer=_init_worker, initargs=(corpus,)) as pool:
        pending: collections.deque[AsyncResult[int]] = collections.deque()
        for batch in range(corpus.files):
            pending.append(pool.apply_async(_write_batch_in_worker, (batch, planner.batch(corpus, batch))))
            if len(pending) >= 2 * jobs:
                written += pending.popleft().get()
        while pending:
            written += pending.popleft().get()
    return written


def generate(seed: int, facts: int, out: Path, jobs: int) -> tuple[int, int]:
    """Write the whole corpus; returns (files written, bytes written)."""
    n_sources = math.ceil(facts / FACTS_PER_SOURCE)
    entities = build_entities(seed, ENTITY_COUNT)
    misspellings = add_misspellings(entities, seed, n_sources)
    for folder in (out / "sources", out / "facts" / "entities"):
        folder.mkdir(parents=True, exist_ok=True)
    write_entities(out, entities)
    pools = Pools.of(entities)
    corpus = Corpus(seed, facts, out, pools, misspellings)
    return corpus.files, _write_all(corpus, KeyPlanner(seed, pools), jobs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, required=True, help="number of facts to generate")
    parser.add_argument("--out", type=Path, required=True, help="folder to write sources/ and facts/ into")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes (output does not depend on it)"
    )
    options = parser.parse_args(argv)
    if options.facts < 1:
        parser.error("--facts must be at least 1")
    if (options.out / "facts").exists() and any((options.out / "facts").glob("*.json")):
        parser.error(f"{options.out}/facts already holds fact files: choose an empty folder")
    started = time.perf_counter()
    files, written = generate(options.seed, options.facts, options.out, options.jobs)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {options.facts:,} facts in {files:,} files ({written / 1e6:,.0f} MB) in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
