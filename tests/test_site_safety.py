"""The published site treats data as text: facts full of markup and script are stored verbatim
and shown escaped; nothing runs in the reader's browser; the database cannot be written; a slow
query is stopped without stalling the server. Real server, real Chromium."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import EXAMPLE_SOURCE, browser_page, frozen_project, run_build, served, write_json

SCRIPT = "<script>alert('fact')</script>"
IMAGE = "<img src=x onerror=alert('img')>"
LINK = "<a href=\"javascript:alert('link')\">click</a>"
ARTICLE = f"Hostile article {SCRIPT}\nPresident Quang met {IMAGE} in {LINK}.\n"
PAGES = [
    "/",
    "/facts/fact",
    "/facts/fact/hostile-meeting",
    "/facts/fact_view",
    "/facts/entity",
    "/facts/entity?_search=script",
    "/facts/source",
    "/facts/entity_facts?name=" + urllib.parse.quote(SCRIPT),
    "/-/timeline",
    "/-/coverage",
    "/-/sources",
    "/-/sources/hostile-article",
    "/-/entities/person:hostile",
    "/-/network",
]


@pytest.fixture(scope="module")
def hostile_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen example project plus a source, an entity and a fact carrying markup in every
    text field."""
    root = frozen_project(tmp_path_factory.mktemp("hostile") / "project")
    article = root / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    made = run_build("new", article, "--root", root, "--id", "hostile-article", "--title", SCRIPT, "--date", "2018")
    assert made.returncode == 0, made.stderr
    write_json(
        root / "facts" / "entities" / "hostile.json",
        {"entities": [{"id": "person:hostile", "name": IMAGE, "description": LINK, "aliases": []}]},
    )
    write_json(
        root / "facts" / "hostile-article.json",
        {
            "facts": [
                {
                    "id": "hostile-meeting",
                    "subject": "person:tran-dai-quang",
                    "predicate": "met",
                    "object": "person:hostile",
                    "date": "2018",
                    "date_reasoning": SCRIPT,
                    "note": LINK + " ' OR 1=1; DROP TABLE fact; --",
                    "qualifiers": {"topic": IMAGE},
                    "citations": [{"source": "hostile-article", "quote": f"President Quang met {IMAGE} in {LINK}."}],
                }
            ]
        },
    )
    output = root / "facts.db"
    built = run_build("build", "--root", root, "--output", output)
    assert built.returncode == 0, built.stderr
    return output


@pytest.fixture(scope="module")
def hostile_server(hostile_database: Path) -> Iterator[str]:
    with served(hostile_database) as base:
        yield base


def test_markup_is_stored_verbatim(hostile_database: Path) -> None:
    with sqlite3.connect(hostile_database) as connection:
        fact = connection.execute("SELECT date_reasoning, note FROM fact WHERE id = 'hostile-meeting'").fetchone()
        name = connection.execute("SELECT name FROM entity WHERE id = 'person:hostile'").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert fact == (SCRIPT, LINK + " ' OR 1=1; DROP TABLE fact; --")
    assert name == IMAGE
    assert "fact" in tables


@pytest.mark.parametrize("path", PAGES)
def test_no_script_from_the_data_runs_and_no_javascript_link_exists(
    chromium: Browser, hostile_server: str, path: str
) -> None:
    dialogs: list[str] = []
    errors: list[str] = []
    with browser_page(chromium, hostile_server) as page:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        response = page.goto(path)
        assert response is not None and response.status == 200
        page.wait_for_load_state("networkidle")
        assert dialogs == []
        assert errors == []
        assert page.locator("a[href^='javascript:' i]").count() == 0
        assert page.locator("img[onerror]").count() == 0
        assert page.evaluate("[...document.scripts].filter(s => s.text.includes('alert(')).length") == 0
    if path in {"/facts/fact/hostile-meeting", "/-/sources/hostile-article"}:
        with urllib.request.urlopen(hostile_server + path) as raw:
            assert "&lt;script&gt;alert(" in raw.read().decode()  # shown, as text


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_the_database_is_immutable_and_cannot_be_written(hostile_server: str) -> None:
    status, databases = get_json(hostile_server + "/-/databases.json")
    assert status == 200 and [(d["name"], d["is_mutable"]) for d in databases] == [("facts", False)]
    for statement in ("DELETE FROM fact", "INSERT INTO fact (id) VALUES ('x')", "DROP TABLE fact"):
        status, body = get_json(hostile_server + "/facts.json?sql=" + urllib.parse.quote(statement))
        assert status == 400 and "Statement must be a SELECT" in body["error"]
    status, plugins = get_json(hostile_server + "/-/plugins.json")
    # The project's own plugins, none of which writes.
    assert sorted(plugin["name"] for plugin in plugins) == [
        "build_record.py",
        "entity_pages.py",
        "fact_evidence.py",
        "factdb_pages.py",
        "immutable_reads.py",
        "private_patches.py",
        "query_shortcuts.py",
        "row_rendering.py",
    ]


def test_a_slow_query_is_stopped_and_the_server_keeps_answering(hostile_server: str) -> None:
    endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
    answers: list[tuple[int, dict, float]] = []

    def ask_endless() -> None:
        started = time.monotonic()
        status, body = get_json(hostile_server + "/facts.json?sql=" + urllib.parse.quote(endless))
        answers.append((status, body, time.monotonic() - started))

    slow = threading.Thread(target=ask_endless)
    slow.start()
    time.sleep(0.5)  # let the endless query reach a server process
    status, _ = get_json(hostile_server + "/facts/fact.json?_size=1")
    assert status == 200
    assert slow.is_alive()  # answered while the endless query still ran (in the other process)
    slow.join()
    [(status, body, elapsed)] = answers
    assert status == 400 and "SQL query took too long" in body["error"]
    assert elapsed < 10  # stopped by sql_time_limit_ms (2 s), not left running
    status, _ = get_json(hostile_server + "/facts/fact.json?_size=1")
    assert status == 200


def test_the_built_example_source_is_untouched(hostile_database: Path) -> None:
    with sqlite3.connect(hostile_database) as connection:
        assert connection.execute("SELECT count(*) FROM source WHERE id = ?", (EXAMPLE_SOURCE,)).fetchone() == (1,)
