"""Writing the data files back from a database: `python build.py export DIR`.

The export is a project folder that builds again: `facts/<file>.json` under the
names the `fact` table records, `facts/entities/<type>.json`, and
`sources/<id>.json` beside the archived `sources/<id>.txt`. What the database
cannot say is written the canonical way:

* which entity file an entity came from (the `entity` table does not record
  it): entities are written one file per type, `people.json`, `countries.json`...;
* a file's `$schema` line: the standard relative path;
* the order of keys (the models' field order) and of qualifiers (sorted by name,
  as the build stores them); fields holding their default value are left out,
  except in source records, which spell out every field.

Everything else (every fact in its file and place, every citation, qualifier,
correction, entity, alias, source record and archived text) comes back as it was
written; tests/test_roundtrip.py proves it.

Nothing in the database is trusted to be a safe file name: fact files must be
`facts/<name>.json`, and source and entity ids must be valid ids, or the export
stops with an ExportError naming the value. It writes into a new folder beside
the target and renames it into place, so a failed export leaves nothing behind.
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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel

from factdb.evidence import DERIVED_KINDS
from schema.models import SLUG_PATTERN, Entity, Fact, Source
from schema.vocabulary import ENTITY_TYPES

# The entity file each type is written to (the names the project uses).
ENTITY_FILES = {kind: {"person": "people", "country": "countries"}.get(kind, f"{kind}s") for kind in ENTITY_TYPES}
SCHEMAS = {
    "fact": "../schema/facts.schema.json",
    "entity": "../../schema/entities.schema.json",
    "source": "../schema/source.schema.json",
}


def _keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


_FACT_KEYS, _ENTITY_KEYS = _keys(Fact), _keys(Entity)
_SOURCE_KEYS = [key for key in _keys(Source) if key not in {"$schema", "excluded"}]
_TABLES = ("fact", "citation", "qualifier", "correction", "entity", "alias", "source", "source_exclusion")
_FACT_FILE = re.compile(r"facts/[^/\\\x00]+\.json")


class ExportError(Exception):
    """The database cannot be exported (missing, not a fact database, unsafe names) or DIR is not empty."""


def export(database: Path, folder: Path) -> list[Path]:
    """Write the data files held in database into folder (new or empty); return the files written."""
    return into_new_folder(database, folder, _write_all)


def into_new_folder(
    database: Path, folder: Path, write: Callable[[sqlite3.Connection, Path], list[Path]]
) -> list[Path]:
    """Run `write` (from the database, into a folder) into folder, which must be new or empty,
    through a staging folder beside it: a failure leaves nothing behind."""
    if not database.is_file():
        raise ExportError(f"no database at {database}: build one first (python build.py build)")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ExportError(f"{folder} is not an empty folder: export into a new or empty one")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        with contextlib.closing(_connect(database)) as connection:
            written = write(connection, staging)
        if folder.exists():
            folder.rmdir()  # empty, checked above
        os.replace(staging, folder)
    except sqlite3.Error as error:
        raise ExportError(f"cannot read {database}: {error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _connect(database: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    found = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    missing = [table for table in _TABLES if table not in found]
    if missing:
        connection.close()
        raise ExportError(f"{database} is not a fact database: it has no table {', '.join(missing)}")
    return connection


def _write_all(connection: sqlite3.Connection, folder: Path) -> list[Path]:
    written = []
    for name, facts in itertools.groupby(_facts(connection), key=lambda pair: pair[0]):
        written.append(_write(folder / name, {"$schema": SCHEMAS["fact"], "facts": [fact for _, fact in facts]}))
    for kind, entities in itertools.groupby(_entities(connection), key=lambda pair: pair[0]):
        document = {"$schema": SCHEMAS["entity"], "entities": [entity for _, entity in entities]}
        written.append(_write(folder / "facts" / "entities" / f"{ENTITY_FILES[kind]}.json", document))
    for record, text in _sources(connection):
        written.append(_write(folder / "sources" / f"{record['id']}.json", record))
        path = folder / "sources" / f"{record['id']}.txt"
        path.write_bytes(text.encode("utf-8"))  # bytes: no newline translation, the SHA-256 still matches
        written.append(path)
    return [path.relative_to(folder) for path in written]


def _write(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise ExportError(f"two groups of rows would both be written to {path.name}")
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# --- Facts -------------------------------------------------------------------


def _facts(connection: sqlite3.Connection) -> Iterator[tuple[str, dict[str, Any]]]:
    """(file, fact) in file order, then in the order the facts stand in their file.

    Facts are inserted file by file in order, so rowid order is file order; the
    child rows are read in the same order and merged, one fact at a time.
    """

    def children(sql: str) -> _Children:
        return _Children(connection.execute(sql.format(order="ORDER BY f.rowid, c.id")))

    citations = children(
        "SELECT c.fact_id, c.source_id, c.quote, c.referents FROM citation c JOIN fact f ON f.id = c.fact_id {order}"
    )
    qualifiers = children("SELECT c.fact_id, c.name, c.value FROM qualifier c JOIN fact f ON f.id = c.fact_id {order}")
    corrections = children(
        "SELECT c.fact_id, c.source_id, c.source_says, c.correct, c.reason "
        "FROM correction c JOIN fact f ON f.id = c.fact_id {order}"
    )
    seen_files: set[str] = set()
    previous = None
    rows = connection.execute("SELECT * FROM fact ORDER BY rowid")
    columns = [description[0] for description in rows.description]
    for values in rows:
        row = dict(zip(columns, values, strict=True))
        file = row["file"]
        if not isinstance(file, str) or not _FACT_FILE.fullmatch(file) or PurePosixPath(file).name.startswith(".."):
            raise ExportError(f"fact {row['id']!r} has file {file!r}, which is not facts/<name>.json")
        if file != previous:
            if file in seen_files:
                raise ExportError(f"the facts of {file} are not stored together (at fact {row['id']!r})")
            seen_files.add(file)
            previous = file
        fact = _fact(row)
        if qualifier_rows := qualifiers.take(row["id"]):
            fact["qualifiers"] = dict(qualifier_rows)
        if correction_rows := corrections.take(row["id"]):
            fact["corrections"] = [
                {"source": source, "source_says": says, "correct": correct, "reason": reason}
                for source, says, correct, reason in correction_rows
            ]
        fact["citations"] = [
            {"source": source, "quote": quote, **({"referents": json.loads(referents)} if referents else {})}
            for source, quote, referents in citations.take(row["id"])
        ]
        yield file, _ordered(fact, _FACT_KEYS)


def _fact(row: dict[str, Any]) -> dict[str, Any]:
    fact: dict[str, Any] = {"id": row["id"], "subject": row["subject_id"], "predicate": row["predicate_id"]}
    optional = {
        "object": row["object_id"],
        "text": row["text"],
        "date": row["date"],
        "date_reasoning": row["date_reasoning"],
        "place": row["place_id"],
        "attributed_to": row["attributed_to_id"],
        "note": row["note"],
        "deprecation_reason": row["deprecation_reason"],
    }
    fact.update({key: value for key, value in optional.items() if value is not None})
    if row["amount"] is not None:
        quantity = {"amount": _number(row["amount"]), "unit": row["unit"]}
        if row["approximately"]:
            quantity["approximately"] = True
        for bound in ("lower", "upper"):
            if row[bound] is not None:
                quantity[bound] = _number(row[bound])
        fact["quantity"] = quantity
    if row["modality"] != "actual":
        fact["modality"] = row["modality"]
    if row["rank"] != "normal":
        fact["rank"] = row["rank"]
    return fact


def _number(value: float) -> int | float:
    """3500000000.0 as 3500000000, the way it was written; other numbers as they are."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return int(value)
    return value


