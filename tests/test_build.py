"""The build end to end: real files in, a real SQLite file out, precise errors."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import EXAMPLE_SOURCE, PROJECT, position_of, run_build, write_json
from factdb import database

VALID_FACT = {
    "id": "test-fact",
    "subject": "person:tran-dai-quang",
    "predicate": "visited",
    "object": "country:japan",
    "date": "2018",
    "date_reasoning": "The source record dates the article to 2018.",
    "citations": [
        {
            "source": EXAMPLE_SOURCE,
            "quote": "visiting President Tran Dai Quang",
            # The quote names Quang; "visiting" stands for the country he visited, which the
            # article names in another passage (as the real fact quang-visited-japan-2018 does).
            "referents": [
                {
                    "entity": "country:japan",
                    "words": "visiting",
                    "context": "Japanese Prime Minister Shinzo Abe said Japan will continue its strong support",
                }
            ],
        }
    ],
}


def fact(**changes: object) -> dict:
    return {**VALID_FACT, **changes}


def facts_file(root: Path, name: str, facts: list[dict]) -> tuple[str, str]:
    """Write a fact file; return its path relative to root and its text."""
    path = root / "facts" / name
    return f"facts/{name}", write_json(path, {"$schema": "../schema/facts.schema.json", "facts": facts})


def first_use_of(fact_id: str, path: Path, other: str) -> str:
    """The message marking the first use of an id that another file uses again."""
    text = path.read_text(encoding="utf-8")
    index = [fact["id"] for fact in json.loads(text)["facts"]].index(fact_id)
    line, column = position_of(text, json.dumps(fact_id))
    return (
        f"facts/{path.name}:{line}:{column}: facts[{index}].id: fact id {fact_id!r} is used again in {other}: "
        "ids must be unique"
    )


def count_facts(root: Path) -> int:
    return sum(len(json.loads(p.read_text())["facts"]) for p in (root / "facts").glob("*.json"))


def test_valid_corpus_builds_a_database_with_every_fact(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.db"
    facts_file(corpus, "test.json", [fact()])  # the template fact is valid: it builds beside the real ones
    result = run_build("build", "--root", corpus, "--output", output)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(output) as connection:
        facts = connection.execute("SELECT count(*) FROM fact").fetchone()[0]
        citations = connection.execute("SELECT count(*) FROM fact_view").fetchone()[0]
        statement = connection.execute("SELECT statement FROM fact WHERE id = 'test-fact'").fetchone()[0]
    assert facts == count_facts(corpus)
    assert citations >= facts
    assert statement == "Tran Dai Quang visited Japan (2018)."


def test_the_real_project_builds_and_every_quote_has_offsets(live_database: Path) -> None:
    """A property of the live data, whatever it holds: every fact is built, every quote located."""
    with sqlite3.connect(live_database) as connection:
        facts = connection.execute("SELECT count(*) FROM fact").fetchone()[0]
        rows = connection.execute(
            'SELECT citation.quote, citation.start, citation."end", source.text '
            "FROM citation JOIN source ON source.id = citation.source_id"
        ).fetchall()
    assert facts == count_facts(PROJECT)
    for quote, start, end, text in rows:
        assert 0 <= start < end <= len(text)
        if "…" not in quote and "..." not in quote:
            # Offsets point at the quoted words (compared without quote-mark or space differences).
            assert " ".join(text[start:end].split()).replace("’", "'") == " ".join(quote.split()).replace("’", "'")


def test_every_kind_of_mistake_is_reported_precisely_in_one_run(corpus: Path) -> None:
    mistakes = [
        fact(id="unknown-entity", subject="person:tran-dai-quangg"),
        fact(id="wrong-subject-type", subject="country:vietnam"),
        fact(id="bad-date", date="2018-02-30"),
        fact(id="quote-not-in-source", citations=[{"source": EXAMPLE_SOURCE, "quote": "President Quang visited Mars"}]),
        fact(id="missing-citation", citations=[]),
        fact(id="quang-visited-japan-2018"),  # already used by the real fact file
    ]
    name, text = facts_file(corpus, "wrong.json", mistakes)  # sorts after the real file, which keeps its ids
    broken_name = "facts/broken.json"
    (corpus / broken_name).write_text('{"facts": [\n  {"id": "x",\n}\n', encoding="utf-8")

    result = run_build("check", "--root", corpus)

    def at(value: object) -> str:
        """Where the JSON value stands in the file, found independently of the build."""
        line, column = position_of(text, json.dumps(value, ensure_ascii=False))
        return f"{name}:{line}:{column}"

    # The quote does not name Vietnam either: the source's nearest naming of it is "Vietnamese", in
    # this sentence of the quote's paragraph, offered as the context of a referent to add.
    sentence = (
        "He said both sides agreed to step up cooperation in the areas that directly benefit Vietnamese people "
        "such as medical collaboration within the framework of the Asian health initiative, and cultural and "
        "sport exchanges, including Japanese language teaching programs."
    )
    source_text = (corpus / "sources" / f"{EXAMPLE_SOURCE}.txt").read_text(encoding="utf-8")
    sentence_line, _ = position_of(source_text, sentence)
    referent = {"entity": "country:vietnam", "words": "<the words of the quote that stand for it>", "context": sentence}

    expected = [
        f"{at('person:tran-dai-quangg')}: facts[0].subject: unknown entity 'person:tran-dai-quangg'; "
        "did you mean 'person:tran-dai-quang'? (entities are defined in facts/entities/)",
        f"{at('country:vietnam')}: facts[1].subject: the subject of visited must be of type person or group, "
        "but 'country:vietnam' is a country",
        f"{at('country:vietnam')}: facts[1].subject: fact 'wrong-subject-type': its subject 'country:vietnam' "
        f"(Vietnam) is not named in any of its quotes; the source names it as 'Vietnamese' at line {sentence_line} "
        "of its text. Quote the words that name it, or add to citations[0] a referent: "
        f'"referents": [{json.dumps(referent, ensure_ascii=False)}]',
        f"{at('2018-02-30')}: facts[2].date: '2018-02-30' is not a calendar day: February 2018 has 28 days",
        f"{at('President Quang visited Mars')}: facts[3].citations[0].quote: fact 'quote-not-in-source': "
        f"quote not found in source '{EXAMPLE_SOURCE}'; nearest passage: 'President Quang said Vietnam'",
        f"{at([])}: facts[4].citations: list should have at least 1 item after validation, not 0",
        f"{at('quang-visited-japan-2018')}: facts[5].id: fact id 'quang-visited-japan-2018' is already used in "
        f"facts/{EXAMPLE_SOURCE}.json: ids must be unique",
        f"{broken_name}:3:1: (file): malformed JSON: trailing comma",
        first_use_of("quang-visited-japan-2018", corpus / "facts" / f"{EXAMPLE_SOURCE}.json", name),
    ]
    assert result.returncode == 1
    for line in expected:
        assert line in result.lines, f"missing: {line}\n--- got:\n{result.stderr}"
    assert result.lines[-1] == f"{len(expected)} error(s), 0 warning(s)"
    assert "Traceback" not in result.stderr


def test_a_fact_its_model_rejects_still_has_its_references_checked_in_the_same_run(corpus: Path) -> None:
    """A rejected fact (an impossible date) that also names an unknown entity and quotes words its
    source lacks: all three errors in one run, not the other two after the date is fixed. A field
    the model rejected itself (a malformed id in `object`) is not reported a second time."""
    mistakes = [
        fact(
            id="rejected-with-more",
            subject="person:nobody-known",
            date="2018-02-30",
            citations=[{"source": EXAMPLE_SOURCE, "quote": "President Quang visited Mars"}],
        ),
        fact(id="rejected-object", object="Japan"),
    ]
    name, text = facts_file(corpus, "wrong.json", mistakes)

    result = run_build("check", "--root", corpus)

    def at(value: object) -> str:
        line, column = position_of(text, json.dumps(value, ensure_ascii=False))
        return f"{name}:{line}:{column}"

    rejected = [line for line in result.lines if line.startswith(name)]
    assert rejected[:3] == [
        f"{at('person:nobody-known')}: facts[0].subject: unknown entity 'person:nobody-known' "
        '(entities are defined in facts/entities/); if it is new, add {"id": "person:nobody-known", '
        '"name": "Nobody Known", "country": "country:..."} to facts/entities/people.json (the name as usually '
        "written in English, diacritics and all; its country, or no country)",
        f"{at('2018-02-30')}: facts[0].date: '2018-02-30' is not a calendar day: February 2018 has 28 days",
        f"{at('President Quang visited Mars')}: facts[0].citations[0].quote: fact 'rejected-with-more': "
        f"quote not found in source '{EXAMPLE_SOURCE}'; nearest passage: 'President Quang said Vietnam'",
    ], result.stderr
    assert len(rejected) == 4, result.stderr
    assert rejected[3].startswith(f"{at('Japan')}: facts[1].object: "), result.stderr
    assert "unknown entity 'Japan'" not in result.stderr
    assert result.returncode == 1
    assert result.lines[-1] == "4 error(s), 0 warning(s)"


def test_a_rejected_fact_claims_its_id_and_has_its_predicate_and_entity_types_checked(corpus: Path) -> None:
    """What can be checked of a fact its model rejected (an impossible date) is, in the same run:
    its id is claimed (a valid fact using it too is reported, and the rejected one marked), its
    entities' types when its predicate is known, and its predicate when it is not."""
    mistakes = [
        fact(id="shared-id"),
        fact(id="shared-id", date="2018-02-30", object="person:tran-dai-quang"),
        fact(id="misspelt-predicate", date="2018-02-30", predicate="visted"),
    ]
    name, text = facts_file(corpus, "wrong.json", mistakes)

    result = run_build("check", "--root", corpus)

    def at(value: str, occurrence: int = 1) -> str:
        line, column = position_of(text, json.dumps(value), occurrence)
        return f"{name}:{line}:{column}"

    expected = [
        f"{at('shared-id')}: facts[0].id: fact id 'shared-id' is used again in {name}: ids must be unique",
        f"{at('shared-id', 2)}: facts[1].id: fact id 'shared-id' is already used in {name}: ids must be unique",
        f"{at('person:tran-dai-quang', 3)}: facts[1].object: the object of visited must be of type country or place, "
        "but 'person:tran-dai-quang' is a person",
        f"{at('visted')}: facts[2].predicate: unknown predicate 'visted'; did you mean 'visited'? "
        "(see schema/vocabulary.py)",
    ]
    for line in expected:
        assert line in result.lines, f"missing: {line}\n--- got:\n{result.stderr}"
    assert result.returncode == 1
    # The other two errors are the dates; the warnings, that the valid fact repeats one of the corpus
    # (on both files: outside git, which of the two is new cannot be told).
    assert result.lines[-1] == "6 error(s), 2 warning(s)", result.stderr


