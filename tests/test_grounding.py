"""Grounding: a fact's quotes must carry the fact (who, what, when, how much), not only exist.

Each attack below built cleanly before grounding; each is now refused at its file, line and
column, naming the fact and saying how to write a legitimate fact of that shape, while the
legitimate facts of the same shapes, checked in the same run, pass. The corpus is the fixture
under tests/fixtures/grounding (a made-up article), so no test depends on the live data.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import PROJECT, browser_page, position_of, run_build, served, write_json
from factdb.grounding import _sentence_around

FIXTURE = PROJECT / "tests" / "fixtures" / "grounding"
SCREENSHOTS = PROJECT / "tests" / "screenshots"
SOURCE = "test-hanoi-talks"
TALKS = "Prime Minister Phạm Minh Chính held talks with Japanese Prime Minister Kishida Fumio in Hanoi on Sunday."
CHINH, KISHIDA = "person:pham-minh-chinh", "person:fumio-kishida"


def cite(quote: str, **extra: object) -> list[dict[str, object]]:
    return [{"source": SOURCE, "quote": quote, **extra}]


# (fact, the field refused, words its message must hold): one per attack family.
ATTACKS: list[tuple[dict[str, object], str, list[str]]] = [
    (
        {
            "id": "stitched-aid-pledge",
            "subject": "country:vietnam",
            "predicate": "pledged_to",
            "object": "country:china",
            "text": "further economic aid",
            "citations": cite("Vietnam … pledged … further economic aid to … China"),
        },
        "citations[0].quote",
        ["at least two words", "'Vietnam' is not"],
    ),
    (
        {
            "id": "stated-words-invented",
            "subject": CHINH,
            "predicate": "stated",
            "text": "We will never trade with Japan.",
            "citations": cite('Chính said: "We treasure the friendship between our two peoples'),
        },
        "text",
        ["stated-words-invented", "speaker's own words", "position_on for a paraphrase"],
    ),
    (
        {"id": "full-stop-quote", "subject": CHINH, "predicate": "stated", "text": "Peace.", "citations": cite(".")},
        "citations[0].quote",
        ["full-stop-quote", "at least two whole words"],
    ),
    (
        {
            "id": "cut-inside-a-word",
            "subject": "group:analysts",
            "predicate": "position_on",
            "text": "that is war",
            "citations": cite("Analysts said that's war"),
        },
        "citations[0].quote",
        ["cuts a word", "that's wary", "quote whole words"],
    ),
    (
        {
            "id": "correction-of-other-words",
            "subject": CHINH,
            "predicate": "held_talks_with",
            "object": KISHIDA,
            "date": "2022-05-01",
            "date_reasoning": "The article's date.",
            "corrections": [
                {"source": SOURCE, "source_says": "rising tensions", "correct": "calm", "reason": "Invented."}
            ],
            "citations": cite(TALKS),
        },
        "corrections[0].source_says",
        ["correction-of-other-words", "does not occur in its quotes", "cite the passage that has them"],
    ),
    (
        {
            "id": "visit-fifteen-years-on",
            "subject": KISHIDA,
            "predicate": "visited",
            "object": "place:hanoi",
            "date": "2037-05-01",
            "date_reasoning": "Invented.",
            "citations": cite("Japanese Prime Minister Kishida Fumio in Hanoi on Sunday"),
        },
        "date",
        ["visit-fifteen-years-on", "'actual'", "after source", "'planned' or 'expected'"],
    ),
    (
        {
            "id": "amount-not-stated",
            "subject": "country:japan",
            "predicate": "provides_aid_to",
            "object": "country:vietnam",
            "quantity": {"amount": 5000000000, "unit": "USD"},
            "citations": cite("Japan will provide 3.5 billion USD in official development assistance to Vietnam"),
        },
        "quantity.amount",
        ["amount-not-stated", "no quote states 5e+09", "cite the words that give the number"],
    ),
    (
        {
            "id": "date-against-its-quote",
            "subject": CHINH,
            "predicate": "held_talks_with",
            "object": KISHIDA,
            "date": "2019-05-01",
            "citations": cite("HANOI, 1 May 2022 (Test Wire) - " + TALKS),
        },
        "date",
        ["date-against-its-quote", "'1 May 2022'", "add date_reasoning"],
    ),
    (
        {
            "id": "leaders-unnamed",
            "subject": CHINH,
            "predicate": "agreed_with",
            "object": KISHIDA,
            "text": "to cooperate in energy",
            "date": "2022-05-01",
            "date_reasoning": "The article's date.",
            "citations": cite("The two leaders agreed to step up cooperation in digital transformation and energy."),
        },
        "subject",
        ["leaders-unnamed", "is not named in any of its quotes", "at line 2", '"words": "The two leaders"', TALKS],
    ),
    (
        {
            "id": "referent-words-elsewhere",
            "subject": CHINH,
            "predicate": "agreed_with",
            "object": KISHIDA,
            "text": "to cooperate in energy",
            "date": "2022-05-01",
            "date_reasoning": "The article's date.",
            "citations": cite(
                "The two leaders agreed to step up cooperation",
                referents=[
                    {"entity": CHINH, "words": "the two sides", "context": TALKS},
                    {"entity": KISHIDA, "words": "The two leaders", "context": TALKS},
                ],
            ),
        },
        "citations[0].referents[0].words",
        ["does not occur in the quote"],
    ),
    (
        {
            "id": "referent-context-unnamed",
            "subject": CHINH,
            "predicate": "agreed_with",
            "object": KISHIDA,
            "text": "to cooperate in energy",
            "date": "2022-05-01",
            "date_reasoning": "The article's date.",
            "citations": cite(
                "The two leaders agreed to step up cooperation",
                referents=[
                    {
                        "entity": CHINH,
                        "words": "The two leaders",
                        "context": "China was not mentioned by the two sides.",
                    },
                    {"entity": KISHIDA, "words": "The two leaders", "context": TALKS},
                ],
            ),
        },
        "citations[0].referents[0].context",
        ["does not name 'person:pham-minh-chinh'", "by its name or an alias"],
    ),
    (
        {
            "id": "ellipsis-across-paragraphs",
            "subject": "country:japan",
            "predicate": "provides_aid_to",
            "object": "country:vietnam",
            "quantity": {"amount": 3500000000, "unit": "USD"},
            "citations": cite("The two leaders agreed to step up … Japan will provide 3.5 billion USD"),
        },
        "citations[0].quote",
        ["different paragraphs", "a citation of its own"],
    ),
]

# Legitimate facts of the attacked shapes, added to the same run (the fixture's own facts hold
# the others: a referent, a quantity, a quoted statement with an ellipsis, a demonym).
LEGITIMATE = [
    {
        "id": "analysts-wary",
        "subject": "group:analysts",
        "predicate": "position_on",
        "text": "there is reason to be wary of rising tensions",
        "citations": cite("Analysts said that's wary of rising tensions"),
    },
    {
        "id": "kishida-visited-hanoi",
        "subject": KISHIDA,
        "predicate": "visited",
        "object": "place:hanoi",
        "date": "2022-05-01",
        "citations": cite("HANOI, 1 May 2022 (Test Wire) - " + TALKS),
    },
    {
        "id": "kishida-visits-again",
        "subject": KISHIDA,
        "predicate": "visited",
        "object": "place:hanoi",
        "date": "2037",
        "date_reasoning": "Invented for the test: a planned fact may lie after its source.",
        "modality": "planned",
        "citations": cite("Japanese Prime Minister Kishida Fumio in Hanoi on Sunday"),
    },
    {
        "id": "deprecated-unsupported-visit",
        "subject": KISHIDA,
        "predicate": "visited",
        "object": "country:china",
        "date": "2022",
        "date_reasoning": "The article's year.",
        "citations": cite("Japanese Prime Minister Kishida Fumio in Hanoi on Sunday"),
        "rank": "deprecated",
        "deprecation_reason": "Not supported: the quote never names China. Kept so that its id resolves.",
    },
]


def screenshot(name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def value_position(text: str, fact: dict[str, object], field: str) -> tuple[int, int]:
    """Line and column of the value of a fact's field (facts[0].citations[0].quote style) in the file."""
    value: object = fact
    for part in re.findall(r"[^.\[\]]+", field):
        value = value[int(part)] if part.isdigit() else value[part]  # type: ignore[index]
    return position_of(text, json.dumps(value, ensure_ascii=False), after=f'"id": "{fact["id"]}"')


