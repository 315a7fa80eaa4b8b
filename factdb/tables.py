"""The database's tables, defined once with SQLModel.

The descriptions given here are the column documentation Datasette shows
(metadata.json is generated from them), so keep them written for a reader of
the published site. Rows are inserted in bulk with sqlite3 (see database.py);
SQLModel defines the tables, their foreign keys and their indexes.
"""

from __future__ import annotations

import functools
import operator
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Index, desc, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel import Field, SQLModel

# The column each searchable table has for its full-text index alone (database.search_folded).
SEARCH_FOLDED = (
    "For search only: the searchable text with Đ written D, which no search index folds, so that Da Nang "
    "finds Đà Nẵng; empty when there is no Đ."
)


class SourceTable(SQLModel, table=True):
    """The archived news articles every fact is checked against."""

    __tablename__ = "source"
    id: str = Field(primary_key=True, description="Source id; the archived text is sources/<id>.txt.")
    title: str = Field(description="Headline of the article.")
    publisher: str | None = Field(description="Who published the archived copy; empty when the text does not say.")
    originally_published_by: str | None = Field(description="First publisher, when the archived copy is syndicated.")
    published: str | None = Field(description="Publication date in EDTF, with the precision the evidence supports.")
    published_text: str | None = Field(description="The publication date in words, as precise as it is known.")
    published_start: str | None = Field(description="Earliest day the publication date can mean (ISO).")
    published_end: str | None = Field(description="Latest day the publication date can mean (ISO).")
    published_inferred: bool = Field(description="1 when the date is inferred rather than printed in the text.")
    published_reasoning: str | None = Field(description="How the publication date was found or inferred.")
    language: str = Field(description="Language of the text (BCP 47).")
    url: str | None = Field(description="Address of the article; empty where none is known (never invented).")
    text_path: str = Field(description="Path of the archived text in the repository.")
    sha256: str = Field(description="SHA-256 of the archived text: proof of what the quotes were checked against.")
    archived_from: str | None = Field(description="Where the archived text was taken from.")
    note: str | None = Field(description="Remarks on the source.")
    text: str = Field(description="The archived text, exactly as stored.")
    search_folded: str | None = Field(description=SEARCH_FOLDED)


class ExclusionTable(SQLModel, table=True):
    """Passages of a source that no fact cites, each with the reason."""

    __tablename__ = "source_exclusion"
    id: int = Field(primary_key=True, description="Row number.")
    source_id: str = Field(foreign_key="source.id", index=True, description="The source the passage is in.")
    kind: str = Field(description="not_part_of_article (sidebar, logo, credit) or no_checkable_claim.")
    reason: str = Field(description="Why the passage is not cited.")
    text: str = Field(description="The passage, verbatim.")
    to_end: bool = Field(description="1: the passage and everything after it (e.g. a sidebar).")


class EntityTable(SQLModel, table=True):
    """People, countries, organizations, offices, agreements and places the facts are about."""

    __tablename__ = "entity"
    # The canned queries find an entity by any of its names, case-insensitively: lower(name) = lower(:name).
    __table_args__ = (Index("ix_entity_name_lower", text("lower(name)")),)
    id: str = Field(primary_key=True, description="Typed id: type, colon, slug (person:shinzo-abe).")
    type: str = Field(index=True, description="person, country, organization, group, office, agreement, ...")
    name: str = Field(index=True, description="Canonical English name.")
    description: str | None = Field(description="What or who this is.")
    wikidata: str | None = Field(description="Wikidata item id, only where the match is certain.")
    country_id: str | None = Field(foreign_key="entity.id", description="The country it belongs to, if any.")
    aliases: str | None = Field(description="Other names, one per line (see the alias table for kinds).")
    search_folded: str | None = Field(description=SEARCH_FOLDED)