def test_an_excluded_passage_missing_from_its_text_is_reported_beside_the_facts_errors(corpus: Path) -> None:
    """The exclusions are checked as each source is read (its record is not kept); the fact
    files are still checked in the same run, and the source still counts as known."""
    record_path = corpus / "sources" / f"{EXAMPLE_SOURCE}.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["excluded"][1]["text"] = "A caption the article never printed"
    record_text = write_json(record_path, record)
    name, text = facts_file(
        corpus,
        "wrong.json",
        [fact(id="mars", citations=[{"source": EXAMPLE_SOURCE, "quote": "President Quang visited Mars"}])],
    )

    result = run_build("check", "--root", corpus)

    line, column = position_of(record_text, json.dumps("A caption the article never printed"))
    quote_line, quote_column = position_of(text, json.dumps("President Quang visited Mars"))
    expected = [
        f"sources/{EXAMPLE_SOURCE}.json:{line}:{column}: excluded[1].text: passage does not occur in the archived "
        "text; nearest passage: 'cooperation in the areas that directly benefit'",
        f"{name}:{quote_line}:{quote_column}: facts[0].citations[0].quote: fact 'mars': quote not found in source "
        f"'{EXAMPLE_SOURCE}'; nearest passage: 'President Quang said Vietnam'",
    ]
    assert result.returncode == 1
    for expected_line in expected:
        assert expected_line in result.lines, f"missing: {expected_line}\n--- got:\n{result.stderr}"
    assert result.lines[-1] == "2 error(s), 0 warning(s)"


