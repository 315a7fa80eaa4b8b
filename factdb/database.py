"""Writing the SQLite database: atomically, reproducibly, in bulk.

The file is written beside the target under a temporary name and moved into
place with os.replace only when complete, so a failed or killed build leaves
the previous database as it was. Rows are inserted with sqlite3's
executemany in one transaction: the ORM defines the tables but is too slow
for a million rows. Nothing time-dependent is written, so the same inputs
give a byte-identical file.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlmodel import SQLModel

from factdb import naming, tables
from factdb.evidence import fold
from factdb.quotes import Span
from factdb.reader_tables import UNSORTED, count_facets
from factdb.statements import correction_text, statement
from factdb.tables import insert
from factdb.validation import Registry, ResolvedFact
from schema.dates import date_bounds, date_text
from schema.models import Fact, Source
from schema.vocabulary import PREDICATES

# 16 KB pages rather than SQLite's 4 KB: a million facts' indexes, full-text index and copied
# tables are built with a quarter as many pages to fill, split and link (the steps after the
# fact files 41 -> 36 s); 8 KB gained less, and 64 KB made the row-by-row inserts slower.
PAGE_SIZE = 16384

# The columns each table's search box looks in (aliases hold every other name of an entity).
SEARCHABLE = {
    "fact": ["statement", "text", "quotes"],
    "entity": ["name", "aliases", "description"],
    "source": ["title", "publisher", "text"],
}
# Every diacritic is folded by the index's tokenizer (remove_diacritics 2: Nguyễn and Nguyen are one
# word), except the letters with a stroke, which Unicode does not decompose: the index also holds
# the searchable text with those folded (search_folded), so that Da Nang finds Đà Nẵng and Đà Nẵng
# finds it still (its words are indexed as written too).
TOKENIZE = "unicode61 remove_diacritics 2"
_UNFOLDED_BY_TOKENIZER = re.compile("[ĐđÐð]")


def search_folded(*searchable: str | None) -> str | None:
    """The searchable columns' text with Đ as D (factdb.evidence.fold), or None when no letter
    needs it: the other diacritics the tokenizer folds by itself."""
    text = "\n".join(value for value in searchable if value)
    return fold(text) if _UNFOLDED_BY_TOKENIZER.search(text) else None


@contextlib.contextmanager
def atomic_database(output: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a new database that replaces `output` only if the block succeeds.

    The temporary file's name holds this process's id (.facts.db.<pid>.<random>.tmp), so that
    the next build can tell it from a running build's and remove it if this one is killed."""
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_left_behind(output)
    handle, temporary_name = tempfile.mkstemp(prefix=f".{output.name}.{os.getpid()}.", suffix=".tmp", dir=output.parent)
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        connection = sqlite3.connect(temporary, isolation_level=None)
        # The temporary file is thrown away on any failure, so durability
        # during the build buys nothing; it is synced once, at the end.
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        for statement_sql in tables.table_ddl():
            connection.execute(statement_sql)
        try:
            yield connection
            if connection.in_transaction:  # sqlite-utils' executescript may have committed already
                connection.execute("COMMIT")
        finally:
            connection.close()
        with open(temporary, "rb+") as file:
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)


def remove_left_behind(output: Path) -> None:
    """Remove the files that builds killed before they could clean up left beside output: a
    temporary database and its .snapshot and .snapshot.readers copies (snapshot_for_reading,
    pipeline._apart_files), gigabytes each at full size. Only those whose build process is gone:
    a running build's files are its work in progress. (A build's pid reused since by another
    process only keeps its files until that one ends. Builds writing to one folder from
    different pid namespaces, such as two containers, are not told apart: not supported.)"""
    left = re.compile(rf"\.{re.escape(output.name)}\.(\d{{1,7}})\.\w+\.tmp(?:\.snapshot(?:\.readers)?)?")
    for path in output.parent.iterdir():
        match = left.fullmatch(path.name)
        if match and not _running(int(match[1])):
            path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, and belongs to another user
        pass
    return True


def write_source(connection: sqlite3.Connection, record: Source, text: str) -> None:
    """A source and its exclusions, written as the record is read (records are not kept)."""
    insert(connection, tables.SourceTable, [_source_row(record, text)])
    exclusions = ({"source_id": record.id, **exclusion.model_dump()} for exclusion in record.excluded)
    insert(connection, tables.ExclusionTable, exclusions)