class AliasTable(SQLModel, table=True):
    """Other names of entities: short names, other name orders, misspellings found in sources."""

    __tablename__ = "alias"
    __table_args__ = (Index("ix_alias_name_lower", text("lower(name)")),)  # as entity's
    id: int = Field(primary_key=True, description="Row number.")
    entity_id: str = Field(foreign_key="entity.id", index=True, description="The entity this name belongs to.")
    name: str = Field(index=True, description="The other name.")
    kind: str = Field(description="short_name, other_name_order, other_spelling, misspelling_in_source, ...")
    source_id: str | None = Field(foreign_key="source.id", description="For a misspelling: the source it occurs in.")


class PredicateTable(SQLModel, table=True):
    """The vocabulary of relations a fact can state (schema/vocabulary.py)."""

    __tablename__ = "predicate"
    id: str = Field(primary_key=True, description="Predicate id.")
    template: str = Field(description="How a fact with this predicate reads as a sentence.")
    description: str = Field(description="What the predicate means.")
    subject_types: str = Field(description="Entity types allowed as subject, comma-separated.")
    object_types: str = Field(description="Entity types allowed as object; empty: no object.")
    value_kind: str | None = Field(description="quantity or text, when the fact carries one.")
    qualifiers: str = Field(description="Qualifiers allowed, comma-separated.")


class FactTable(SQLModel, table=True):
    """One row per fact: a statement with its subject, predicate, object or value, and date."""

    __tablename__ = "fact"
    __table_args__ = (
        # Subject, predicate and object together: likely duplicates and "everything about" queries;
        # it also serves everything an index of subject_id alone would (so there is none).
        Index("ix_fact_subject_predicate_object", "subject_id", "predicate_id", "object_id"),
        # In the order of the corroborated_facts query, which then reads only the rows it shows;
        # it also serves filters and facets on source_count.
        Index("ix_fact_source_count_date_start_id", desc("source_count"), "date_start", "id"),
        # The few deprecated facts, which pages name apart: found without reading every fact.
        Index("ix_fact_deprecated", "id", sqlite_where=text("rank = 'deprecated'")),
    )
    id: str = Field(primary_key=True, description="Stable fact id.")
    statement: str = Field(description="The fact as an English sentence.")
    subject_id: str = Field(foreign_key="entity.id", description="Who or what the fact is about.")
    predicate_id: str = Field(foreign_key="predicate.id", index=True, description="The relation stated.")
    object_id: str | None = Field(foreign_key="entity.id", index=True, description="The other entity, if any.")
    amount: float | None = Field(description="Quantity: the number.")
    unit: str | None = Field(description="Quantity: unit or ISO 4217 currency.")
    approximately: bool | None = Field(description="Quantity: 1 when the source says about/some/nearly.")
    lower: float | None = Field(description="Quantity: the lowest value the source allows, if it gives a range.")
    upper: float | None = Field(description="Quantity: the highest value the source allows, if it gives a range.")
    text: str | None = Field(description="The words of a statement, or what was pledged or agreed.")
    date: str | None = Field(description="When the fact held or happened, in EDTF.")
    date_text: str | None = Field(
        description="The date in words, as precise as it is known: 2018, May 2018, about Sep 2015, 5–8 Sep 2018."
    )
    date_start: str | None = Field(index=True, description="Earliest day the date can mean (ISO); sorts and filters.")
    date_end: str | None = Field(description="Latest day the date can mean (ISO).")
    date_reasoning: str | None = Field(description="How a relative or inferred date was resolved.")
    qualifiers: str | None = Field(description="Qualifiers as JSON, keys sorted (one row each in the qualifier table).")
    place_id: str | None = Field(foreign_key="entity.id", description="Where it happened.")
    modality: str = Field(index=True, description="actual, planned (announced for later) or expected by the source.")
    attributed_to_id: str | None = Field(
        foreign_key="entity.id", description="Whose claim this is, when the source reports a claim."
    )
    note: str | None = Field(description="Remarks by the editors.")
    correction: str | None = Field(description="Errors in the sources for this fact, and the corrections made.")
    rank: str = Field(description="normal, or deprecated (kept so that its id resolves; see deprecation_reason).")
    deprecation_reason: str | None = Field(description="Why a deprecated fact is wrong.")
    source_count: int = Field(description="Number of distinct sources citing this fact.")
    quotes: str = Field(description="Every quote citing this fact, one per line (searchable with the statement).")
    file: str = Field(description="The fact file that holds this fact.")
    search_folded: str | None = Field(description=SEARCH_FOLDED)


