"""The pydantic models: the single source of truth for every file in the project.

Three kinds of file are validated against these models:

* `sources/<id>.json`: a `Source`, the record of one archived article;
* `facts/entities/*.json`: an `EntityFile`, part of the entity registry;
* `facts/*.json`: a `FactFile`, the facts drawn from the articles.

The JSON Schema files in `schema/` are generated from these models
(`python build.py schema`), and so are the column descriptions in Datasette.
Cross-file rules (does an entity exist, is a quote in its source) live in
`factdb/validation.py`, because a single file cannot know them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
    model_validator,
)

from schema.dates import EdtfError, date_bounds
from schema.vocabulary import ENTITY_TYPES, PREDICATES, EntityType

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_PATTERN = rf"^{SLUG}$"
ENTITY_ID_PATTERN = rf"^(?:{'|'.join(ENTITY_TYPES)}):{SLUG}$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Z]{2})?$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]*$"

# --- Text: no characters a reader cannot see -----------------------------------
#
# Text an editor writes (names, descriptions, reasons) may not hold characters a
# reader cannot see: control characters, zero-width and other invisible format
# characters, and the bidirectional overrides and isolates that make text display
# in another order than it is stored (Unicode categories Cc, Cf, Zl and Zp; lone
# surrogates are refused when a file is read). Names are also one line: no newline
# or tab. Nor may any of it be only white space. Words copied from a source (a
# quote, an excluded passage, what a source says) are exempt but for the white
# space: they must occur in the archived text, which is the evidence, so they
# carry its characters as they are.
#
# The rules are patterns, checked by pydantic's Rust regex engine at no cost worth
# measuring; `explain_pattern` says in words which character broke one, and where.

# Every character of categories Cc, Cf, Zl and Zp but tab and newline (Unicode 14;
# tests/test_hostile.py checks this against the running Python's Unicode database).
# Escapes that Python's re and Rust's regex both read.
HIDDEN_CHARACTERS = (
    r"\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    r"\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    r"\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    r"\U000e0001\U000e0020-\U000e007f"
)
CLEAN_TEXT_PATTERN = rf"^[^{HIDDEN_CHARACTERS}]*[^{HIDDEN_CHARACTERS}\s][^{HIDDEN_CHARACTERS}]*$"
CLEAN_NAME_PATTERN = rf"^[^{HIDDEN_CHARACTERS}\t\n]*[^{HIDDEN_CHARACTERS}\s][^{HIDDEN_CHARACTERS}\t\n]*$"
NOT_BLANK_PATTERN = r"\S"  # a search: somewhere a character that is not white space
URL_PATTERN = rf"^https?://[^\s{HIDDEN_CHARACTERS}]+$"
_HIDDEN_IN_TEXT = re.compile(f"[{HIDDEN_CHARACTERS}]")
_HIDDEN_IN_NAME = re.compile(f"[{HIDDEN_CHARACTERS}\t\n]")

# What each pattern means in words: error messages say this, not the regex.
PATTERN_HINTS = {
    SLUG_PATTERN: "lower-case letters and digits in words joined by single hyphens, e.g. vov-2018-quang-japan",
    ENTITY_ID_PATTERN: f"an entity id: a type ({', '.join(ENTITY_TYPES)}), a colon and a slug, e.g. person:shinzo-abe",
    URL_PATTERN: "an http:// or https:// address without spaces (no javascript:, data: or other schemes)",
    LANGUAGE_PATTERN: "a BCP 47 language code such as en or pt-BR",
    SHA256_PATTERN: "64 lower-case hexadecimal digits (the SHA-256 of the archived text)",
    WIKIDATA_PATTERN: "a Wikidata item id such as Q881",
}
_UNNAMED = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


def describe_character(char: str) -> str:
    """U+202E RIGHT-TO-LEFT OVERRIDE: how messages name a character nobody can see."""
    code = ord(char)
    name = unicodedata.name(char, None) or _UNNAMED.get(code)
    if name is None:
        name = "(a lone surrogate)" if 0xD800 <= code <= 0xDFFF else "(a control character)"
    return f"U+{code:04X} {name}"


def explain_pattern(pattern: str, value: str) -> str:
    """Why value does not match one of the models' patterns, in words, naming the character at fault."""
    shown = repr(value if len(value) <= 60 else value[:57] + "...")
    if pattern in (SLUG_PATTERN, ENTITY_ID_PATTERN) and not value.isascii():
        index, char = next((index, char) for index, char in enumerate(value) if not char.isascii())
        # Imported here: factdb.naming folds as factdb.evidence does, and that imports these models.
        from factdb.naming import slug_of

        parts = value.split(":", 1) if pattern == ENTITY_ID_PATTERN else [value]
        slugs = [slug for part in parts if (slug := slug_of(part))]
        write = f"; write {':'.join(slugs)!r}" if len(slugs) == len(parts) else ""
        return (
            f"{shown} contains {describe_character(char)} at character {index + 1}: ids are plain ASCII "
            f"(a-z, 0-9, hyphens), and a look-alike letter of another script is not the same letter{write}"
        )
    rules = {
        CLEAN_TEXT_PATTERN: (_HIDDEN_IN_TEXT, "only visible characters, spaces, tabs and newlines are allowed"),
        CLEAN_NAME_PATTERN: (_HIDDEN_IN_NAME, "a name is one line of visible characters and spaces"),
        URL_PATTERN: (_HIDDEN_IN_NAME, "an address is one line of visible characters"),
    }
    hidden, rule = rules.get(pattern, (None, ""))
    found = hidden.search(value) if hidden is not None else None
    if found is not None:
        return f"contains {describe_character(found.group())} at character {found.start() + 1}; remove it: {rule}"
    if pattern in (CLEAN_TEXT_PATTERN, CLEAN_NAME_PATTERN, NOT_BLANK_PATTERN):
        return "is only white space: write the words, or leave the field out where it is optional"
    return f"{shown} is not valid: expected {PATTERN_HINTS.get(pattern, f'a value matching {pattern}')}"


