"""Full-text search finds Vietnamese names with or without their diacritics, Đ included.

The site is the grounding fixture with tests/fixtures/vietnamese-names laid over it (an article
naming Nguyễn Phú Trọng, Đà Nẵng and Hội An), built and served by the production command; the
searches go through Datasette's own ?_search=, as a reader's would. Datasette ignores ?_search=
on a table without a full-text index, so every search is paired with a nonsense word that must
find nothing: the proof that the search ran.
"""

from __future__ import annotations

import json
import shutil
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import FIXTURES, build, served

NONSENSE = "Qxzvwj"

# The same words with and without their marks, and a row each must find.
PAIRS = [
    ("Nguyễn", "Nguyen"),
    ("Trọng", "Trong"),
    ("Đà Nẵng", "Da Nang"),
    ("Hội An", "Hoi An"),
    ("Nguyễn Phú Trọng", "Nguyen Phu Trong"),
]
FOUND = {
    "entity": {
        "Nguyễn": "person:nguyen-phu-trong",
        "Trọng": "person:nguyen-phu-trong",
        "Đà Nẵng": "place:da-nang",
        "Hội An": "place:hoi-an",
        "Nguyễn Phú Trọng": "person:nguyen-phu-trong",
    },
    "fact": {
        "Nguyễn": "trong-kishida-met-da-nang",
        "Trọng": "trong-visited-hoi-an",
        "Đà Nẵng": "trong-kishida-met-da-nang",
        "Hội An": "trong-visited-hoi-an",
        "Nguyễn Phú Trọng": "trong-visited-hoi-an",  # the statement names him in full
    },
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search") / "project"
    shutil.copytree(FIXTURES / "grounding", root)
    shutil.copytree(FIXTURES / "vietnamese-names", root, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="module")
def site(project: Path) -> Iterator[str]:
    with served(build(project, project / "facts.db")) as base:
        yield base


def found(site: str, table: str, words: str) -> list[str]:
    """The ids of the rows a search of the table finds, in order."""
    query = urllib.parse.urlencode({"_search": words, "_shape": "array", "_col": "id", "_size": "max"})
    with urllib.request.urlopen(f"{site}/facts/{table}.json?{query}") as response:
        return [row["id"] for row in json.load(response)]


@pytest.mark.parametrize("table", ["entity", "fact"])
@pytest.mark.parametrize(("marked", "unmarked"), PAIRS)
def test_a_search_finds_the_same_rows_with_or_without_diacritics(
    site: str, table: str, marked: str, unmarked: str
) -> None:
    with_marks = found(site, table, marked)
    assert FOUND[table][marked] in with_marks
    assert found(site, table, unmarked) == with_marks
    assert found(site, table, f"{unmarked} {NONSENSE}") == []  # the search ran: a nonsense word finds nothing


def test_a_name_is_stored_with_its_diacritics_and_its_ascii_form_as_an_alias(site: str) -> None:
    with urllib.request.urlopen(f"{site}/facts/entity/person:nguyen-phu-trong.json?_shape=array") as response:
        (row,) = json.load(response)
    assert row["name"] == "Nguyễn Phú Trọng"
    assert "Nguyen Phu Trong" in row["aliases"].splitlines()
