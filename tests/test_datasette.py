"""Datasette itself (its test client) serving the frozen example project, built, with metadata.json."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette

from conftest import PROJECT


@pytest.fixture(scope="module")
def datasette(built_database: Path) -> Datasette:
    metadata = json.loads((PROJECT / "metadata.json").read_text(encoding="utf-8"))
    return Datasette(immutables=[str(built_database)], metadata=metadata)


def get(datasette: Datasette, path: str):
    return asyncio.run(datasette.client.get(path))


def test_home_page_shows_the_title_and_the_database(datasette: Datasette) -> None:
    response = get(datasette, "/")
    assert response.status_code == 200
    assert "Vietnam&#39;s foreign relations" in response.text or "Vietnam's foreign relations" in response.text
    assert 'href="/facts"' in response.text


def test_database_page_lists_every_table_and_the_view(datasette: Datasette) -> None:
    response = get(datasette, "/facts.json")
    assert response.status_code == 200
    names = {table["name"] for table in response.json()["tables"]} | {v["name"] for v in response.json()["views"]}
    assert {"fact", "citation", "entity", "alias", "source", "predicate", "coverage", "fact_view"} <= names


def test_fact_table_and_fact_view_serve_the_built_rows(datasette: Datasette, built_database: Path) -> None:
    with sqlite3.connect(built_database) as connection:
        facts = connection.execute("SELECT count(*) FROM fact").fetchone()[0]
        citations = connection.execute("SELECT count(*) FROM citation").fetchone()[0]
    table = get(datasette, "/facts/fact.json?_size=max&_shape=objects").json()
    assert table["filtered_table_rows_count"] == facts
    view = get(datasette, "/facts/fact_view.json?_shape=array&_size=max").json()
    assert len(view) == citations
    row = next(r for r in view if r["fact_id"] == "quang-abe-joint-press-conference-2018")
    assert row["subject"] == "Tran Dai Quang" and row["object"] == "Shinzo Abe"  # names, not ids
    assert "Shizo Abe" in row["correction"]
    html = get(datasette, "/facts/fact_view").text
    assert "One row per citation of each fact" in html  # the view's description from metadata.json


def test_every_column_of_fact_view_is_described_as_the_column_it_is_read_from(built_database: Path) -> None:
    """fact_view's descriptions are taken from the models' columns it copies (publishing.py), not
    written again: each column the build makes has one, and the same as its source column's."""
    with sqlite3.connect(built_database) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(fact_view)")]
    connection.close()
    described = json.loads((PROJECT / "metadata.json").read_text(encoding="utf-8"))["databases"]["facts"]["tables"]
    view, fact = described["fact_view"]["columns"], described["fact"]["columns"]
    assert list(view) == columns and all(view.values())
    assert view["statement"] == fact["statement"] and view["subject"] == fact["subject_id"]
    assert view["quote"] == described["citation"]["columns"]["quote"]


def test_the_database_is_served_immutable_and_read_only(datasette: Datasette) -> None:
    response = get(datasette, "/facts.json")
    assert response.json()["is_mutable"] is False if "is_mutable" in response.json() else True
    blocked = get(datasette, "/facts.json?sql=" + "delete from fact")
    assert blocked.status_code == 400
