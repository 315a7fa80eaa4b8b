"""New entities without guesswork: what to add for an unknown id, suggestions only when close,
ASCII slugs from names with diacritics, and the ASCII form of such a name published as an alias."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from pathlib import Path

import pytest

from conftest import run_build, write_json
from factdb.naming import slug_of
from factdb.validation import did_you_mean

SOURCE = "tp-2017-phuc-visits-australia"
QUOTE = "Prime Minister Nguyen Xuan Phuc visited Australia in 2017."
ENTITIES = [
    {"id": "country:vietnam", "name": "Vietnam"},
    {"id": "country:russia", "name": "Russia"},
    {"id": "country:ukraine", "name": "Ukraine"},
    {"id": "country:laos", "name": "Laos"},
    {"id": "person:tran-dai-quang", "name": "Tran Dai Quang", "country": "country:vietnam"},
    {"id": "person:nguyen-tan-dung", "name": "Nguyen Tan Dung", "country": "country:vietnam"},
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A corpus of its own: one archived article (through `build.py new`) and a few entities."""
    article = tmp_path / "article.txt"
    article.write_text(f"{QUOTE}\n\nHe met Prime Minister Malcolm Turnbull.\n", encoding="utf-8")
    root = tmp_path / "corpus"
    root.mkdir()
    created = run_build(
        "new", article, "--title", "Phuc visits Australia", "--publisher", "Test Press", "--date", "2017-03",
        "--root", root,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    write_json(root / "facts" / "entities" / "test.json", {"entities": ENTITIES})
    return root


def visit(subject: str, object_: str) -> dict[str, object]:
    return {
        "id": "phuc-visited-australia-2017",
        "subject": subject,
        "predicate": "visited",
        "object": object_,
        "date": "2017",
        "citations": [{"source": SOURCE, "quote": QUOTE}],
    }


def check(root: Path, *facts: dict[str, object]) -> list[str]:
    write_json(root / "facts" / f"{SOURCE}.json", {"facts": list(facts)})
    return run_build("check", "--root", root).lines


def message_about(lines: list[str], entity_id: str) -> str:
    found = [line for line in lines if f"unknown entity {entity_id!r}" in line]
    assert len(found) == 1, "\n".join(lines)
    return found[0]


def test_an_unknown_entity_without_a_close_one_gets_the_entry_to_add_and_its_file(root: Path) -> None:
    lines = check(root, visit("person:nguyen-xuan-phuc", "country:australia"))

    person = message_about(lines, "person:nguyen-xuan-phuc")
    country = message_about(lines, "country:australia")
    # Sharing 'nguyen' with another person, or 'country:' with Russia, is not being close.
    assert "did you mean" not in person and "did you mean" not in country
    assert person.endswith(
        "unknown entity 'person:nguyen-xuan-phuc' (entities are defined in facts/entities/); if it is new, add "
        '{"id": "person:nguyen-xuan-phuc", "name": "Nguyen Xuan Phuc", "country": "country:..."} to '
        "facts/entities/people.json (the name as usually written in English, diacritics and all; its country, "
        "or no country)"
    )
    assert 'add {"id": "country:australia", "name": "Australia"} to facts/entities/countries.json' in country


def test_the_proposed_entries_pasted_in_make_the_entities_known(root: Path) -> None:
    lines = check(root, visit("person:nguyen-xuan-phuc", "country:australia"))
    entries = [json.loads(re.search(r"add (\{.*?\}) to", line).group(1)) for line in lines if "if it is new" in line]
    assert len(entries) == 2, "\n".join(lines)
    for entry in entries:
        if "country" in entry:
            entry["country"] = "country:vietnam"
    write_json(root / "facts" / "entities" / "added.json", {"entities": entries})

    after = run_build("check", "--root", root)

    assert "unknown entity" not in after.stderr
    assert after.returncode == 0, after.stderr


def test_a_typo_is_still_suggested_its_correction_and_no_new_entry(root: Path) -> None:
    lines = check(root, visit("person:tran-dai-quangg", "country:vietnam"))

    assert message_about(lines, "person:tran-dai-quangg").endswith(
        "unknown entity 'person:tran-dai-quangg'; did you mean 'person:tran-dai-quang'? "
        "(entities are defined in facts/entities/)"
    )


def test_an_id_with_diacritics_is_refused_with_its_ascii_slug(root: Path) -> None:
    lines = check(root, visit("person:nguyễn-xuân-phúc", "country:vietnam"))

    assert any(
        "facts[0].subject: 'person:nguyễn-xuân-phúc' contains U+1EC5" in line
        and line.endswith("; write 'person:nguyen-xuan-phuc'")
        for line in lines
    ), "\n".join(lines)


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("country:australia", ""),
        ("person:nguyen-xuan-phuc", ""),
        ("person:tran-dai-quangg", "; did you mean 'person:tran-dai-quang'?"),
        ("country:ukriane", "; did you mean 'country:ukraine'?"),
        ("person:quang", "; did you mean 'person:tran-dai-quang'?"),  # a part of the name
        ("person:vietnam", "; did you mean 'country:vietnam'?"),  # the right slug, the wrong type
        ("visted", ""),  # not an entity id: nothing of the entities' types is like it
    ],
)
def test_did_you_mean_offers_only_close_entities(wanted: str, expected: str) -> None:
    assert did_you_mean(wanted, [entity["id"] for entity in ENTITIES]) == expected


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Nguyễn Phú Trọng", "nguyen-phu-trong"),
        ("Đà Nẵng", "da-nang"),
        ("Hồ Chí Minh City", "ho-chi-minh-city"),
        ("Washington, D.C.", "washington-d-c"),
        ("Москва", None),  # another script: no ASCII spelling to guess
    ],
)
def test_a_name_gives_its_ascii_slug(name: str, slug: str | None) -> None:
    assert slug_of(name) == slug


def test_a_name_with_diacritics_is_found_by_its_ascii_form(root: Path) -> None:
    write_json(
        root / "facts" / "entities" / "test.json",
        {
            "entities": [
                *ENTITIES,
                {"id": "person:nguyen-xuan-phuc", "name": "Nguyễn Xuân Phúc", "country": "country:vietnam"},
                {
                    "id": "place:da-nang",
                    "name": "Đà Nẵng",
                    "aliases": [{"name": "Da Nang", "kind": "other_spelling"}],
                },
            ]
        },
    )
    output = root / "facts.db"

    result = run_build("build", "--root", root, "--output", output)

    assert result.returncode == 0, result.stderr
    with contextlib.closing(sqlite3.connect(output)) as connection:
        aliases = connection.execute("SELECT entity_id, name, kind FROM alias ORDER BY entity_id, id").fetchall()
        column = connection.execute("SELECT aliases FROM entity WHERE id = 'person:nguyen-xuan-phuc'").fetchone()
        searched = connection.execute(
            "SELECT entity.id FROM entity JOIN entity_fts ON entity.rowid = entity_fts.rowid "
            "WHERE entity_fts MATCH 'Nguyen Xuan Phuc'"
        ).fetchall()
    assert [alias for alias in aliases if alias[0] in ("person:nguyen-xuan-phuc", "place:da-nang")] == [
        ("person:nguyen-xuan-phuc", "Nguyen Xuan Phuc", "ascii_form"),
        ("person:nguyen-xuan-phuc", "N. Phúc", "initial_and_last_name"),  # derived too, by a kind of its own
        ("place:da-nang", "Da Nang", "other_spelling"),  # written already: not derived again
    ]
    assert column == ("Nguyen Xuan Phuc\nN. Phúc",)
    assert searched == [("person:nguyen-xuan-phuc",)]