class FactCountryTable(SQLModel, table=True):
    """Which countries each fact involves (through its subject, object, place or a 'with' qualifier)."""

    __tablename__ = "fact_country"
    id: int = Field(primary_key=True, description="Row number.")
    fact_id: str = Field(foreign_key="fact.id", index=True, description="The fact.")
    country_id: str = Field(foreign_key="entity.id", index=True, description="A country the fact involves.")


class CitationTable(SQLModel, table=True):
    """The evidence: each fact's verbatim quotes, with where they are in the archived text."""

    __tablename__ = "citation"
    id: int = Field(primary_key=True, description="Row number.")
    fact_id: str = Field(foreign_key="fact.id", index=True, description="The fact this quote supports.")
    source_id: str = Field(foreign_key="source.id", index=True, description="The source quoted.")
    quote: str = Field(description="The quote, verbatim as written in the fact file.")
    start: int = Field(description="Character offset where the quote begins in the archived text.")
    end: int = Field(description="Character offset where the quote ends (exclusive).")
    spans: str = Field(description="JSON list of [start, end] pieces, for quotes joined by an ellipsis.")
    referents: str | None = Field(
        description="JSON list of the citation's referents as written ({entity, words, context}): whom words such as "
        "'the two leaders' stand for (see the grounding table)."
    )


class GroundingTable(SQLModel, table=True):
    """Where each of a fact's entities is named in its evidence: the proof that the quotes carry the fact."""

    __tablename__ = "grounding"
    id: int = Field(primary_key=True, description="Row number.")
    fact_id: str = Field(foreign_key="fact.id", index=True, description="The fact.")
    role: str = Field(description="The fact's field naming the entity: subject, object, place or attributed_to.")
    entity_id: str = Field(foreign_key="entity.id", index=True, description="The entity named.")
    source_id: str = Field(foreign_key="source.id", index=True, description="The source whose words name it.")
    words: str = Field(
        description="The source's words that name the entity (for a referent: the words that stand for it)."
    )
    start: int = Field(description="Character offset where the words begin in the archived text, as citation has.")
    end: int = Field(description="Character offset where the words end (exclusive).")
    how: str = Field(
        description="name: the entity's canonical name; alias: another of its names (a short name, a demonym ...); "
        "referent: words such as 'the two leaders' that the context passage shows stand for it."
    )
    context: str | None = Field(description="For a referent: the passage of the same source that names the entity.")


class QualifierTable(SQLModel, table=True):
    """Refinements of facts (the kind of visit, a rank, a field of cooperation)."""

    __tablename__ = "qualifier"
    id: int = Field(primary_key=True, description="Row number.")
    fact_id: str = Field(foreign_key="fact.id", index=True, description="The fact refined.")
    name: str = Field(description="Qualifier name (schema/vocabulary.py).")
    value: str = Field(description="Qualifier value as written.")
    entity_id: str | None = Field(foreign_key="entity.id", description="The entity, when the value is one.")


class CorrectionTable(SQLModel, table=True):
    """Errors found in the sources: what the source says, and what is right."""

    __tablename__ = "correction"
    id: int = Field(primary_key=True, description="Row number.")
    fact_id: str = Field(foreign_key="fact.id", index=True, description="The fact whose evidence has the error.")
    source_id: str = Field(foreign_key="source.id", description="The source with the error.")
    source_says: str = Field(description="The erroneous words, verbatim.")
    correct: str = Field(description="The correct value, as used in the fact.")
    reason: str = Field(description="How we know.")