def test_each_attack_is_refused_where_it_is_and_says_how_to_mend_it(project: Path) -> None:
    hostile = write_json(project / "facts" / "hostile.json", {"facts": [fact for fact, _, _ in ATTACKS]})
    write_json(project / "facts" / "legitimate.json", {"facts": LEGITIMATE})
    result = run_build("check", "--root", project)
    assert result.returncode == 1, result.stderr
    for index, (fact, field, words) in enumerate(ATTACKS):
        line, column = value_position(hostile, fact, field)
        prefix = f"facts/hostile.json:{line}:{column}: facts[{index}].{field}: "
        found = [message for message in result.lines if message.startswith(prefix)]
        assert found, f"no error at {prefix}\n{result.stderr}"
        for word in words:
            assert any(word in message for message in found), (word, found)
    # The legitimate facts of the same shapes, checked in the same run, are not refused.
    assert not [line for line in result.lines if "legitimate.json" in line or "test-hanoi-talks.json" in line]


def test_legitimate_facts_are_published_with_their_grounding(project: Path, tmp_path: Path) -> None:
    write_json(project / "facts" / "legitimate.json", {"facts": LEGITIMATE})
    output = tmp_path / "facts.db"
    result = run_build("build", "--root", project, "--output", output)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(output) as connection:
        text = connection.execute("SELECT text FROM source WHERE id = ?", [SOURCE]).fetchone()[0]
        rows = connection.execute(
            'SELECT fact_id, role, entity_id, words, start, "end", how, context FROM grounding'
        ).fetchall()
        facts = connection.execute(
            "SELECT id, subject_id, object_id, place_id, attributed_to_id FROM fact WHERE rank = 'normal'"
        ).fetchall()
    grounded = {(fact_id, role): (entity, how) for fact_id, role, entity, _, _, _, how, _ in rows}
    for fact_id, *entities in facts:  # every entity of every fact, once
        for role, entity in zip(("subject", "object", "place", "attributed_to"), entities, strict=True):
            assert (grounded.get((fact_id, role)) or (None,))[0] == entity
    for _, _, _, words, start, end, how, context in rows:
        assert text[start:end] == words  # offsets into the archived text, as citation's
        assert (context is not None) == (how == "referent")
    assert grounded[("chinh-kishida-agreed-digital", "subject")] == (CHINH, "referent")
    assert grounded[("vietnam-welcomed-aid", "subject")] == ("country:vietnam", "alias")  # "Vietnamese", a demonym
    assert grounded[("chinh-kishida-talks", "subject")] == (CHINH, "name")  # with its diacritics