def _text(pattern: str, max_length: int | None, **schema: Any) -> Any:
    """A string type with a pattern the JSON Schema does not show (editors get the length limits only)."""
    limits = {"min_length": 1, "max_length": max_length} if max_length else {}
    json_schema = {"type": "string", **({"minLength": 1, "maxLength": max_length} if max_length else {}), **schema}
    return Annotated[str, Field(pattern=pattern, **limits), WithJsonSchema(json_schema)]


CleanText = _text(CLEAN_TEXT_PATTERN, 5000)
CleanName = _text(CLEAN_NAME_PATTERN, 300)
# Words copied from the archived source, checked against it instead (see above).
VerbatimText = _text(NOT_BLANK_PATTERN, 5000)
VerbatimName = _text(NOT_BLANK_PATTERN, 300)
Line = _text(CLEAN_NAME_PATTERN, None)  # one line, no length limit: paths, $schema
Url = Annotated[
    str,
    Field(pattern=URL_PATTERN, max_length=2000),
    WithJsonSchema({"type": "string", "maxLength": 2000, "pattern": r"^https?://[^\s]+$"}),
]

SourceId = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80, description=PATTERN_HINTS[SLUG_PATTERN])]
FactId = Annotated[
    str,
    Field(pattern=SLUG_PATTERN, max_length=120, description="Stable lower-case id; never reused, never renamed."),
]
EntityId = Annotated[
    str, Field(pattern=ENTITY_ID_PATTERN, max_length=120, description=PATTERN_HINTS[ENTITY_ID_PATTERN])
]


def _check_edtf(text: str) -> str:
    if text != text.strip():
        raise ValueError(f"{text!r} has white space around the date: write the EDTF date alone")
    try:
        bounds = date_bounds(text)
    except EdtfError:
        raise  # its message says what is wrong; pydantic reports it on the field
    except Exception as error:  # the edtf library fails in several ways on years it cannot represent
        raise ValueError(f"{text!r} is outside the years 0001 to 9999 ({error})") from None
    if (bounds.start or bounds.end or "").startswith("0000"):  # the end is 0000 only if the start is too, or open
        raise ValueError(f"{text!r} is outside the years 0001 to 9999 (year 0000 has no calendar day)")
    return text


EdtfDate = Annotated[
    str,
    AfterValidator(_check_edtf),
    Field(
        max_length=64,
        description="An EDTF date: 2015, 2015-09, 2015-09-15, 2018-09-05/2018-09-08, 2018?, ~2015-09.",
        examples=["2015-09-15", "2018-09-05/2018-09-08", "2018?"],
    ),
]