class SentenceTable(SQLModel, table=True):
    """Every sentence of every source, and whether a fact cites it (see the coverage table)."""

    __tablename__ = "sentence"
    id: int = Field(primary_key=True, description="Row number.")
    source_id: str = Field(foreign_key="source.id", index=True, description="The source.")
    number: int = Field(description="Position of the sentence in the source, from 1.")
    start: int = Field(description="Character offset where the sentence begins in the archived text.")
    end: int = Field(description="Character offset where it ends (exclusive).")
    text: str = Field(description="The sentence.")
    status: str = Field(index=True, description="cited, excluded (with reason) or uncovered.")
    reason: str | None = Field(description="Why an excluded sentence is not cited, from the source record.")


class CoverageTable(SQLModel, table=True):
    """How much of each source the facts cover: uncovered sentences are claims not yet recorded."""

    __tablename__ = "coverage"
    source_id: str = Field(primary_key=True, foreign_key="source.id", description="The source.")
    sentences: int = Field(description="Sentences in the archived text.")
    cited: int = Field(description="Sentences that at least one fact cites.")
    excluded: int = Field(description="Sentences excluded as not part of the article or holding no claim.")
    uncovered: int = Field(description="Sentences neither cited nor excluded.")
    percent_covered: float = Field(description="cited / (cited + uncovered), in percent.")


class BuildInfoTable(SQLModel, table=True):
    """How this file was built: its inputs' hash and git commit (no build time, so builds are reproducible)."""

    __tablename__ = "build_info"
    key: str = Field(primary_key=True, description="Name of the property.")
    value: str = Field(description="Its value.")


class FactChangeTable(SQLModel, table=True):
    """Each fact's history in git: the commit that added it, and each commit that changed or deprecated it."""

    __tablename__ = "fact_change"
    id: int = Field(primary_key=True, description="Row number: a fact's changes are numbered in the order made.")
    fact_id: str = Field(foreign_key="fact.id", index=True, description="The fact.")
    commit: str = Field(description="The git commit that made the change (on the main line: a merge for a branch).")
    date: str = Field(description="When that commit was made (its committer date, ISO 8601).")
    change: str = Field(
        description="added, changed or deprecated; removed, for a fact deleted and later restored (a wrong fact is "
        "deprecated, not deleted)."
    )
    what: str | None = Field(
        description="The fields of the fact file that changed, comma-separated (citations, date, rank ...); empty "
        "when added or removed."
    )


# Tables derived for readers (filled by reader_tables.py; country_pair_fact's rows are made with
# each fact's, in database.fact_rows): each holds one question's rows in the order it is
# asked, so its page reads an index range, never the whole fact table. WITHOUT ROWID: the
# primary key is the only index, and rows are stored in its order. Only the leading column is
# a foreign key: Datasette counts a row's links from other tables, and only a leading column
# can be counted without reading the whole table.


class EntityFactTable(SQLModel, table=True):
    """Every entity each fact involves (subject, object, place, whose claim, qualifier), by date."""

    __tablename__ = "entity_fact"
    __table_args__ = {"sqlite_with_rowid": False}
    entity_id: str = Field(primary_key=True, foreign_key="entity.id", description="An entity the fact involves.")
    date_start: str = Field(
        primary_key=True, description="The fact's earliest day (ISO); empty when undated, so undated facts sort first."
    )
    fact_id: str = Field(primary_key=True, description="The fact.")


