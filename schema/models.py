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

from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from schema.dates import date_bounds
from schema.vocabulary import ENTITY_TYPES, PREDICATES, EntityType

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_PATTERN = rf"^{SLUG}$"
ENTITY_ID_PATTERN = rf"^(?:{'|'.join(ENTITY_TYPES)}):{SLUG}$"

# What each id pattern means in words: error messages say this, not the regex.
PATTERN_HINTS = {
    SLUG_PATTERN: "lower-case letters and digits in words joined by single hyphens, e.g. vov-2018-quang-japan",
    ENTITY_ID_PATTERN: f"an entity id: a type ({', '.join(ENTITY_TYPES)}), a colon and a slug, e.g. person:shinzo-abe",
}

SourceId = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80, description=PATTERN_HINTS[SLUG_PATTERN])]
FactId = Annotated[
    str,
    Field(pattern=SLUG_PATTERN, max_length=120, description="Stable lower-case id; never reused, never renamed."),
]
EntityId = Annotated[
    str, Field(pattern=ENTITY_ID_PATTERN, max_length=120, description=PATTERN_HINTS[ENTITY_ID_PATTERN])
]


def _check_edtf(text: str) -> str:
    date_bounds(text)  # raises EdtfError (a ValueError), which pydantic reports on the field
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
Text = Annotated[str, Field(min_length=1, max_length=5000)]
Name = Annotated[str, Field(min_length=1, max_length=300)]


class Strict(BaseModel):
    """Unknown fields are errors: a misspelt key must not be silently dropped."""

    model_config = ConfigDict(extra="forbid")


# --- Sources -----------------------------------------------------------------


class Exclusion(Strict):
    """A passage of the archived text that no fact cites, and why."""

    text: Text = Field(description="The passage, verbatim; it must occur in the archived text.")
    kind: Literal["not_part_of_article", "no_checkable_claim"] = Field(
        description="not_part_of_article: a sidebar, logo, credit or page furniture; "
        "no_checkable_claim: article text that states nothing a fact could hold."
    )
    reason: Text
    to_end: bool = Field(
        default=False, description="True: the passage and everything after it, e.g. a sidebar that ends the page."
    )


class Source(Strict):
    """One archived article: where it came from and what of it is the article."""

    schema_: str | None = Field(default=None, alias="$schema")
    id: SourceId
    title: Name
    publisher: Name | None = Field(description="Who published the archived text; null when the text does not say.")
    originally_published_by: Name | None = Field(
        default=None, description="The first publisher, when the archived text is a syndicated copy."
    )
    published: EdtfDate | None = Field(description="Publication date, with the precision the evidence supports.")
    published_inferred: bool = Field(description="True when the date is not printed in the text but inferred.")
    published_reasoning: Text | None = Field(
        default=None, description="How the date was found or inferred; required when inferred."
    )
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(?:-[A-Z]{2})?$")] = Field(description="BCP 47, e.g. en.")
    url: Annotated[str, Field(pattern=r"^https?://[^\s]+$", max_length=2000)] | None = Field(
        description="The article's address, or null when none is known: never invent one."
    )
    text_path: str = Field(description="The archived text, relative to the project root: sources/<id>.txt.")
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] = Field(description="SHA-256 of the archived text file.")
    archived_from: str | None = Field(default=None, description="Where the archived text was taken from.")
    note: Text | None = None
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
    name: Name
    kind: Literal[
        "short_name",
        "other_name_order",
        "other_spelling",
        "other_name",
        "misspelling_in_source",
        "abbreviation",
        "title_and_name",
        "former_name",
    ]
    source: SourceId | None = Field(default=None, description="Required for misspelling_in_source: where it occurs.")

    @model_validator(mode="after")
    def _misspellings_name_their_source(self) -> Alias:
        if self.kind == "misspelling_in_source" and self.source is None:
            raise ValueError("a misspelling_in_source alias must name the source it occurs in")
        return self


class Entity(Strict):
    """A person, country, organization, ... that facts are about."""

    id: EntityId
    name: Name = Field(description="The canonical name, in the usual English form.")
    description: Text | None = None
    aliases: list[Alias] = Field(default_factory=list)
    wikidata: Annotated[str, Field(pattern=r"^Q[1-9][0-9]*$")] | None = Field(
        default=None, description="Wikidata item id, only where the match is certain."
    )
    country: EntityId | None = Field(
        default=None,
        description="The country a person, office, organization, group or place belongs to "
        "(lets a reader ask for everything between two countries).",
    )

    @property
    def type(self) -> EntityType:
        return self.id.partition(":")[0]  # type: ignore[return-value]  # the id pattern guarantees it


class EntityFile(Strict):
    collection: ClassVar[str] = "entities"  # the list a loader may validate entry by entry
    schema_: str | None = Field(default=None, alias="$schema")
    entities: list[Entity]


# --- Facts -------------------------------------------------------------------


class Quantity(Strict):
    amount: float = Field(allow_inf_nan=False, description="The number as stated (3.5 billion is 3500000000).")
    unit: Name = Field(description="An ISO 4217 code for money (USD), else a plain unit: percent, vessels, years.")
    approximately: bool = Field(default=False, description="The source says 'about', 'some', 'nearly'.")
    lower: float | None = Field(default=None, allow_inf_nan=False)
    upper: float | None = Field(default=None, allow_inf_nan=False)


class Citation(Strict):
    source: SourceId
    quote: Text = Field(description="Verbatim words of the source; '…' may join pieces that occur in order.")


class Correction(Strict):
    """An error in a source: what it says, what is right, and why."""

    source: SourceId
    source_says: Name = Field(description="The erroneous words, verbatim from the source.")
    correct: Name
    reason: Text


PredicateId = Annotated[str, Field(json_schema_extra={"enum": sorted(PREDICATES)})]


class Fact(Strict):
    """One statement about the world (or about what someone claimed), with its evidence."""

    id: FactId
    subject: EntityId
    predicate: PredicateId = Field(description="One of the predicates in schema/vocabulary.py.")
    object: EntityId | None = None
    quantity: Quantity | None = None
    text: Text | None = Field(default=None, description="The words of a statement, or what was pledged or agreed.")
    date: EdtfDate | None = Field(default=None, description="When the fact held or happened (not the article date).")
    date_reasoning: Text | None = Field(default=None, description="How a relative or inferred date was resolved.")
    place: EntityId | None = None
    qualifiers: dict[str, Name] = Field(default_factory=dict)
    modality: Literal["actual", "planned", "expected"] = Field(
        default="actual", description="planned: announced for the future; expected: anticipated by the source."
    )
    attributed_to: EntityId | None = Field(
        default=None, description="Whose claim this is, when the source reports a claim rather than a fact."
    )
    note: Text | None = None
    corrections: list[Correction] = Field(default_factory=list)
    citations: list[Citation] = Field(min_length=1)
    rank: Literal["normal", "deprecated"] = "normal"
    deprecation_reason: Text | None = None

    @model_validator(mode="after")
    def _deprecations_have_reasons(self) -> Fact:
        if (self.rank == "deprecated") != (self.deprecation_reason is not None):
            raise ValueError("deprecation_reason is required for, and only for, rank 'deprecated'")
        return self


class FactFile(Strict):
    collection: ClassVar[str] = "facts"  # the list a loader may validate entry by entry
    schema_: str | None = Field(default=None, alias="$schema")
    facts: list[Fact]
