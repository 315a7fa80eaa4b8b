"""A Frictionless data package of the built database: `python build.py package DIR`.

Every table is written as DIR/<table>.csv (UTF-8, a header row, rows in the table's key
order) and described in DIR/datapackage.json: field types from the columns, descriptions
from the models (factdb/tables.py; fact_view's from factdb/publishing.py), primary and
foreign keys as the database declares them, the licences and the archived articles as
sources. `frictionless validate DIR/datapackage.json` checks every cell against it.

The full-text search indexes are left out: they are Datasette's search machinery, remade from
the fact, entity and source tables, not data.

An empty cell is SQL NULL, except in a text column that cannot be NULL, where it is an empty
string (entity_fact's date_start of an undated fact): such a field says so with an empty
`missingValues`, so that a primary key holding one is still a value.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

from factdb import export, publishing, tables

NAME = "vietnam-relations-facts"
LICENSES = [
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Data: Creative Commons Attribution 4.0 (quoted text remains its publishers', quoted as evidence)",
    },
    {"name": "MIT", "path": "https://opensource.org/licenses/MIT", "title": "Code that built the data: MIT"},
]

# SQLite's type affinity rules (https://sqlite.org/datatype3.html), in its order, as Frictionless types.
_TYPES = [("INT", "integer"), ("BOOL", "boolean"), ("CHAR", "string"), ("CLOB", "string"), ("TEXT", "string")]
_NUMERIC = ("REAL", "FLOA", "DOUB", "NUM")


def package(database: Path, folder: Path) -> list[Path]:
    """Write every table of database as CSV with its datapackage.json into folder (new or
    empty); return the files written, relative to folder."""
    return export.into_new_folder(database, folder, _write_all)


def _write_all(connection: sqlite3.Connection, folder: Path) -> list[Path]:
    described = {model.__tablename__: model for model in tables.ALL_TABLES}  # type: ignore[attr-defined]
    resources = []
    for name in _tables(connection):
        path = folder / f"{name}.csv"
        resource = _resource(connection, name, described.get(name))
        _write_csv(connection, name, resource["schema"], path)
        resources.append(resource)
    descriptor = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": publishing.SITE["title"],
        "description": "Facts about Vietnam's foreign relations, each citing the verbatim words of an archived "
        "news article that the build proved it occurs in; every table of the database facts.db.",
        "licenses": LICENSES,
        "sources": _sources(connection),
        "resources": resources,
    }
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (folder / "datapackage.json").write_text(text, encoding="utf-8")
    return [Path(f"{resource['name']}.csv") for resource in resources] + [Path("datapackage.json")]


def _tables(connection: sqlite3.Connection) -> list[str]:
    """The tables holding data, in name order: not the full-text indexes nor their own tables."""
    rows = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    searches = [name for name, sql in rows if sql.upper().startswith("CREATE VIRTUAL TABLE")]
    return [name for name, _ in rows if not any(name == s or name.startswith(f"{s}_") for s in searches)]


def _resource(connection: sqlite3.Connection, name: str, model: Any) -> dict[str, Any]:
    if model is not None:
        description = (model.__doc__ or "").strip()
        descriptions = {column: info.description or "" for column, info in model.model_fields.items()}
    else:
        view = publishing.VIEW_DESCRIPTIONS.get(name, {})
        description, descriptions = view.get("description", ""), view.get("columns", {})
    columns = connection.execute(f"PRAGMA table_info({_quoted(name)})").fetchall()
    keys = [column for _, column, *_, key in sorted(columns, key=lambda column: column[5]) if key]
    schema: dict[str, Any] = {"fields": [_field(column, descriptions) for column in columns]}
    if keys:
        schema["primaryKey"] = keys
    if foreign := _foreign_keys(connection, name):
        schema["foreignKeys"] = foreign
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "schema": schema,
    }


def _field(column: tuple[Any, ...], descriptions: dict[str, str]) -> dict[str, Any]:
    _, name, declared, not_null, _, key = column
    field: dict[str, Any] = {"name": name, "type": _type(declared), "description": descriptions.get(name, "")}
    if not_null or key:
        field["constraints"] = {"required": True}
        if field["type"] == "string":
            field["missingValues"] = []  # never NULL: an empty cell is an empty string, not a missing value
    return field


def _type(declared: str) -> str:
    declared = declared.upper()
    for part, kind in _TYPES:
        if part in declared:
            return kind
    return "number" if any(part in declared for part in _NUMERIC) else "string"


def _foreign_keys(connection: sqlite3.Connection, name: str) -> list[dict[str, Any]]:
    rows = connection.execute(f"PRAGMA foreign_key_list({_quoted(name)})").fetchall()
    return [
        {"fields": [column], "reference": {"resource": "" if table == name else table, "fields": [target]}}
        for _, _, table, column, target, *_ in sorted(rows, key=lambda row: row[3])
    ]


def _write_csv(connection: sqlite3.Connection, name: str, schema: dict[str, Any], path: Path) -> None:
    order = ", ".join(_quoted(key) for key in schema.get("primaryKey", [])) or "rowid"
    columns = [field["name"] for field in schema["fields"]]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        # A row streams straight from the cursor: the biggest table is never held in memory.
        writer.writerows(
            connection.execute(f"SELECT {', '.join(map(_quoted, columns))} FROM {_quoted(name)} ORDER BY {order}")
        )


def _sources(connection: sqlite3.Connection) -> list[dict[str, str]]:
    """The archived articles the facts are checked against, with their addresses where known."""
    rows = connection.execute("SELECT title, publisher, url FROM source ORDER BY id")
    return [
        {"title": f"{publisher}: {title}" if publisher else title, **({"path": url} if url else {})}
        for title, publisher, url in rows
    ]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