def test_a_referent_for_an_entity_the_fact_does_not_name_is_refused(project: Path) -> None:
    facts = json.loads((project / "facts" / f"{SOURCE}.json").read_text())
    digital = next(fact for fact in facts["facts"] if fact["id"] == "chinh-kishida-agreed-digital")
    digital["citations"][0]["referents"].append(
        {"entity": "country:china", "words": "The two leaders", "context": TALKS}
    )
    write_json(project / "facts" / f"{SOURCE}.json", facts)
    result = run_build("check", "--root", project)
    assert result.returncode == 1
    assert any(
        ".citations[0].referents[2].entity: 'country:china' is not one of this fact's entities" in line
        for line in result.lines
    ), result.stderr


def test_every_fact_of_the_published_data_is_grounded(live_database: Path) -> None:
    """A property of the live data, whatever it holds: each entity of each fact (but those
    deprecated) is named in its evidence, and the words recorded are the archived text's."""
    with sqlite3.connect(live_database) as connection:
        missing = connection.execute(
            """SELECT f.id, roles.role FROM fact AS f
            JOIN (SELECT 'subject' AS role UNION ALL SELECT 'object' UNION ALL SELECT 'place'
                  UNION ALL SELECT 'attributed_to') AS roles
            WHERE f.rank = 'normal' AND CASE roles.role WHEN 'subject' THEN f.subject_id WHEN 'object' THEN f.object_id
                  WHEN 'place' THEN f.place_id ELSE f.attributed_to_id END IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM grounding AS g WHERE g.fact_id = f.id AND g.role = roles.role)"""
        ).fetchall()
        assert missing == []
        mismatched = connection.execute(
            """SELECT g.fact_id, g.words FROM grounding AS g JOIN source AS s ON s.id = g.source_id
            WHERE substr(s.text, g.start + 1, g."end" - g.start) != g.words"""
        ).fetchall()
        assert mismatched == []