def test_an_archived_text_edited_since_is_one_error_and_its_quotes_are_still_checked(corpus: Path) -> None:
    """Editing an article's text after archiving it breaks its hash: one error, on the record,
    not an "unknown source" at each citation of it; and the quotes are checked
    against the text as it now is, so a quote not in it is reported in the same run."""
    record_path, text_path = (corpus / "sources" / f"{EXAMPLE_SOURCE}{suffix}" for suffix in (".json", ".txt"))
    text_path.write_bytes(text_path.read_bytes() + b"A paragraph added after archiving.\n")
    name, text = facts_file(
        corpus,
        "wrong.json",
        [fact(id="mars", citations=[{"source": EXAMPLE_SOURCE, "quote": "President Quang visited Mars"}])],
    )

    result = run_build("check", "--root", corpus)

    record = json.loads(record_path.read_text(encoding="utf-8"))
    line, column = position_of(record_path.read_text(encoding="utf-8"), json.dumps(record["sha256"]))
    digest = hashlib.sha256(text_path.read_bytes()).hexdigest()
    quote_line, quote_column = position_of(text, json.dumps("President Quang visited Mars"))
    assert result.lines == [
        f"{name}:{quote_line}:{quote_column}: facts[0].citations[0].quote: fact 'mars': quote not found in source "
        f"'{EXAMPLE_SOURCE}'; nearest passage: 'President Quang said Vietnam'",
        f"sources/{EXAMPLE_SOURCE}.json:{line}:{column}: sha256: does not match sources/{EXAMPLE_SOURCE}.txt: "
        f"its SHA-256 is {digest}",
        "2 error(s), 0 warning(s)",
    ], result.stderr
    assert result.returncode == 1