def write_registry(connection: sqlite3.Connection, registry: Registry) -> None:
    """Entities, their aliases, and the predicates.

    The names derived for an entity (evidence.derived_names: a name with diacritics in ASCII, so
    that a search or a canned query typed in ASCII finds it; "Japan's Prime Minister", "V. Putin")
    are further aliases of their own kinds (naming.DERIVED_KINDS); the data files never hold them."""
    entities = [registry.entities[key] for key in sorted(registry.entities)]
    aliases = {entity.id: naming.published_aliases(entity, registry.names.derived(entity.id)) for entity in entities}
    insert(
        connection,
        tables.EntityTable,
        (
            {
                "id": entity.id,
                "type": entity.type,
                "name": entity.name,
                "description": entity.description,
                "wikidata": entity.wikidata,
                "country_id": entity.country,
                "aliases": "\n".join(name for name, _, _ in aliases[entity.id]) or None,
                "search_folded": search_folded(
                    entity.name, *(name for name, _, _ in aliases[entity.id]), entity.description
                ),
            }
            for entity in entities
        ),
    )
    insert(
        connection,
        tables.AliasTable,
        (
            {"entity_id": entity.id, "name": name, "kind": kind, "source_id": source}
            for entity in entities
            for name, kind, source in aliases[entity.id]
        ),
    )
    insert(
        connection,
        tables.PredicateTable,
        (
            {
                "id": predicate.id,
                "template": predicate.template,
                "description": predicate.description,
                "subject_types": ",".join(predicate.subject_types),
                "object_types": ",".join(predicate.object_types),
                "value_kind": predicate.value,
                "qualifiers": ",".join(predicate.qualifiers),
            }
            for predicate in PREDICATES.values()
        ),
    )


def _source_row(record: Source, text: str) -> dict[str, Any]:
    bounds = date_bounds(record.published) if record.published else None
    row = record.model_dump(exclude={"schema_", "excluded"})
    return {
        **row,
        "published_text": date_text(record.published) if record.published else None,
        "published_start": bounds.start if bounds else None,
        "published_end": bounds.end if bounds else None,
        "text": text,
        "search_folded": search_folded(record.title, record.publisher, text),
    }


FactRows = dict[str, list[tuple[Any, ...]]]  # table name -> rows in its column order

# The tables a fact's rows go to, in insertion order.
FACT_TABLES = [
    tables.FactTable,
    tables.CitationTable,
    tables.GroundingTable,
    tables.QualifierTable,
    tables.CorrectionTable,
    tables.FactCountryTable,
    tables.CountryPairFactTable,
]


def fact_rows(facts: Iterable[ResolvedFact], registry: Registry) -> FactRows:
    """The rows of checked facts, ready to insert: built where the facts were checked
    (a worker process), so the process writing the database only inserts."""
    rows: dict[type[SQLModel], list[dict[str, Any]]] = {table: [] for table in FACT_TABLES}
    for resolved in facts:
        fact = resolved.fact
        rows[tables.FactTable].append(_fact_row(resolved, registry))
        countries = _countries(fact, registry)
        for country in countries:
            rows[tables.FactCountryTable].append({"fact_id": fact.id, "country_id": country})
        if resolved.date and resolved.date.start:
            # Each pair once, in id order (the query looks it up both ways round); made here,
            # where the countries are at hand, rather than by joining a million rows later.
            rows[tables.CountryPairFactTable] += [
                {
                    "country_id": first,
                    "other_country_id": second,
                    "date_start": resolved.date.start,
                    "date_end": resolved.date.end,
                    "fact_id": fact.id,
                }
                for first, second in itertools.combinations(countries, 2)
            ]
        for citation in resolved.citations:
            rows[tables.CitationTable].append(
                {
                    "fact_id": fact.id,
                    "source_id": citation.source,
                    "quote": citation.quote,
                    "start": citation.spans[0].start,
                    "end": citation.spans[-1].end,
                    "spans": _spans_json(citation.spans),
                    "referents": _REFERENTS_JSON([referent.model_dump() for referent in citation.referents])
                    if citation.referents
                    else None,
                }
            )
        rows[tables.GroundingTable] += [
            {
                "fact_id": fact.id,
                "role": grounded.role,
                "entity_id": grounded.entity_id,
                "source_id": grounded.source,
                "words": grounded.words,
                "start": grounded.start,
                "end": grounded.end,
                "how": grounded.how,
                "context": grounded.context,
            }
            for grounded in resolved.grounding
        ]
        for name, value in sorted(fact.qualifiers.items()):
            entity_id = value if value in registry.entities else None
            rows[tables.QualifierTable].append(
                {"fact_id": fact.id, "name": name, "value": value, "entity_id": entity_id}
            )
        for correction in fact.corrections:
            rows[tables.CorrectionTable].append(
                {"fact_id": fact.id, **correction.model_dump()} | {"source_id": correction.source}
            )
    return {table.__tablename__: tables.as_values(table, table_rows) for table, table_rows in rows.items()}  # type: ignore[attr-defined]