def test_a_fact_page_says_who_the_two_leaders_are(project: Path, tmp_path: Path, chromium: Browser) -> None:
    output = tmp_path / "facts.db"
    assert run_build("build", "--root", project, "--output", output).returncode == 0
    with served(output) as base, browser_page(chromium, base) as page:
        page.goto("/facts/fact/chinh-kishida-agreed-digital")
        evidence = page.locator("section.evidence")
        rows = evidence.locator("tr.grounding-referent")
        assert rows.count() == 2  # the fixture's fact: both leaders are "The two leaders"
        first = rows.nth(0).inner_text()
        assert "subject" in first and "Phạm Minh Chính" in first and "The two leaders" in first
        assert rows.nth(0).locator("blockquote.referent-context").inner_text() == (
            "Prime Minister Phạm Minh Chính held talks with Japanese Prime Minister Kishida Fumio"
        )
        entity_link = rows.nth(1).locator("a").first
        assert entity_link.inner_text() == "Fumio Kishida"
        page.screenshot(path=str(screenshot("fact-page-evidence")), full_page=True)
        entity_link.click()
        assert page.url.endswith("/facts/entity/person:fumio-kishida")
        page.goto("/facts/fact/chinh-kishida-talks")  # named outright: no referent, its words shown
        named = page.locator("section.evidence tr").all_inner_texts()
        assert any("Kishida Fumio" in row and "another of its names" in row for row in named)
        assert page.locator("blockquote.referent-context").count() == 0


def test_a_source_page_marks_the_words_that_name_each_fact_s_entities(
    project: Path, tmp_path: Path, chromium: Browser
) -> None:
    output = tmp_path / "facts.db"
    assert run_build("build", "--root", project, "--output", output).returncode == 0
    with sqlite3.connect(output) as connection:
        grounded = connection.execute("SELECT DISTINCT words FROM grounding WHERE source_id = ?", [SOURCE]).fetchall()
    with served(output) as base, browser_page(chromium, base) as page:
        page.goto(f"/-/sources/{SOURCE}")
        named = page.locator(".source-text span.named")
        marked = {
            (named.nth(index).inner_text(), named.nth(index).get_attribute("title")) for index in range(named.count())
        }
        assert {words for words, _ in marked} == {words for (words,) in grounded}
        leaders = [title for words, title in marked if words == "The two leaders"]
        assert leaders and "stands for Phạm Minh Chính" in leaders[0] and "stands for Fumio Kishida" in leaders[0]
        assert any(
            words == "Vietnamese" and "names Vietnam (subject of vietnam-welcomed-aid)" in title
            for words, title in marked
        )
        # The words sit inside the cited passage, which still links to its fact.
        assert page.locator("mark.cited span.named").count() == named.count()
        page.screenshot(path=str(screenshot("source-page-grounding")), full_page=True)