class CountryPairFactTable(SQLModel, table=True):
    """Dated facts involving two countries (directly, or through their people and offices), by date."""

    __tablename__ = "country_pair_fact"
    __table_args__ = {"sqlite_with_rowid": False}
    country_id: str = Field(
        primary_key=True, foreign_key="entity.id", description="A country the fact involves (the first in id order)."
    )
    other_country_id: str = Field(primary_key=True, description="Another country the same fact involves (the second).")
    date_start: str = Field(primary_key=True, description="The fact's earliest day (ISO).")
    date_end: str | None = Field(description="The fact's latest day (ISO); empty when it has no end (2018/..).")
    fact_id: str = Field(primary_key=True, description="The fact.")


class TimelineFactTable(SQLModel, table=True):
    """The events of the timeline (its predicates, dated, not deprecated), for all countries and for each."""

    __tablename__ = "timeline_fact"
    __table_args__ = {"sqlite_with_rowid": False}
    country_id: str = Field(
        primary_key=True, description="A country the event involves; empty in the rows that hold every event once."
    )
    period: str = Field(
        primary_key=True,
        description="The shortest period known to hold the event's date: a day (2018-05-31), a month (2018-05) or "
        "a year (2018); an event spanning years is held by the year it begins.",
    )
    fact_id: str = Field(primary_key=True, description="The fact.")
    predicate_id: str = Field(description="Its predicate.")


class TimelineCountTable(SQLModel, table=True):
    """How many events of the timeline each year and month holds, per predicate, for all countries and for each."""

    __tablename__ = "timeline_count"
    __table_args__ = {"sqlite_with_rowid": False}
    country_id: str = Field(primary_key=True, description="A country; empty in the rows that count every event.")
    period: str = Field(
        primary_key=True,
        description="A year (2018): the events whose period is in it; or a month (2018-05): those whose "
        "period is that month or one of its days.",
    )
    predicate_id: str = Field(primary_key=True, description="The predicate counted.")
    facts: int = Field(description="How many events.")


class CounterpartTable(SQLModel, table=True):
    """Who met, visited, held talks or agreed with whom (either way round; a place counts as its country)."""

    __tablename__ = "counterpart"
    __table_args__ = (
        # An entity's counterparts, the most frequent first: its page reads the first few rows.
        Index("ix_counterpart_order", "entity_id", desc("facts"), "counterpart_id"),
        {"sqlite_with_rowid": False},
    )
    entity_id: str = Field(primary_key=True, foreign_key="entity.id", description="One party.")
    counterpart_id: str = Field(primary_key=True, description="The other party.")
    facts: int = Field(description="Facts (not deprecated) of the two meeting, visiting, holding talks or agreeing.")
    met: int = Field(description="Of which: met.")
    visited: int = Field(description="Of which: visited.")
    talks: int = Field(description="Of which: held talks or a press conference.")
    agreed: int = Field(description="Of which: agreed.")


class EncounterCountTable(SQLModel, table=True):
    """How many encounters (the facts of the counterpart table) each entity took part in."""

    __tablename__ = "encounter_count"
    __table_args__ = (
        # The most connected first: who-met-whom draws the first few.
        Index("ix_encounter_count_order", desc("facts"), "entity_id"),
        {"sqlite_with_rowid": False},
    )
    entity_id: str = Field(primary_key=True, foreign_key="entity.id", description="The entity.")
    facts: int = Field(description="Facts (not deprecated) of it meeting, visiting, holding talks or agreeing.")


class EntityYearTable(SQLModel, table=True):
    """How many dated facts involve each entity, per year (the year the date begins)."""

    __tablename__ = "entity_year"
    __table_args__ = {"sqlite_with_rowid": False}
    entity_id: str = Field(primary_key=True, foreign_key="entity.id", description="The entity.")
    year: str = Field(primary_key=True, description="The year.")
    facts: int = Field(description="How many facts involving the entity begin that year.")


