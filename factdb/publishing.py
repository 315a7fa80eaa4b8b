"""What the published site says about itself, and the files generated from the models.

metadata.json (Datasette's configuration), the JSON Schema files in schema/
and docs/vocabulary.md are generated from the models by `python build.py generate`, and a
test fails when the committed copies differ. Change the site's title,
licence or a table's description here, never in metadata.json by hand.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

from pydantic import BaseModel
from sqlmodel import SQLModel

from factdb import glossary, tables
from factdb.queries import CANNED_QUERIES, MAX_RETURNED_ROWS
from schema.models import EntityFile, FactFile, Source

PROJECT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "facts"

SITE = {
    "title": "Vietnam's foreign relations: a citable fact database",
    "description_html": (
        "<p>Facts about Vietnam's foreign relations (visits, talks, offices, agreements, aid, trade, "
        "statements), each citing the verbatim words of an archived news article that the build proved "
        "it occurs in.</p>"
        "<p>It is <strong>not</strong> a complete history nor a news archive: it holds what its sources "
        "state, with relative dates resolved (the reasoning is in <code>date_reasoning</code>) and the "
        "sources' own errors corrected in the open.</p>"
        '<p>Start with <a href="/facts/fact_view">fact_view</a> (one row per fact and citation), the '
        '<a href="/-/timeline">timeline of events</a>, the <a href="/-/sources">sources with their cited '
        'passages marked</a> or <a href="/-/coverage">how completely each is covered</a>. Ask: '
        '<a href="/facts/timeline_between?country_a=Vietnam&amp;country_b=Japan&amp;year=2015">what happened '
        "between Vietnam and Japan in 2015, and who says so?</a> Download the whole database: "
        '<a href="/facts.db">facts.db</a>.</p>'
    ),
    "license": "CC BY 4.0 for the facts; quoted text remains its publishers' and is quoted as evidence",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "source": "Five news articles (2015-2022) archived in the repository under sources/",
}

# How each table is browsed: sort order, facets, and the column that names a row when
# another table links to it (so foreign keys show names, not ids). The two tables with a row per
# fact have no default facets: each is a GROUP BY over every row on every page (about 90 ms
# each at a million facts); readers add them with ?_facet=predicate_id.
TABLE_OPTIONS: dict[str, dict[str, Any]] = {
    "fact": {"sort": "date_start", "label_column": "statement"},
    "entity": {"sort": "name", "facets": ["type", "country_id"], "label_column": "name"},
    "source": {"sort": "published_start", "facets": ["publisher", "published_inferred"], "label_column": "title"},
    "alias": {"sort": "name", "facets": ["kind"]},
    "predicate": {"label_column": "id"},
    "citation": {"facets": ["source_id"]},
    "qualifier": {"facets": ["name"]},
    "correction": {"facets": ["source_id"]},
    "source_exclusion": {"facets": ["source_id", "kind"]},
    "sentence": {"facets": ["source_id", "status"]},
    "fact_country": {"facets": ["country_id"]},
    "fact_view": {"sort": "date_start"},
}

# Predicates drawn on the timeline page: events rather than standing states.
TIMELINE_PREDICATES = [
    "visited",
    "met",
    "held_talks_with",
    "held_press_conference_with",
    "agreed_with",
    "pledged_to",
    "committed_to",
    "provides_aid_to",
    "delivered_to",
    "signed",
    "took_effect",
    "exchanged_documents_with",
    "diplomatic_relations_with",
    "partnership_with",
    "anniversary",
]
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

# fact_view's columns (factdb/reader_tables.py makes it) and the column of the model each is read
# from, whose description it takes: a name in place of an entity id is described by the id's column.
_FACT_VIEW_COLUMNS: dict[str, tuple[type[SQLModel], str]] = {
    "fact_id": (tables.FactTable, "id"),
    "statement": (tables.FactTable, "statement"),
    "subject": (tables.FactTable, "subject_id"),
    "predicate": (tables.FactTable, "predicate_id"),
    "object": (tables.FactTable, "object_id"),
    "value": (tables.FactTable, "amount"),
    "unit": (tables.FactTable, "unit"),
    "approximately": (tables.FactTable, "approximately"),
    "text": (tables.FactTable, "text"),
    "date": (tables.FactTable, "date"),
    "date_start": (tables.FactTable, "date_start"),
    "date_end": (tables.FactTable, "date_end"),
    "date_reasoning": (tables.FactTable, "date_reasoning"),
    "place": (tables.FactTable, "place_id"),
    "modality": (tables.FactTable, "modality"),
    "attributed_to": (tables.FactTable, "attributed_to_id"),
    "source_count": (tables.FactTable, "source_count"),
    "source_id": (tables.CitationTable, "source_id"),
    "quote": (tables.CitationTable, "quote"),
    "correction": (tables.FactTable, "correction"),
    "note": (tables.FactTable, "note"),
    "rank": (tables.FactTable, "rank"),
}

VIEW_DESCRIPTIONS = {
    "fact_view": {
        "description": "One row per citation of each fact, with names instead of ids: the place to start reading. "
        "(Computed from the other tables when the database is built.)",
        "columns": {
            name: model.model_fields[column].description or "" for name, (model, column) in _FACT_VIEW_COLUMNS.items()
        },
    }
}


def _table_metadata(table: type[SQLModel]) -> dict[str, Any]:
    columns = {name: field.description or "" for name, field in table.model_fields.items()}
    return {"description": (table.__doc__ or "").strip(), "columns": columns}


def metadata() -> dict[str, Any]:
    """Datasette metadata: the site, every table and view with its columns, the queries and pages."""
    described = {table.__tablename__: _table_metadata(table) for table in tables.ALL_TABLES}  # type: ignore[attr-defined]
    described |= VIEW_DESCRIPTIONS
    for name, options in TABLE_OPTIONS.items():
        described[name] = {**described[name], **options}
    return {
        **SITE,
        "databases": {DATABASE_NAME: {"tables": described, "queries": CANNED_QUERIES}},
        "plugins": {"factdb-pages": {"timeline_predicates": TIMELINE_PREDICATES, "palette": PALETTE}},
    }


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
    files[PROJECT / "docs" / "vocabulary.md"] = glossary.document()
    return files


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def serve_command(database: Path, host: str, port: int) -> list[str]:
    """The production server: Datasette on the immutable file, with an inspect file and limits,
    in WORKERS processes (factdb/serving.py), the options being those of `datasette serve`.

    Writes the inspect file (precomputed table counts, so pages never count rows
    of an immutable file again) beside the database first.
    """
    inspect_file = database.with_name(database.stem + "-inspect.json")
    subprocess.run(
        [sys.executable, "-m", "datasette", "inspect", str(database), "--inspect-file", str(inspect_file)], check=True
    )
    return [
        # -P: the script's folder (factdb/) is not put first on the import path, where its
        # modules would hide packages of the same name (coverage).
        *(sys.executable, "-P", str(PROJECT / "factdb" / "serving.py"), str(database)),
        *("--inspect-file", str(inspect_file), "--metadata", str(PROJECT / "metadata.json")),
        *("--plugins-dir", str(PROJECT / "plugins"), "--template-dir", str(PROJECT / "templates")),
        *("--host", host, "--port", str(port), "--workers", str(WORKERS)),
        *SERVE_SETTINGS,
    ]


def unusable_port(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (another server holds it), or None.

    Asked before the build: a server already there may be reading the database the build
    would replace. Bound as uvicorn binds (SO_REUSEADDR), so that connections of a server
    stopped a moment ago do not count, while one listening there does.
    """
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return f"port {port} on {host} is already in use by another server"
        return error.strerror or str(error)
    return None


