"""plugins/private_patches.py: the methods of Datasette and asyncio it replaces are replaced on the
versions it knows, and left alone, with a warning saying so, on any other (the site still works)."""

from __future__ import annotations

import asyncio
import asyncio.selector_events
import logging
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

from conftest import PROJECT
from factdb import serving


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "small.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE thing (id TEXT PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO thing VALUES ('a', 'Alpha')")
    connection.close()
    return path


def started(database: Path) -> tuple[Datasette, ModuleType]:
    """A Datasette with the project's plugins on an immutable file, started, and the plugin module
    it loaded (Datasette registers the plugins directory's modules once per process)."""
    datasette = Datasette(immutables=[str(database)], plugins_dir=str(PROJECT / "plugins"))
    return datasette, pm.get_plugin("private_patches.py")


def test_on_the_known_datasette_the_schema_answers_are_kept(database: Path, caplog) -> None:
    datasette, patches = started(database)
    assert patches.DATASETTE_VERSION.startswith(patches.KNOWN_DATASETTE)  # the pinned version
    db = datasette.get_database("small")
    methods = (*patches._SCHEMA_METHODS, "execute")
    before = {name: getattr(db, name) for name in methods}
    refresh = datasette.refresh_schemas
    with caplog.at_level(logging.WARNING, logger=patches.LOG.name):
        asyncio.run(datasette.invoke_startup())
    # Each replaced by a wrapper of Datasette's own (functools.wraps keeps it as __wrapped__).
    assert {name: getattr(db, name).__wrapped__ for name in methods} == before
    assert datasette.refresh_schemas.__wrapped__ == refresh
    assert caplog.records == []
    response = asyncio.run(datasette.client.get("/small/thing.json?_shape=array"))
    assert (response.status_code, response.json()) == (200, [{"id": "a", "name": "Alpha"}])


def test_on_an_unknown_datasette_nothing_is_replaced_and_a_warning_says_so(database: Path, monkeypatch, caplog) -> None:
    datasette, patches = started(database)
    monkeypatch.setattr(patches, "DATASETTE_VERSION", "0.66.0")
    db = datasette.get_database("small")
    before = {name: getattr(db, name) for name in (*patches._SCHEMA_METHODS, "execute")}
    with caplog.at_level(logging.WARNING, logger=patches.LOG.name):
        asyncio.run(datasette.invoke_startup())
    assert {name: getattr(db, name) for name in before} == before
    assert "refresh_schemas" not in vars(datasette)  # still Datasette's own method
    [warning] = [record.getMessage() for record in caplog.records]
    assert "Datasette 0.66.0 is not a version this site knows (0.65.x)" in warning
    assert "schema answers are not kept" in warning and "switched off" in warning
    response = asyncio.run(datasette.client.get("/small/thing.json?_shape=array"))
    assert (response.status_code, response.json()) == (200, [{"id": "a", "name": "Alpha"}])


@pytest.fixture
def patches(monkeypatch) -> ModuleType:
    """The module as the server loads it, with asyncio's method put back after the test."""
    loop_class = asyncio.selector_events.BaseSelectorEventLoop
    monkeypatch.setattr(loop_class, "_accept_connection", loop_class._accept_connection)
    return serving.private_patches()


def test_on_a_known_python_each_turn_accepts_one_connection(patches: ModuleType, caplog) -> None:
    loop_class = asyncio.selector_events.BaseSelectorEventLoop
    original = loop_class._accept_connection
    assert patches.PYTHON_VERSION in patches.KNOWN_PYTHON  # the Python these tests run on
    with caplog.at_level(logging.WARNING, logger=patches.LOG.name):
        assert patches.accept_one_connection_a_turn()
    assert loop_class._accept_connection is not original
    assert loop_class._accept_connection.__name__ == "accept_one"
    assert caplog.records == []


def test_on_an_unknown_python_asyncio_is_left_alone_and_a_warning_says_so(
    patches: ModuleType, monkeypatch, caplog
) -> None:
    loop_class = asyncio.selector_events.BaseSelectorEventLoop
    original = loop_class._accept_connection
    monkeypatch.setattr(patches, "PYTHON_VERSION", (3, 14))
    with caplog.at_level(logging.WARNING, logger=patches.LOG.name):
        assert not patches.accept_one_connection_a_turn()
    assert loop_class._accept_connection is original
    [warning] = [record.getMessage() for record in caplog.records]
    assert "Python 3.14 is not a version this server knows (3.11 to 3.13)" in warning
    assert "switched off" in warning