def test_a_name_at_the_edge_of_a_quote_in_a_text_not_in_nfc_is_found(project: Path) -> None:
    """Offsets into a text that NFC changes are approximate; the quote's own words still ground it."""
    text = "Cafe\u0301 talk. " * 40 + "\nThe talks were held. Phạm Minh Chính met Kishida Fumio\n"
    (project / "sources" / "not-nfc.txt").write_text(text, encoding="utf-8")
    record = json.loads((project / "sources" / f"{SOURCE}.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    record |= {"id": "not-nfc", "text_path": "sources/not-nfc.txt", "sha256": digest, "excluded": []}
    write_json(project / "sources" / "not-nfc.json", record)
    quote = "Phạm Minh Chính met Kishida Fumio"
    met = {"id": "met-in-a-text-not-in-nfc", "subject": CHINH, "predicate": "met", "object": KISHIDA}
    met |= {"citations": [{"source": "not-nfc", "quote": quote}]}
    write_json(project / "facts" / "not-nfc.json", {"facts": [met]})
    result = run_build("check", "--root", project)
    assert result.returncode == 0, result.stderr


def test_the_proposed_context_of_a_long_sentence_still_names_the_entity() -> None:
    text = "The visit, " + "which was long and had many parts, " * 12 + "ended in Japan. Next."
    at = text.index("Japan")
    context = _sentence_around(text, at, at + len("Japan"))
    assert "Japan" in context and len(context) < 320 and context in " ".join(text.split())
    assert context.split()[0] in text.split()  # whole words: a referent's context must be


def test_a_long_source_is_shown_a_part_at_a_time_with_its_marks(
    project: Path, tmp_path: Path, chromium: Browser
) -> None:
    lines = [f"On day {n} Prime Minister Phạm Minh Chính met Kishida Fumio in Hanoi." for n in range(4000)]
    text = "\n".join(lines) + "\n"
    (project / "sources" / "long.txt").write_text(text, encoding="utf-8")
    record = json.loads((project / "sources" / f"{SOURCE}.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    record |= {"id": "long", "text_path": "sources/long.txt", "sha256": digest, "excluded": []}
    write_json(project / "sources" / "long.json", record)
    met = [
        {
            "id": f"met-on-day-{n}",
            "subject": CHINH,
            "predicate": "met",
            "object": KISHIDA,
            "qualifiers": {"topic": str(n)},
        }
        | {"citations": [{"source": "long", "quote": lines[n]}]}
        for n in (1, 3500)
    ]
    write_json(project / "facts" / "long.json", {"facts": met})
    output = tmp_path / "facts.db"
    assert run_build("build", "--root", project, "--output", output).returncode == 0
    with served(output) as base, browser_page(chromium, base) as page:
        page.goto("/-/sources/long")
        assert "Part 1 of" in page.locator("nav.source-parts").first.inner_text()
        assert set(page.locator("mark.cited").evaluate_all("ms => ms.map(m => m.dataset.facts)")) == {"met-on-day-1"}
        assert "On day 3500 " not in page.locator(".source-text").inner_text()
        page.locator("nav.source-parts a[rel=next]").first.click()
        while page.locator("mark.cited").count() == 0:  # to the part holding day 3500
            page.locator("nav.source-parts a[rel=next]").first.click()
        assert set(page.locator("mark.cited").evaluate_all("ms => ms.map(m => m.dataset.facts)")) == {"met-on-day-3500"}
        assert page.locator("mark.cited span.named").count() == 2  # its grounding, shifted into the part


@pytest.mark.parametrize(("scope", "refused"), [("other-article", True), (SOURCE, False)])
def test_an_alias_scoped_to_one_source_names_its_entity_in_that_source_only(
    project: Path, tmp_path: Path, scope: str, refused: bool
) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Talks open in Tokyo\nThe talks were held in Tokyo.\n", encoding="utf-8")
    made = run_build(
        "new", other, "--title", "Talks open", "--date", "2022-06-01", "--id", "other-article", "--root", project
    )
    assert made.returncode == 0, made.stderr
    entities = json.loads((project / "facts" / "entities" / "entities.json").read_text(encoding="utf-8"))
    entities["entities"].append(
        {
            "id": "event:hanoi-talks-2022",
            "name": "Vietnam-Japan summit in Hanoi, 2022",
            "aliases": [{"name": "talks", "kind": "short_name", "source": scope}],  # a word, not a name elsewhere
        }
    )
    write_json(project / "facts" / "entities" / "entities.json", entities)
    fact = {
        "id": "chinh-at-the-hanoi-talks",
        "subject": CHINH,
        "predicate": "participates_in",
        "object": "event:hanoi-talks-2022",
        "date": "2022-05-01",
        "date_reasoning": "'on Sunday' in an article dated 1 May 2022, a Sunday.",
        "citations": cite(TALKS),
    }
    scoped = write_json(project / "facts" / "scoped.json", {"facts": [fact]})
    result = run_build("check", "--root", project)
    line, column = value_position(scoped, fact, "object")
    message = f"facts/scoped.json:{line}:{column}: facts[0].object: fact 'chinh-at-the-hanoi-talks': its object"
    assert any(found.startswith(message) and "is not named" in found for found in result.lines) is refused
    assert result.returncode == (1 if refused else 0), result.stderr