def _japan(document: dict) -> tuple[str, dict]:
    index = [entity["id"] for entity in document["entities"]].index("country:japan")
    return f"entities[{index}].", document["entities"][index]


# A source record or an entity its model refuses: the file, where in it (the field's path and the
# object holding it), the field, the value that breaks it and what is said of it. Each is named
# by the example's facts (the source by an alias too, Japan by people and offices of Japan).
REFUSED = {
    "source": (
        f"sources/{EXAMPLE_SOURCE}.json",
        lambda document: ("", document),
        "published",
        "2018-02-30",
        "'2018-02-30' is not a calendar day: February 2018 has 28 days",
    ),
    "entity": (
        "facts/entities/countries.json",
        _japan,
        "wikidata",
        "17",
        "'17' is not valid: expected a Wikidata item id such as Q881",
    ),
}


@pytest.mark.parametrize("kind", REFUSED)
def test_a_record_or_entity_its_model_rejects_is_reported_once_not_at_every_use(corpus: Path, kind: str) -> None:
    """What the model refuses still exists: its error is reported once, not an "unknown source" or
    "unknown entity" at each fact and alias naming it, nor "not a known country" at each entity
    of that country; and the quotes citing a refused source record are still checked, against
    its text."""
    name, locate, field, value, message = REFUSED[kind]
    document = json.loads((corpus / name).read_text(encoding="utf-8"))
    path, holder = locate(document)
    holder[field] = value
    text = write_json(corpus / name, document)
    mars = [fact(id="mars", citations=[{"source": EXAMPLE_SOURCE, "quote": "President Quang visited Mars"}])]
    wrong, wrong_text = facts_file(corpus, "wrong.json", mars)
    assert f'"{EXAMPLE_SOURCE}"' in wrong_text and '"country:japan"' in wrong_text  # a use of each, at least

    result = run_build("check", "--root", corpus)

    line, column = position_of(text, json.dumps(value))
    quote_line, quote_column = position_of(wrong_text, json.dumps("President Quang visited Mars"))
    expected = sorted(
        [
            f"{name}:{line}:{column}: {path}{field}: {message}",
            f"{wrong}:{quote_line}:{quote_column}: facts[0].citations[0].quote: fact 'mars': quote not found in source "
            f"'{EXAMPLE_SOURCE}'; nearest passage: 'President Quang said Vietnam'",
        ]
    )
    assert result.lines == [*expected, "2 error(s), 0 warning(s)"], result.stderr
    assert result.returncode == 1