def serve(database: Path, host: str, port: int) -> NoReturn:
    """Serve the database read-only and immutable with Datasette, in place of this process.

    The process becomes the server (exec) rather than waiting on it as a child: whatever stops
    `build.py serve` (Ctrl-C, or SIGTERM from a supervisor or `kill`) then stops the server
    itself. A waiting parent died of SIGTERM and left the server running on its port.
    """
    command = serve_command(database, host, port)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)


# Rendering a page is Python work under one lock per process: one process per core of the
# 2-core machine the benchmarks run on.
WORKERS = 2

# Limits that keep one slow query from stalling the site for everyone.
SERVE_SETTINGS = [
    "--setting",
    "sql_time_limit_ms",
    "2000",
    "--setting",
    "max_returned_rows",
    str(MAX_RETURNED_ROWS),
    "--setting",
    "facet_time_limit_ms",
    "500",
    # Suggesting facets runs a query per column on every table page: too slow for a million rows.
    "--setting",
    "suggest_facets",
    "off",
    # Rendering the cells is most of a table page's time: 50 rows (of 26 columns for fact) cost
    # about 35 ms less than Datasette's 100, on every table, facet and search page.
    "--setting",
    "default_page_size",
    "50",
    # Queries run in the thread that renders, not in a pool of threads: every page's work is
    # Python (rendering) plus short queries on an immutable file, so each request runs to its end
    # once started and requests are served in turn. With a pool, each of a table page's queries
    # sent it to the back of the queue behind every other page's rendering: under 20 readers the
    # table, facet and search pages took 10-15 times their own cost, canned queries 5 times. The
    # cost: a query running into sql_time_limit_ms holds up its process (the other one answers).
    "--setting",
    "num_sql_threads",
    "0",
]