def _spans_json(spans: list[Span]) -> str:
    # What json.dumps writes for the list of [start, end] pairs, at a tenth of the cost.
    return "[" + ", ".join(f"[{span.start}, {span.end}]" for span in spans) + "]"


def insert_fact_rows(connection: sqlite3.Connection, rows: FactRows) -> None:
    for table in FACT_TABLES:
        name = table.__tablename__  # type: ignore[attr-defined]
        tables.insert_values(connection, table, rows[name], into=UNSORTED.get(name))


def _countries(fact: Fact, registry: Registry) -> list[str]:
    """The countries a fact involves: its entities that are countries or belong to one."""
    country_of = registry.country_of
    involved = (fact.subject, fact.object, fact.place, fact.qualifiers.get("with"))
    return sorted({country_of[entity_id] for entity_id in involved if entity_id in country_of})


# Qualifiers as JSON with sorted keys: the encoder json.dumps would make, made once.
_QUALIFIERS_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode
_REFERENTS_JSON = json.JSONEncoder(ensure_ascii=False).encode


def _fact_row(resolved: ResolvedFact, registry: Registry) -> dict[str, Any]:
    fact, quantity = resolved.fact, resolved.fact.quantity
    sentence = statement(fact, registry.entities)
    quotes = "\n".join(citation.quote for citation in fact.citations)
    return {
        "id": fact.id,
        "statement": sentence,
        "subject_id": fact.subject,
        "predicate_id": fact.predicate,
        "object_id": fact.object,
        "amount": quantity.amount if quantity else None,
        "unit": quantity.unit if quantity else None,
        "approximately": quantity.approximately if quantity else None,
        "lower": quantity.lower if quantity else None,
        "upper": quantity.upper if quantity else None,
        "text": fact.text,
        "date": fact.date,
        "date_text": date_text(fact.date) if fact.date else None,
        "date_start": resolved.date.start if resolved.date else None,
        "date_end": resolved.date.end if resolved.date else None,
        "date_reasoning": fact.date_reasoning,
        "qualifiers": _QUALIFIERS_JSON(fact.qualifiers) if fact.qualifiers else None,
        "place_id": fact.place,
        "modality": fact.modality,
        "attributed_to_id": fact.attributed_to,
        "note": fact.note,
        "correction": correction_text(fact) or None,
        "rank": fact.rank,
        "deprecation_reason": fact.deprecation_reason,
        "source_count": len({citation.source for citation in fact.citations}),
        "quotes": quotes,
        "file": resolved.file,
        "search_folded": search_folded(sentence, fact.text, quotes),
    }


# The coverage tables are filled after the others are indexed (their rows come from
# queries on citations), and are indexed once filled.
COVERAGE_TABLES = [tables.SentenceTable, tables.CoverageTable]
LOADED_TABLES = [table for table in tables.ALL_TABLES if table not in COVERAGE_TABLES]


def create_indexes(connection: sqlite3.Connection, of: list[type[SQLModel]]) -> None:
    """Indexes, built once after the bulk load (faster than maintaining them row by row)."""
    for statement_sql in tables.index_ddl(of):
        connection.execute(statement_sql)


def make_searchable(connection: sqlite3.Connection) -> None:
    """Full-text search in the form Datasette detects by itself (FTS5, content=[table])."""
    searchable = sqlite_utils.Database(connection)
    for table, columns in SEARCHABLE.items():
        searchable[table].enable_fts([*columns, "search_folded"], create_triggers=False, tokenize=TOKENIZE)


def finish(connection: sqlite3.Connection, inputs_hash: str) -> None:
    """The last rows: the precounted facets, and the build record."""
    count_facets(connection)
    insert(connection, tables.BuildInfoTable, [{"key": "inputs_sha256", "value": inputs_hash}])


def snapshot_for_reading(connection: sqlite3.Connection) -> Path:
    """Commit what is written so far and copy the file beside it, for another process to read
    while this connection goes on writing; the caller removes the copy. (The kernel copies the
    file in about a second a gigabyte; sharing the file itself in WAL mode instead wrote every
    later page twice, to the WAL and back, and read it through the WAL index.)"""
    connection.execute("COMMIT")
    written = Path(connection.execute("PRAGMA database_list").fetchone()[2])
    snapshot = written.with_name(written.name + ".snapshot")
    try:
        shutil.copyfile(written, snapshot)
    except BaseException:
        snapshot.unlink(missing_ok=True)
        raise
    connection.execute("BEGIN")
    return snapshot