# --- Numbers -------------------------------------------------------------------


def _storable_number(value: object) -> object:
    """A number SQLite stores exactly as a 64-bit float, so that nothing is lost."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            exact = float(value) == value
        except OverflowError:
            exact = False
        if not exact:
            raise ValueError(
                "integer too large to store exactly (a 64-bit float holds every integer only up to "
                "9007199254740992): round it, set approximately, or use a larger unit"
            )
    elif isinstance(value, float) and math.isinf(value):
        raise ValueError("number too large: it overflows a 64-bit float (the largest is about 1.8e308)")
    return value


Number = Annotated[float, Field(strict=True, allow_inf_nan=False), BeforeValidator(_storable_number)]


class Strict(BaseModel):
    """Unknown fields are errors: a misspelt key must not be silently dropped."""

    model_config = ConfigDict(extra="forbid")


# --- Sources -----------------------------------------------------------------


class Exclusion(Strict):
    """A passage of the archived text that no fact cites, and why."""

    text: VerbatimText = Field(description="The passage, verbatim; it must occur in the archived text.")
    kind: Literal["not_part_of_article", "no_checkable_claim"] = Field(
        description="not_part_of_article: a sidebar, logo, credit or page furniture; "
        "no_checkable_claim: article text that states nothing a fact could hold."
    )
    reason: CleanText
    to_end: StrictBool = Field(
        default=False, description="True: the passage and everything after it, e.g. a sidebar that ends the page."
    )


class Source(Strict):
    """One archived article: where it came from and what of it is the article."""

    schema_: Line | None = Field(default=None, alias="$schema")
    id: SourceId
    title: CleanName
    publisher: CleanName | None = Field(description="Who published the archived text; null when the text does not say.")
    originally_published_by: CleanName | None = Field(
        default=None, description="The first publisher, when the archived text is a syndicated copy."
    )
    published: EdtfDate | None = Field(description="Publication date, with the precision the evidence supports.")
    published_inferred: StrictBool = Field(description="True when the date is not printed in the text but inferred.")
    published_reasoning: CleanText | None = Field(
        default=None, description="How the date was found or inferred; required when inferred."
    )
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN)] = Field(description="BCP 47, e.g. en.")
    url: Url | None = Field(description="The article's address, or null when none is known: never invent one.")
    text_path: Line = Field(description="The archived text, relative to the project root: sources/<id>.txt.")
    sha256: Annotated[str, Field(pattern=SHA256_PATTERN)] = Field(description="SHA-256 of the archived text file.")
    archived_from: Line | None = Field(default=None, description="Where the archived text was taken from.")
    note: CleanText | None = None
    excluded: list[Exclusion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _inferred_dates_have_reasons(self) -> Source:
        if self.published_inferred and not self.published_reasoning:
            raise ValueError("published_reasoning is required when published_inferred is true")
        if self.text_path != f"sources/{self.id}.txt":
            raise ValueError(f"text_path must be 'sources/{self.id}.txt'")
        return self


# --- Entities ----------------------------------------------------------------


class Alias(Strict):
    name: CleanName
    kind: Literal[
        "short_name",
        "other_name_order",
        "other_spelling",
        "other_name",
        "misspelling_in_source",
        "abbreviation",
        "title_and_name",
        "former_name",
        "demonym",
    ] = Field(
        description="demonym: the adjective or people of a country (Japanese for Japan); a quote naming it "
        "names the country."
    )
    source: SourceId | None = Field(
        default=None,
        description="Required for misspelling_in_source: where it occurs. On any alias: the one source in which "
        "it names the entity (a phrase such as 'diplomatic relations' that names it there only).",
    )

    @model_validator(mode="after")
    def _misspellings_name_their_source(self) -> Alias:
        if self.kind == "misspelling_in_source" and self.source is None:
            raise ValueError("a misspelling_in_source alias must name the source it occurs in")
        return self


class Entity(Strict):
    """A person, country, organization, ... that facts are about."""

    id: EntityId
    name: CleanName = Field(description="The canonical name, in the usual English form.")
    description: CleanText | None = None
    aliases: list[Alias] = Field(default_factory=list)
    wikidata: Annotated[str, Field(pattern=WIKIDATA_PATTERN)] | None = Field(
        default=None, description="Wikidata item id, only where the match is certain."
    )
    country: EntityId | None = Field(
        default=None,
        description="The country a person, office, organization, group or place belongs to "
        "(lets a reader ask for everything between two countries).",
    )
    draft: CleanText | None = Field(
        default=None,
        description="Set by `python build.py draft` on a name it found that the registry lacks: check refuses "
        "the entity until its type, name and country are checked and this marker is deleted.",
    )

    @property
    def type(self) -> EntityType:
        return self.id.partition(":")[0]  # type: ignore[return-value]  # the id pattern guarantees it


class EntityFile(Strict):
    collection: ClassVar[str] = "entities"  # the list a loader may validate entry by entry
    schema_: Line | None = Field(default=None, alias="$schema")
    entities: list[Entity]


# --- Facts -------------------------------------------------------------------


class Quantity(Strict):
    amount: Number = Field(description="The number as stated (3.5 billion is 3500000000).")
    unit: CleanName = Field(description="An ISO 4217 code for money (USD), else a plain unit: percent, vessels, years.")
    approximately: StrictBool = Field(default=False, description="The source says 'about', 'some', 'nearly'.")
    lower: Number | None = None
    upper: Number | None = None


class Referent(Strict):
    """Who words of a quote stand for when the quote does not name them ("the two leaders", "he"),
    shown by a passage of the same source that does."""

    entity: EntityId = Field(description="The entity the words stand for: one of the fact's entities.")
    words: VerbatimName = Field(description="The referring words, verbatim from the quote: 'the two leaders', 'he'.")
    context: VerbatimText = Field(
        description="A verbatim passage of the same source that names the entity and shows whom the words mean."
    )


class Citation(Strict):
    source: SourceId
    quote: VerbatimText = Field(
        description="Verbatim words of the source, whole words of at least two; '…' may join pieces of one "
        "paragraph, in order, each of at least two words."
    )
    referents: list[Referent] = Field(
        default_factory=list,
        description="For each of the fact's entities the quote refers to without naming: the words and a passage "
        "that names it.",
    )


class Correction(Strict):
    """An error in a source: what it says, what is right, and why."""

    source: SourceId
    source_says: VerbatimName = Field(description="The erroneous words, verbatim from the source.")
    correct: CleanName
    reason: CleanText


PredicateId = Annotated[str, Field(json_schema_extra={"enum": sorted(PREDICATES)})]


class Fact(Strict):
    """One statement about the world (or about what someone claimed), with its evidence."""

    id: FactId
    subject: EntityId
    predicate: PredicateId = Field(description="One of the predicates in schema/vocabulary.py.")
    object: EntityId | None = None
    quantity: Quantity | None = None
    text: CleanText | None = Field(default=None, description="The words of a statement, or what was pledged or agreed.")
    date: EdtfDate | None = Field(default=None, description="When the fact held or happened (not the article date).")
    date_reasoning: CleanText | None = Field(default=None, description="How a relative or inferred date was resolved.")
    place: EntityId | None = None
    qualifiers: dict[str, CleanName] = Field(default_factory=dict)
    modality: Literal["actual", "planned", "expected"] = Field(
        default="actual", description="planned: announced for the future; expected: anticipated by the source."
    )
    attributed_to: EntityId | None = Field(
        default=None, description="Whose claim this is, when the source reports a claim rather than a fact."
    )
    note: CleanText | None = None
    corrections: list[Correction] = Field(default_factory=list)
    citations: list[Citation] = Field(min_length=1)
    rank: Literal["normal", "deprecated"] = "normal"
    deprecation_reason: CleanText | None = None
    draft: CleanText | None = Field(
        default=None,
        description="Set by `python build.py draft`: why the fact was proposed. check refuses a fact that still "
        "has it: review the fact against its quote, correct it, then delete this marker.",
    )

    @model_validator(mode="after")
    def _deprecations_have_reasons(self) -> Fact:
        if (self.rank == "deprecated") != (self.deprecation_reason is not None):
            raise ValueError("deprecation_reason is required for, and only for, rank 'deprecated'")
        return self


class FactFile(Strict):
    collection: ClassVar[str] = "facts"  # the list a loader may validate entry by entry
    schema_: Line | None = Field(default=None, alias="$schema")
    facts: list[Fact]