def test_an_archived_text_without_its_record_is_a_warning(corpus: Path) -> None:
    """A text in sources/ that no record names is evidence for nothing (a record forgotten, or a
    text left behind): the check says so, as a warning, and passes."""
    (corpus / "sources" / "forgotten-article.txt").write_text("An article whose record was never written.\n")

    result = run_build("check", "--root", corpus)

    warning, closing = result.lines
    assert warning == (
        "sources/forgotten-article.txt:1:1: (file): warning: an archived text without its record "
        "sources/forgotten-article.json, so no fact can cite it: add the record (`python build.py new` "
        "writes both) or remove the text"
    ), result.stderr
    assert closing.startswith("checked ") and closing.endswith(": 0 error(s), 1 warning(s)")
    assert result.returncode == 0


def test_an_id_is_claimed_even_by_a_fact_that_fails_its_checks(corpus: Path) -> None:
    """Ids of inserted facts are looked up in the database; a fact that failed has no row, and
    its id must still count: the second use is reported in the same run as the first's error."""
    failing, _ = facts_file(corpus, "a-first.json", [fact(id="shared-id", subject="person:nobody-known")])
    later, text = facts_file(corpus, "b-later.json", [fact(id="shared-id")])

    result = run_build("check", "--root", corpus)

    line, column = position_of(text, json.dumps("shared-id"))
    assert result.returncode == 1
    assert (
        f"{later}:{line}:{column}: facts[0].id: fact id 'shared-id' is already used in {failing}: ids must be unique"
        in result.lines
    )
    assert first_use_of("shared-id", corpus / failing, later) in result.lines
    assert any(f"{failing}:" in line and "unknown entity 'person:nobody-known'" in line for line in result.lines)


def test_unknown_field_suggests_the_right_one(corpus: Path) -> None:
    bad = fact(id="typo")
    bad["citatons"] = bad.pop("citations")
    name, text = facts_file(corpus, "typo.json", [bad])
    result = run_build("check", "--root", corpus)
    line, column = position_of(text, '"citatons": ')
    value_column = column + len('"citatons": ')
    message = "facts[0].citatons: unknown field 'citatons'; did you mean 'citations'?"
    assert f"{name}:{line}:{value_column}: {message}" in result.lines, result.stderr


def test_a_failed_build_leaves_the_previous_database_byte_identical(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "facts.db"
    assert run_build("build", "--root", corpus, "--output", output).returncode == 0
    before = output.read_bytes()
    facts_file(corpus, "bad.json", [fact(id="bad", subject="person:nobody")])
    result = run_build("build", "--root", corpus, "--output", output)
    assert result.returncode == 1
    assert output.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "facts.db"]  # no temporary file left behind