class _Children:
    """Child rows (fact_id first) ordered like the facts: take() returns those of the next fact."""

    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self._groups = itertools.groupby(rows, key=lambda row: row[0])
        self._next = next(self._groups, None)

    def take(self, fact_id: str) -> list[tuple[Any, ...]]:
        if self._next is None or self._next[0] != fact_id:
            return []
        rows = [row[1:] for row in self._next[1]]
        self._next = next(self._groups, None)
        return rows


def _ordered(document: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    return {key: document[key] for key in keys if key in document}


# --- Entities and sources ----------------------------------------------------

# The alias kinds of the names the build derives (factdb.evidence.derived_names): nobody wrote
# them, so they are not written back.


def _entities(connection: sqlite3.Connection) -> Iterator[tuple[str, dict[str, Any]]]:
    """(type, entity), grouped by type in the vocabulary's order, by id within a type."""
    aliases: dict[str, list[dict[str, Any]]] = {}
    for entity_id, name, kind, source in connection.execute(
        f"SELECT entity_id, name, kind, source_id FROM alias WHERE kind NOT IN ({', '.join('?' * len(DERIVED_KINDS))})"
        " ORDER BY entity_id, id",
        DERIVED_KINDS,
    ):
        alias = {"name": name, "kind": kind}
        if source is not None:
            alias["source"] = source
        aliases.setdefault(entity_id, []).append(alias)
    rows = connection.execute("SELECT id, name, description, wikidata, country_id FROM entity").fetchall()
    for entity_id, *_ in rows:
        kind, colon, slug = str(entity_id).partition(":")
        if kind not in ENTITY_FILES or not colon or not re.fullmatch(SLUG_PATTERN, slug):
            raise ExportError(f"entity id {entity_id!r} is not a type, a colon and a slug")
    rows.sort(key=lambda row: (ENTITY_TYPES.index(row[0].partition(":")[0]), row[0]))
    for entity_id, name, description, wikidata, country in rows:
        entity = {"id": entity_id, "name": name}
        optional = {"description": description, "aliases": aliases.get(entity_id), "wikidata": wikidata}
        entity.update({key: value for key, value in optional.items() if value is not None})
        if country is not None:
            entity["country"] = country
        yield entity_id.partition(":")[0], _ordered(entity, _ENTITY_KEYS)


def _sources(connection: sqlite3.Connection) -> Iterator[tuple[dict[str, Any], str]]:
    """(record, archived text) for every source, in id order; records spell out every field."""
    exclusions: dict[str, list[dict[str, Any]]] = {}
    for source_id, text, kind, reason, to_end in connection.execute(
        "SELECT source_id, text, kind, reason, to_end FROM source_exclusion ORDER BY source_id, id"
    ):
        exclusion = {"text": text, "kind": kind, "reason": reason}
        if to_end:
            exclusion["to_end"] = True
        exclusions.setdefault(source_id, []).append(exclusion)
    rows = connection.execute("SELECT * FROM source ORDER BY id")
    columns = [description[0] for description in rows.description]
    for values in rows:
        row = dict(zip(columns, values, strict=True))
        if not isinstance(row["id"], str) or not re.fullmatch(SLUG_PATTERN, row["id"]) or not row["id"].isascii():
            raise ExportError(f"source id {row['id']!r} is not a valid id, so not a safe file name")
        record = {"$schema": SCHEMAS["source"]}
        for key in _SOURCE_KEYS:
            record[key] = bool(row[key]) if key == "published_inferred" else row[key]
        record["excluded"] = exclusions.get(row["id"], [])
        yield record, row["text"]
