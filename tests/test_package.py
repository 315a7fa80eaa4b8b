"""`build.py package DIR`: every table as CSV, described by a Frictionless datapackage.json
that `frictionless validate` accepts (types, keys, foreign keys), on a fixture's database."""

from __future__ import annotations

import contextlib
import csv
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, run_build
from factdb import tables

FIXTURE = PROJECT / "tests" / "fixtures" / "grounding"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fixture") / "project"
    shutil.copytree(FIXTURE, root)
    output = root / "dist" / "facts.db"
    assert run_build("build", "--root", root, "--output", output).returncode == 0
    return output


def validate(descriptor: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(descriptor)], capture_output=True, text=True
    )


def test_the_package_validates_and_holds_every_table(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    result = run_build("package", folder, "--database", database)
    assert result.returncode == 0, result.stderr

    checked = validate(folder / "datapackage.json")
    assert checked.returncode == 0, checked.stdout

    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    with contextlib.closing(sqlite3.connect(database)) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        # Every table but the full-text indexes (fact_fts and the tables it keeps).
        assert set(resources) == {name for name in names if "_fts" not in name}
        for name, resource in resources.items():
            with (folder / resource["path"]).open(encoding="utf-8", newline="") as file:
                assert (
                    sum(1 for _ in csv.reader(file)) - 1
                    == connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                )
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [*(f"{n}.csv" for n in resources), "datapackage.json"]
    )

    fact = resources["fact"]
    assert fact["description"] == tables.FactTable.__doc__
    fields = {field["name"]: field for field in fact["schema"]["fields"]}
    assert fields["statement"]["description"] == tables.FactTable.model_fields["statement"].description
    assert fields["amount"]["type"] == "number" and fields["source_count"]["type"] == "integer"
    assert fields["approximately"]["type"] == "boolean"
    assert fact["schema"]["primaryKey"] == ["id"]
    assert {"fields": ["subject_id"], "reference": {"resource": "entity", "fields": ["id"]}} in fact["schema"][
        "foreignKeys"
    ]
    assert resources["fact_view"]["description"].startswith("One row per citation of each fact")
    assert [licence["name"] for licence in descriptor["licenses"]] == ["CC-BY-4.0", "MIT"]
    assert descriptor["sources"] == [{"title": "Test Wire: Vietnam, Japan agree to deepen ties"}]


def test_a_broken_reference_fails_validation(database: Path, tmp_path: Path) -> None:
    """The foreign keys are checked, not only declared: a citation of a fact that is not there."""
    folder = tmp_path / "package"
    assert run_build("package", folder, "--database", database).returncode == 0
    citations = (folder / "citation.csv").read_text(encoding="utf-8").splitlines()
    first = next(csv.reader([citations[1]]))
    first[1] = "no-such-fact"
    with (folder / "citation.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([next(csv.reader([citations[0]])), first])

    checked = validate(folder / "datapackage.json")

    assert checked.returncode != 0
    assert "foreign-key" in checked.stdout


def test_the_package_goes_into_a_new_folder_only(database: Path, tmp_path: Path) -> None:
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine", encoding="utf-8")
    result = run_build("package", occupied, "--database", database)
    assert result.returncode == 2
    assert result.lines == [f"build.py: error: {occupied} is not an empty folder: export into a new or empty one"]
    assert sorted(path.name for path in occupied.iterdir()) == ["keep.txt"]