def test_two_builds_of_the_same_input_are_byte_identical(corpus: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    assert run_build("build", "--root", corpus, "--output", first).returncode == 0
    assert run_build("build", "--root", corpus, "--output", second).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    with sqlite3.connect(first) as connection:
        recorded = dict(connection.execute("SELECT key, value FROM build_info"))
    assert len(recorded["inputs_sha256"]) == 64


def test_one_process_or_several_write_the_same_ordinary_file(corpus: Path, tmp_path: Path) -> None:
    """The reader tables are made by a second process (from a snapshot) and copied in; the
    file published is the same byte for byte as one process's, in the ordinary rollback
    format, with nothing left beside it."""
    apart, alone = tmp_path / "out" / "apart.db", tmp_path / "out" / "alone.db"
    assert run_build("build", "--root", corpus, "--output", apart, "--jobs", "2").returncode == 0
    assert run_build("build", "--root", corpus, "--output", alone, "--jobs", "1").returncode == 0
    assert apart.read_bytes() == alone.read_bytes()
    assert apart.read_bytes()[18:20] == b"\x01\x01"  # read and write versions 1: not a WAL database
    assert int.from_bytes(apart.read_bytes()[16:18], "big") == database.PAGE_SIZE  # set before the first write
    assert sorted(path.name for path in apart.parent.iterdir()) == ["alone.db", "apart.db"]
    with sqlite3.connect(apart) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        names = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    assert not {name for name in names if "unsorted" in name}


def test_the_reader_tables_hold_what_the_facts_say(built_database: Path) -> None:
    """Made apart and copied in whole: each derived table equals the same rows derived here
    from the fact tables by other queries, in its key's order."""
    with sqlite3.connect(built_database) as connection:
        pairs = connection.execute(
            "SELECT a.country_id, b.country_id, f.date_start, f.date_end, f.id FROM fact_country AS a "
            "JOIN fact_country AS b ON b.fact_id = a.fact_id AND b.country_id > a.country_id "
            "JOIN fact AS f ON f.id = a.fact_id WHERE f.date_start IS NOT NULL ORDER BY 1, 2, 3, 5"
        ).fetchall()
        assert connection.execute("SELECT * FROM country_pair_fact").fetchall() == pairs
        assert pairs
        involved = set()
        for fact_id, date_start, *entities in connection.execute(
            "SELECT id, coalesce(date_start, ''), subject_id, object_id, place_id, attributed_to_id FROM fact"
        ):
            involved |= {(entity, date_start, fact_id) for entity in entities if entity}
        for fact_id, date_start, entity in connection.execute(
            "SELECT q.fact_id, coalesce(f.date_start, ''), q.entity_id FROM qualifier AS q "
            "JOIN fact AS f ON f.id = q.fact_id WHERE q.entity_id IS NOT NULL"
        ):
            involved.add((entity, date_start, fact_id))
        assert connection.execute("SELECT * FROM entity_fact").fetchall() == sorted(involved)
        view = connection.execute(
            "SELECT fact_id, statement, subject, source_id, quote FROM fact_view ORDER BY rowid"
        ).fetchall()
        cited = connection.execute(
            "SELECT f.id, f.statement, e.name, c.source_id, c.quote FROM citation AS c "
            "JOIN fact AS f ON f.id = c.fact_id JOIN entity AS e ON e.id = f.subject_id ORDER BY c.id"
        ).fetchall()
    assert view == cited


def test_a_changed_input_changes_the_recorded_hash(corpus: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    assert run_build("build", "--root", corpus, "--output", first).returncode == 0
    facts_file(corpus, "extra.json", [fact()])
    assert run_build("build", "--root", corpus, "--output", second).returncode == 0
    hashes = [sqlite3.connect(db).execute("SELECT value FROM build_info").fetchone()[0] for db in (first, second)]
    assert hashes[0] != hashes[1]


def test_exit_codes_and_the_default_command(corpus: Path, tmp_path: Path) -> None:
    assert run_build("frobnicate").returncode == 2
    assert run_build("check", "--root", tmp_path / "missing").returncode == 2
    output = corpus / "dist" / "facts.db"
    assert run_build("--root", corpus).returncode == 0  # no command means build
    assert output.exists()


def test_a_source_whose_text_was_changed_is_rejected(corpus: Path) -> None:
    text_file = corpus / "sources" / f"{EXAMPLE_SOURCE}.txt"
    text_file.write_text(text_file.read_text(encoding="utf-8") + "Tampered.\n", encoding="utf-8")
    result = run_build("check", "--root", corpus)
    assert result.returncode == 1
    record = (corpus / "sources" / f"{EXAMPLE_SOURCE}.json").read_text(encoding="utf-8")
    digest = json.loads(record)["sha256"]
    line, column = position_of(record, json.dumps(digest))
    prefix = f"sources/{EXAMPLE_SOURCE}.json:{line}:{column}: sha256: does not match sources/{EXAMPLE_SOURCE}.txt"
    assert any(entry.startswith(prefix) for entry in result.lines), result.stderr
