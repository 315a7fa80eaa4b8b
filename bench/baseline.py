"""The yardsticks the build is compared with: the same rows, loaded with no validation.

    python bench/baseline.py sqlite3 --root DIR --output X.db
    python bench/baseline.py sqlite-utils --root DIR --output X.db

Both read every `facts/*.json` of DIR with the standard `json` module, one file at a
time, and load one row per fact into `fact` and one row per citation into `citation`
(the columns the project's tables take straight from the JSON), then create three
indexes (fact.subject_id, fact.predicate_id, citation.fact_id):

* `sqlite3`: the bare floor: `executemany` in one transaction, SQLite's defaults;
* `sqlite-utils`: `Table.insert_all` with its defaults (the table is created from the
  rows, 100 rows per batch), the usual way to load JSON into SQLite in Python.

Nothing is checked: no schema, no entities, no quotes, no dates. run.py runs each in its
own process so that its time and peak memory are measured alone.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FACT_COLUMNS = (
    "id",
    "subject_id",
    "predicate_id",
    "object_id",
    "amount",
    "unit",
    "approximately",
    "text",
    "date",
    "date_reasoning",
    "place_id",
    "modality",
    "attributed_to_id",
    "note",
    "rank",
    "deprecation_reason",
    "source_count",
    "file",
)
CITATION_COLUMNS = ("fact_id", "source_id", "quote")
INDEXES = (("fact", "subject_id"), ("fact", "predicate_id"), ("citation", "fact_id"))

Row = dict[str, Any]


def fact_row(fact: dict[str, Any], file: str) -> Row:
    quantity = fact.get("quantity") or {}
    return {
        "id": fact["id"],
        "subject_id": fact["subject"],
        "predicate_id": fact["predicate"],
        "object_id": fact.get("object"),
        "amount": quantity.get("amount"),
        "unit": quantity.get("unit"),
        "approximately": quantity.get("approximately"),
        "text": fact.get("text"),
        "date": fact.get("date"),
        "date_reasoning": fact.get("date_reasoning"),
        "place_id": fact.get("place"),
        "modality": fact.get("modality", "actual"),
        "attributed_to_id": fact.get("attributed_to"),
        "note": fact.get("note"),
        "rank": fact.get("rank", "normal"),
        "deprecation_reason": fact.get("deprecation_reason"),
        "source_count": len({citation["source"] for citation in fact["citations"]}),
        "file": file,
    }


def file_rows(root: Path) -> Iterator[tuple[list[Row], list[Row]]]:
    """(fact rows, citation rows) of each fact file in turn: one file in memory at a time."""
    for path in sorted((root / "facts").glob("*.json")):
        name = path.relative_to(root).as_posix()
        facts = json.loads(path.read_bytes())["facts"]
        citations = [
            {"fact_id": fact["id"], "source_id": citation["source"], "quote": citation["quote"]}
            for fact in facts
            for citation in fact["citations"]
        ]
        yield [fact_row(fact, name) for fact in facts], citations


def load_sqlite3(root: Path, output: Path) -> int:
    connection = sqlite3.connect(output, isolation_level=None)
    connection.execute("BEGIN")
    connection.execute(f"CREATE TABLE fact (id TEXT PRIMARY KEY, {', '.join(FACT_COLUMNS[1:])})")
    connection.execute(f"CREATE TABLE citation (id INTEGER PRIMARY KEY, {', '.join(CITATION_COLUMNS)})")
    fact_sql = f"INSERT INTO fact VALUES ({', '.join('?' * len(FACT_COLUMNS))})"
    citation_sql = f"INSERT INTO citation ({', '.join(CITATION_COLUMNS)}) VALUES (?, ?, ?)"
    count = 0
    for facts, citations in file_rows(root):
        connection.executemany(fact_sql, ([row[column] for column in FACT_COLUMNS] for row in facts))
        connection.executemany(citation_sql, ([row[column] for column in CITATION_COLUMNS] for row in citations))
        count += len(facts)
    for table, column in INDEXES:
        connection.execute(f"CREATE INDEX idx_{table}_{column} ON {table} ({column})")
    connection.execute("COMMIT")
    connection.close()
    return count


def load_sqlite_utils(root: Path, output: Path) -> int:
    import sqlite_utils  # only this yardstick needs it

    database = sqlite_utils.Database(output)
    count = 0
    for facts, citations in file_rows(root):
        database["fact"].insert_all(facts)  # type: ignore[union-attr]
        database["citation"].insert_all(citations)  # type: ignore[union-attr]
        count += len(facts)
    for table, column in INDEXES:
        database[table].create_index([column])  # type: ignore[union-attr]
    database.close()
    return count


LOADERS = {"sqlite3": load_sqlite3, "sqlite-utils": load_sqlite_utils}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load the facts of a corpus into SQLite with no validation.")
    parser.add_argument("kind", choices=sorted(LOADERS))
    parser.add_argument("--root", type=Path, required=True, help="folder holding facts/")
    parser.add_argument("--output", type=Path, required=True, help="database to write (replaced if present)")
    options = parser.parse_args(argv)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.unlink(missing_ok=True)
    count = LOADERS[options.kind](options.root, options.output)
    print(f"{options.kind}: loaded {count:,} facts into {options.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
