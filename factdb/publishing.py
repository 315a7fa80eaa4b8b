"""What the published site says about itself, and the files generated from the models.

metadata.json (Datasette's configuration) and the JSON Schema files in
schema/ are generated from the models by `python build.py generate`, and a
test fails when the committed copies differ. Change the site's title,
licence or a table's description here, never in metadata.json by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlmodel import SQLModel

from factdb import tables
from schema.models import EntityFile, FactFile, Source

PROJECT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "facts"

SITE = {
    "title": "Vietnam's foreign relations: a citable fact database",
    "description_html": (
        "<p>Facts about Vietnam's foreign relations (visits, talks, agreements, aid, trade, statements), "
        "each one citing the verbatim words of an archived news article that the build proved it occurs in.</p>"
        "<p>It is <strong>not</strong> a complete record, nor a news archive: it holds what its sources state, "
        "with dates resolved and source errors corrected in the open. Start with "
        '<a href="/facts/fact_view">fact_view</a>, one row per fact and citation.</p>'
    ),
    "license": "CC BY 4.0 (facts); quoted text © its publishers",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "source": "Five news articles (2015-2022), archived in the repository under sources/",
}

VIEW_DESCRIPTIONS = {
    "fact_view": {
        "description": "One row per citation of each fact, with names instead of ids: the place to start reading.",
        "columns": {
            "fact_id": "Stable fact id.",
            "statement": "The fact as an English sentence.",
            "subject": "Who or what the fact is about.",
            "predicate": "The relation stated (see the predicate table).",
            "object": "The other entity, if any.",
            "value": "Quantity: the number.",
            "unit": "Quantity: unit or ISO 4217 currency.",
            "approximately": "1 when the source says about/some/nearly.",
            "text": "The words of a statement, or what was pledged or agreed.",
            "date": "When the fact held or happened, in EDTF.",
            "date_start": "Earliest day the date can mean (ISO).",
            "date_end": "Latest day the date can mean (ISO).",
            "date_reasoning": "How a relative or inferred date was resolved.",
            "place": "Where it happened.",
            "modality": "actual, planned or expected.",
            "attributed_to": "Whose claim this is, when the source reports a claim.",
            "source_count": "Number of distinct sources citing the fact.",
            "source_id": "The source of this citation.",
            "quote": "The verbatim quote from that source.",
            "correction": "Errors in the sources for this fact, and the corrections made.",
            "note": "Remarks by the editors.",
            "rank": "normal or deprecated.",
        },
    }
}

TABLES: list[type[SQLModel]] = [
    tables.SourceTable,
    tables.ExclusionTable,
    tables.EntityTable,
    tables.AliasTable,
    tables.PredicateTable,
    tables.FactTable,
    tables.CitationTable,
    tables.QualifierTable,
    tables.CorrectionTable,
    tables.BuildInfoTable,
]


def _table_metadata(table: type[SQLModel]) -> dict[str, Any]:
    columns = {name: field.description or "" for name, field in table.model_fields.items()}
    return {"description": (table.__doc__ or "").strip(), "columns": columns}


def metadata() -> dict[str, Any]:
    """Datasette metadata: the site, then every table and view with its columns."""
    described = {table.__tablename__: _table_metadata(table) for table in TABLES}  # type: ignore[attr-defined]
    return {**SITE, "databases": {DATABASE_NAME: {"tables": {**described, **VIEW_DESCRIPTIONS}}}}


JSON_SCHEMAS: dict[str, type[BaseModel]] = {
    "facts.schema.json": FactFile,
    "entities.schema.json": EntityFile,
    "source.schema.json": Source,
}


def generated_files() -> dict[Path, str]:
    """Every file generated from the models, with its exact content."""
    files = {PROJECT / "metadata.json": _dump(metadata())}
    for name, model in JSON_SCHEMAS.items():
        files[PROJECT / "schema" / name] = _dump(model.model_json_schema(by_alias=True))
    return files


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def serve(database: Path, host: str, port: int) -> int:
    """Serve the database read-only and immutable with Datasette (blocks until stopped)."""
    inspect_file = database.with_name("inspect.json")
    datasette = [sys.executable, "-m", "datasette"]
    subprocess.run([*datasette, "inspect", str(database), "--inspect-file", str(inspect_file)], check=True)
    command = [
        *datasette,
        "serve",
        "--immutable",
        str(database),
        "--inspect-file",
        str(inspect_file),
        "--metadata",
        str(PROJECT / "metadata.json"),
        "--host",
        host,
        "--port",
        str(port),
        *SERVE_SETTINGS,
    ]
    return subprocess.call(command)


# Limits that keep one slow query from stalling the site for everyone.
SERVE_SETTINGS = [
    "--setting",
    "sql_time_limit_ms",
    "2000",
    "--setting",
    "max_returned_rows",
    "2000",
    "--setting",
    "facet_time_limit_ms",
    "500",
]