class FacetCountTable(SQLModel, table=True):
    """How many rows of a big table have each value of a column: its facet, counted once at build time."""

    __tablename__ = "facet_count"
    __table_args__ = (
        # The order Datasette shows a facet in (most rows first), so a facet reads its first rows only.
        Index("ix_facet_count_order", "table_name", "column_name", desc("count"), "value"),
        {"sqlite_with_rowid": False},
    )
    table_name: str = Field(primary_key=True, description="The table counted.")
    column_name: str = Field(primary_key=True, description="The column counted.")
    value: str = Field(primary_key=True, description="A value of that column (rows where it is empty are not counted).")
    count: int = Field(description="How many rows of the table have that value.")


# CPython 3.11's sqlite3 binds a parameter that is not exactly an int, float, str or bytes
# by looking for an adapter the slow way (attribute lookups that raise and clear an
# exception): a None costs about 1.7 us, and a fact row, half NULLs, 50 us. Adapters
# registered for None and bool turn that search into a dictionary hit (4x faster inserts);
# what is stored is unchanged (NULL, and 0 or 1).
sqlite3.register_adapter(type(None), lambda value: value)
sqlite3.register_adapter(bool, int)


def _row_columns(table: type[SQLModel]) -> list[str]:
    """The columns a row supplies: all but a row-number primary key, which SQLite numbers."""
    return [
        column.name
        for column in table.__table__.columns  # type: ignore[attr-defined]
        if not (column.primary_key and column.type.python_type is int)
    ]


@functools.cache
def _values_of(table: type[SQLModel]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    columns = _row_columns(table)
    assert len(columns) > 1, "itemgetter of one key returns the value, not a tuple"
    return operator.itemgetter(*columns)  # C speed: a million rows are read this way


def as_values(table: type[SQLModel], rows: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """Dict rows as tuples in the table's column order; a missing column is a KeyError, so a
    column added to a table cannot be silently left empty."""
    return list(map(_values_of(table), rows))


def as_row(table: type[SQLModel], row: Mapping[str, Any]) -> tuple[Any, ...]:
    return _values_of(table)(row)


def insert_values(
    connection: sqlite3.Connection, table: type[SQLModel], values: Iterable[tuple[Any, ...]], into: str | None = None
) -> None:
    """Insert rows given in the table's column order (into another table of the same columns,
    if `into` names one). A repeated primary key is skipped, not fatal: it is always reported
    as an error too, and a database with errors is discarded."""
    columns = _row_columns(table)
    name = into or table.__tablename__  # type: ignore[attr-defined]
    placeholders = ", ".join("?" * len(columns))
    connection.executemany(f"INSERT OR IGNORE INTO {name} ({', '.join(columns)}) VALUES ({placeholders})", values)


def insert(connection: sqlite3.Connection, table: type[SQLModel], rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert dict rows into a table; the column list comes from the SQLModel definition.
    The rows are streamed: a generator of a million rows is never held in memory."""
    insert_values(connection, table, map(_values_of(table), rows))


# Every table, in the order defined above (documentation follows this order).
ALL_TABLES: list[type[SQLModel]] = [model for model in SQLModel.__subclasses__() if hasattr(model, "__table__")]


def table_ddl() -> list[str]:
    """CREATE TABLE statements, in dependency order, without their indexes."""
    return [_create_table(table) for table in SQLModel.metadata.sorted_tables]


def create_table_sql(model: type[SQLModel]) -> str:
    """One table's CREATE TABLE statement, without its indexes."""
    return _create_table(model.__table__)  # type: ignore[attr-defined]


def _create_table(table: Any) -> str:
    return str(CreateTable(table).compile(dialect=sqlite_dialect.dialect()))


def index_ddl(of: Iterable[type[SQLModel]]) -> list[str]:
    """CREATE INDEX statements of these tables, sorted by name: SQLAlchemy keeps indexes in
    a set, whose order changes between runs and would make two builds differ byte for byte."""
    dialect = sqlite_dialect.dialect()
    indexes = sorted((index for table in of for index in table.__table__.indexes), key=lambda i: i.name)  # type: ignore[attr-defined]
    return [str(CreateIndex(index).compile(dialect=dialect)) for index in indexes]
