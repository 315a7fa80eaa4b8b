"""`build.py draft`: proposed facts, each marked for review, that pass check once reviewed.

Run on the grounding fixture (a made-up article under tests/fixtures/grounding), so the
tests hold whatever the project's own data becomes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import PROJECT, run_build, write_json
from factdb.drafting import draft_date
from schema.dates import DateBounds

FIXTURE = PROJECT / "tests" / "fixtures" / "grounding"
SOURCE = "test-hanoi-talks"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def facts_of(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["facts"]


def test_drafts_are_marked_refused_until_reviewed_and_valid_once_reviewed(project: Path) -> None:
    (project / "facts" / f"{SOURCE}.json").unlink()
    result = run_build("draft", SOURCE, "--root", project)
    assert result.returncode == 0, result.stderr
    drafted = facts_of(project / "facts" / f"{SOURCE}.json")
    assert drafted and all(fact["draft"] for fact in drafted)
    # What a contributor reviews is what the article says: its quotes, its entities.
    text = (project / "sources" / f"{SOURCE}.txt").read_text(encoding="utf-8")
    assert all(citation["quote"] in text for fact in drafted for citation in fact["citations"])
    assert {("held_talks_with", "person:pham-minh-chinh", "person:fumio-kishida")} <= {
        (fact["predicate"], fact["subject"], fact.get("object")) for fact in drafted
    }
    refused = run_build("check", "--root", project)
    assert refused.returncode == 1
    drafts_refused = [line for line in refused.lines if "is a draft proposed" in line and "entities[" not in line]
    assert len(drafts_refused) == len(drafted)
    for fact in drafted:  # the contributor's review, done blindly: delete the markers
        del fact["draft"]
    for proposals in (project / "facts" / "entities").glob("draft-*.json"):
        proposals.unlink()  # and the names proposed as new entities, which no drafted fact uses
    write_json(project / "facts" / f"{SOURCE}.json", {"$schema": "../schema/facts.schema.json", "facts": drafted})
    accepted = run_build("check", "--root", project)
    assert accepted.returncode == 0, accepted.stderr


def test_a_pair_named_before_is_who_the_two_leaders_are(project: Path) -> None:
    (project / "facts" / f"{SOURCE}.json").unlink()
    assert run_build("draft", SOURCE, "--root", project).returncode == 0
    agreed = [
        fact
        for fact in facts_of(project / "facts" / f"{SOURCE}.json")
        if fact["predicate"] == "agreed_with" and fact["citations"][0]["quote"].startswith("The two leaders")
    ]
    assert [(fact["subject"], fact["object"]) for fact in agreed] == [
        ("person:pham-minh-chinh", "person:fumio-kishida")
    ]
    referents = agreed[0]["citations"][0]["referents"]
    assert {referent["entity"] for referent in referents} == {"person:pham-minh-chinh", "person:fumio-kishida"}
    assert all(referent["words"] == "The two leaders" for referent in referents)


def test_drafting_adds_to_the_facts_already_there_without_changing_them(project: Path) -> None:
    path = project / "facts" / f"{SOURCE}.json"
    before = facts_of(path)
    result = run_build("draft", SOURCE, "--root", project)
    assert result.returncode == 0, result.stderr
    after = facts_of(path)
    kept = [fact for fact in after if "draft" not in fact]
    assert sorted(kept, key=lambda fact: fact["id"]) == sorted(before, key=lambda fact: fact["id"])
    said = {(fact["predicate"], fact["subject"], fact.get("object")) for fact in before}
    assert not [
        fact for fact in after if "draft" in fact and (fact["predicate"], fact["subject"], fact.get("object")) in said
    ]
    again = run_build("draft", SOURCE, "--root", project)  # a second run proposes nothing new
    assert again.returncode == 0 and facts_of(path) == after


def test_an_unknown_source_is_a_usage_error(project: Path) -> None:
    result = run_build("draft", "no-such-source", "--root", project)
    assert result.returncode == 2 and "unknown source 'no-such-source'" in result.stderr and SOURCE in result.stderr


@pytest.mark.parametrize(
    ("sentence", "published", "edtf", "reasoning"),
    [
        ("held talks in Hanoi on Sunday", ("2022-05-01", "2022-05-01"), "2022-05-01", "the Sunday on or before it"),
        ("since his visit last November", ("2015-09-13", "2015-09-13"), "2014-11", "2014"),
        ("the talks in July", ("2018-09-05", "2018-09-05"), "2018-07", "2018"),
        ("a visit in November", ("2015-09-13", "2015-09-13"), "2014-11", "2014"),  # not yet come: the last one
        ("trade this year", ("2022-05-01", "2022-05-01"), "2022", "2022"),
        ("on Thursday", ("2018-01-01", "2018-12-31"), None, None),  # a weekday needs a publication day
        ("from September 15 to 18, 2015", None, "2015-09-15/2015-09-18", None),  # stated in full
    ],
)
def test_dates_are_resolved_against_the_publication_date(
    sentence: str, published: tuple[str, str] | None, edtf: str | None, reasoning: str | None
) -> None:
    found = draft_date(sentence, DateBounds(*published) if published else None)
    if edtf is None:
        assert found is None
        return
    assert found is not None and found.edtf == edtf
    assert (found.reasoning is None) == (reasoning is None)
    if reasoning:
        assert reasoning in (found.reasoning or "")


def test_names_the_registry_lacks_are_proposed_as_draft_entities(project: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(
        "Ministers meet in Hanoi\nForeign Minister Bùi Thanh Sơn met Ambassador Yamada Takio in Hanoi on Monday.\n"
        "Prime Minister Phạm Minh Chính later met Australian Prime Minister Anthony Albanese.\n"
        "The Asian Development Bank approved a loan to Vietnam.\n",
        encoding="utf-8",
    )
    made = run_build("new", article, "--title", "Ministers meet in Hanoi", "--date", "2022-06-06", "--root", project)
    assert made.returncode == 0, made.stderr
    source_id = next(
        Path(line.split()[-1]).stem for line in made.stdout.splitlines() if line.startswith("wrote sources/")
    )
    drafted = run_build("draft", source_id, "--root", project)
    assert drafted.returncode == 0, drafted.stderr
    path = project / "facts" / "entities" / f"draft-{source_id}.json"
    proposed = {entity["id"]: entity for entity in json.loads(path.read_text(encoding="utf-8"))["entities"]}
    minister = proposed["person:bui-thanh-son"]  # an ASCII slug; the name in its own script
    assert (
        minister["name"] == "Bùi Thanh Sơn"
        and {"name": "Bui Thanh Son", "kind": "other_spelling"} in minister["aliases"]
    )
    assert "organization:asian-development-bank" in proposed and "person:yamada-takio" in proposed
    assert "person:anthony-albanese" in proposed  # after an office the registry names ("Prime Minister")
    assert not [entity_id for entity_id in proposed if entity_id.endswith(":hanoi")]  # known already
    assert all(entity["draft"] for entity in proposed.values())
    checked = run_build("check", "--root", project)
    assert checked.returncode == 1
    assert any(
        f"draft-{source_id}.json" in line and "entity 'person:bui-thanh-son' is a draft" in line
        for line in checked.lines
    ), checked.stderr


@pytest.mark.parametrize(
    ("title", "date", "expected"),
    [
        (
            "Vietnam looks to Japan as a counterweight to China",
            "2015-09",
            "2015-vietnam-looks-japan-counterweight-china",
        ),
        ("Đà Nẵng hosts the APEC summit", "2017", "2017-da-nang-hosts-apec-summit"),
    ],
)
def test_new_derives_a_readable_id(project: Path, tmp_path: Path, title: str, date: str, expected: str) -> None:
    article = tmp_path / "article.txt"
    article.write_text(f"{title}\nSome text of the article.\n", encoding="utf-8")
    made = run_build("new", article, "--title", title, "--date", date, "--root", project)
    assert made.returncode == 0, made.stderr
    assert (project / "sources" / f"{expected}.json").exists(), made.stdout
