"""JSON -> SQLite -> JSON loses nothing, and no input makes validation raise.

* Any valid fact set, drawn by Hypothesis from the real vocabulary and entities,
  with sources written so that its quotes carry it (names, referents, amounts),
  survives a build and `python build.py export` unchanged (compared as parsed JSON).
* The export of the real project equals its files: fact files as parsed data and,
  after the canonical layout of `python build.py fmt` (with qualifiers in the
  order the build stores them, sorted by name), byte for byte; source records and
  archived texts byte for byte; entities by id. A build of the export gives the
  same tables.
* Garbage bytes, random JSON and mutated real files never make the loader, the
  pipeline or the command line raise anything but the project's DataError.

Hypothesis runs derandomized, without an example database, with modest example
counts: the same examples on every run and machine, a few seconds per property.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import sqlite3
import string
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from annotated_types import MaxLen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from conftest import FROZEN, PROJECT, run_build
from factdb import cli, evidence, export, formatting, pipeline
from factdb.evidence import EntityNames
from factdb.grounding import ENTITY_ROLES
from factdb.loading import load_model
from factdb.problems import DataError
from schema.models import Correction, Entity, EntityFile, Fact, FactFile, Source
from schema.vocabulary import PREDICATES, QUALIFIERS

SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=12,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

# --- What valid facts are made of: the real registry and made-up sources that state them -----
#
# A valid fact is grounded: each of its entities is named in one of its quotes, or the quote
# refers to it ("they") and a referent points at a passage that names it; a quantity's amount is
# written in a quote, a quoted statement's words occur in one, and a date a quote states agrees
# with the fact's date unless date_reasoning says otherwise. The real articles name only the
# entities their facts are about, so each example writes its own sources: every quote the
# generated facts cite is a line of one of them, written to carry its fact.

ENTITIES = {
    entity["id"]: entity
    for path in sorted((PROJECT / "facts" / "entities").glob("*.json"))
    for entity in json.loads(path.read_text(encoding="utf-8"))["entities"]
}
BY_TYPE: dict[str, list[str]] = {}
for _entity_id in sorted(ENTITIES):
    BY_TYPE.setdefault(_entity_id.partition(":")[0], []).append(_entity_id)
USABLE_PREDICATES = sorted(
    predicate.id
    for predicate in PREDICATES.values()
    if any(BY_TYPE.get(kind) for kind in predicate.subject_types)
    and (not predicate.object_types or any(BY_TYPE.get(kind) for kind in predicate.object_types))
)
# Where the build looks for an entity's names: the oracle that a generated quote names it.
NAMES = EntityNames({entity_id: Entity.model_validate(entity) for entity_id, entity in ENTITIES.items()})
GENERATED_SOURCES = ("generated-first-source", "generated-second-source")
REFERRING = ["the two leaders", "both sides", "the country", "he", "its"]
FILLER = "as they said"  # every quote has words a referent can fall back on

# Text an editor may write: any character but control, format (invisible, bidi) and surrogate ones.
_VISIBLE = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))
LABELS = st.text(_VISIBLE, min_size=1, max_size=30).filter(lambda text: re.search(r"\S", text))
TEXTS = st.text(st.one_of(_VISIBLE, st.sampled_from("\n\t <>'\";")), min_size=1, max_size=80).filter(
    lambda text: re.search(r"\S", text)
)
# A statement a quote gives word for word: it has words, and its source keeps it as written.
QUOTABLE_TEXTS = TEXTS.filter(lambda text: bool(evidence.words(text)) and unicodedata.normalize("NFC", text) == text)
SLUGS = st.lists(st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=6), min_size=1, max_size=3).map(
    "-".join
)


@st.composite
def dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(1800, 2100))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    return draw(
        st.sampled_from(
            [
                f"{year:04d}",
                f"{year:04d}-{month:02d}",
                f"{year:04d}-{month:02d}-{day:02d}",
                f"{year:04d}-{month:02d}/{year + 1:04d}",
                f"{year:04d}?",
                f"~{year:04d}-{month:02d}",
                f"{year:04d}-{month:02d}/..",
                "201X",
                f"{year:04d}-21",
            ]
        )
    )


def entity_of(kinds: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from([entity_id for kind in kinds for entity_id in BY_TYPE.get(kind, [])])


# A source writes a number without a sign (a fall is "fell by 3 percent"): amounts are not negative.
AMOUNTS = st.one_of(
    st.integers(0, 2**53),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False),
)


SOURCE_SAYS_LIMIT = next(
    rule.max_length for rule in Correction.model_fields["source_says"].metadata if isinstance(rule, MaxLen)
)


def written(amount: float) -> str:
    """The amount in figures, as an article writes it: all its digits, no exponent."""
    return format(Decimal(repr(amount)), "f")


def names_of(entity_id: str) -> list[str]:
    """The names that name the entity in any source (not an alias scoped to one: Alias.source)."""
    entity = ENTITIES[entity_id]
    return [entity["name"], *(alias["name"] for alias in entity.get("aliases", []) if "source" not in alias)]


@st.composite
def facts(draw: st.DrawFn, fact_id: str, lines: dict[str, list[str]]) -> dict[str, Any]:
    """One valid fact, its keys in the models' order and default values left out (as the export writes).

    The lines its quotes and referents' contexts need are added to `lines` (by source)."""
    predicate = PREDICATES[draw(st.sampled_from(USABLE_PREDICATES))]
    roles = {"subject": draw(entity_of(predicate.subject_types))}
    if predicate.object_types:
        roles["object"] = draw(entity_of(predicate.object_types))
    quantity = None
    if predicate.value == "quantity":
        quantity = {"amount": draw(AMOUNTS), "unit": draw(LABELS)}
        if draw(st.booleans()):
            quantity["approximately"] = True
    text = draw(QUOTABLE_TEXTS if predicate.text_is_quoted else TEXTS) if predicate.value == "text" else None
    date = draw(dates()) if draw(st.booleans()) else None
    date_reasoning = draw(TEXTS) if draw(st.booleans()) else None
    if draw(st.booleans()):
        roles["place"] = draw(entity_of(("place", "country")))
    qualifiers = {}
    for name in draw(st.lists(st.sampled_from(predicate.qualifiers), unique=True)) if predicate.qualifiers else []:
        kinds = QUALIFIERS[name].entity_types
        qualifiers[name] = draw(entity_of(kinds) if kinds else LABELS)
    modality = draw(st.sampled_from(["actual", "planned", "expected"]))
    if draw(st.booleans()):
        roles["attributed_to"] = draw(st.sampled_from(sorted(ENTITIES)))

    # The quotes: each role's entity by one of its names, or by referring words and a referent.
    sources = draw(st.lists(st.sampled_from(GENERATED_SOURCES), min_size=1, max_size=3))
    parts: list[list[str]] = [[] for _ in sources]
    referents: list[list[dict[str, str]]] = [[] for _ in sources]
    named: list[tuple[int, str]] = []
    for role in ENTITY_ROLES:
        if role not in roles:
            continue
        entity_id, index = roles[role], draw(st.integers(0, len(sources) - 1))
        if draw(st.booleans()):
            parts[index].append(draw(st.sampled_from(names_of(entity_id))))
            named.append((index, entity_id))
        else:
            words = draw(st.sampled_from(REFERRING))
            parts[index].append(words)
            referents[index].append(
                {"entity": entity_id, "words": words, "context": draw(st.sampled_from(names_of(entity_id)))}
            )
    quotes = [f"Reported: {' — with — '.join(part)}, {FILLER}" if part else f"Reported {FILLER}" for part in parts]
    if text is not None and predicate.text_is_quoted:
        quotes[0] += f": {text}"
    if quantity is not None:
        quotes[0] += f", amounting to {written(quantity['amount'])}"
    for index, entity_id in named:  # rarely, other names around it make its words another's
        if NAMES.find(entity_id, quotes[index]) is None:
            referents[index].append({"entity": entity_id, "words": "they", "context": names_of(entity_id)[0]})
    for source, quote, referred in zip(sources, quotes, referents, strict=True):
        lines.setdefault(source, []).extend([quote, *(referent["context"] for referent in referred)])
    if date is not None and date_reasoning is None and any(evidence.stated_dates(quote) for quote in quotes):
        date_reasoning = draw(TEXTS)  # a name or a number in the quotes reads as a date: say why it is not

    fact: dict[str, Any] = {"id": fact_id, "subject": roles["subject"], "predicate": predicate.id}
    optional = {
        "object": roles.get("object"),
        "quantity": quantity,
        "text": text,
        "date": date,
        "date_reasoning": date_reasoning,
        "place": roles.get("place"),
        "qualifiers": qualifiers or None,
        "modality": None if modality == "actual" else modality,
        "attributed_to": roles.get("attributed_to"),
        "note": draw(TEXTS) if draw(st.booleans()) else None,
    }
    fact |= {key: value for key, value in optional.items() if value is not None}
    if draw(st.booleans()):
        # A long amount's digits are one word, longer than a correction may quote.
        words = [word for word in quotes[0].split() if word.isalnum() and len(word) <= SOURCE_SAYS_LIMIT]
        correction = {"source": sources[0], "source_says": draw(st.sampled_from(words))}
        fact["corrections"] = [correction | {"correct": draw(LABELS), "reason": draw(TEXTS)}]
    fact["citations"] = [
        {"source": source, "quote": quote, **({"referents": referred} if referred else {})}
        for source, quote, referred in zip(sources, quotes, referents, strict=True)
    ]
    if draw(st.booleans()):
        fact["rank"] = "deprecated"
        fact["deprecation_reason"] = draw(TEXTS)
    return fact


FactSet = tuple[dict[str, list[dict[str, Any]]], dict[str, list[str]]]


@st.composite
def fact_sets(draw: st.DrawFn) -> FactSet:
    """Fact files by name (facts/<name>.json), one to three of them, with unique fact ids; and the
    lines of the sources they cite, by source id."""
    names = draw(st.lists(SLUGS, min_size=1, max_size=3, unique=True))
    files: dict[str, list[dict[str, Any]]] = {}
    lines: dict[str, list[str]] = {}
    number = 0
    for name in names:
        count = draw(st.integers(1, 4))
        files[f"facts/{name}.json"] = [draw(facts(f"generated-{(number := number + 1)}", lines)) for _ in range(count)]
    return files, lines


def corpus_with(root: Path, files: dict[str, list[dict[str, Any]]], lines: dict[str, list[str]]) -> Path:
    """The real sources and entities, the generated sources and the fact files."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(PROJECT / "sources", root / "sources")
    shutil.copytree(PROJECT / "facts" / "entities", root / "facts" / "entities")
    for source_id, source_lines in lines.items():
        text = "\n".join(source_lines) + "\n"
        (root / "sources" / f"{source_id}.txt").write_bytes(text.encode("utf-8"))
        record = {
            "$schema": export.SCHEMAS["source"],
            "id": source_id,
            "title": "Sentences written for the round trip",
            "publisher": None,
            "published": None,
            "published_inferred": False,
            "language": "en",
            "url": None,
            "text_path": f"sources/{source_id}.txt",
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        }
        (root / "sources" / f"{source_id}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    for name, items in files.items():
        document = {"$schema": export.SCHEMAS["fact"], "facts": items}
        (root / name).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return root


def test_the_export_writes_every_field_of_the_models() -> None:
    """What the export cannot write back is listed in factdb/export.py; nothing else may be missing."""
    lost_by_the_build = {"lower", "upper"}  # Quantity bounds: the fact table has no columns for them
    assert set(Fact.model_fields) == set(export._FACT_KEYS)
    from schema.models import Quantity

    assert set(Quantity.model_fields) - {"amount", "unit", "approximately"} == lost_by_the_build


@settings(SETTINGS, max_examples=40)
@given(fact_set=fact_sets())
def test_any_valid_fact_set_survives_json_sqlite_json(
    tmp_path_factory: pytest.TempPathFactory, fact_set: FactSet
) -> None:
    files, lines = fact_set
    work = tmp_path_factory.mktemp("roundtrip")
    root = corpus_with(work / "corpus", files, lines)
    try:
        pipeline.run(root, work / "facts.db", jobs=1)
    except DataError as error:  # a bug in the strategies, not in the build: say which
        pytest.fail("generated facts are invalid:\n" + "\n".join(map(str, error.problems)))
    out = work / "export"
    export.export(work / "facts.db", out)
    for name, items in files.items():
        written = json.loads((out / name).read_text(encoding="utf-8"))
        assert written == {"$schema": export.SCHEMAS["fact"], "facts": items}
    assert sorted(path.relative_to(out).as_posix() for path in (out / "facts").glob("*.json")) == sorted(files)


def test_the_generated_fact_sets_use_what_must_round_trip() -> None:
    """The strategy is not idle: its examples hold referents, quantities, quoted statements,
    corrections and several citations (else the property above proves little)."""
    seen: set[str] = set()

    @settings(SETTINGS, max_examples=40)
    @given(fact_set=fact_sets())
    def look(fact_set: FactSet) -> None:
        for item in (item for items in fact_set[0].values() for item in items):
            seen.update(key for key in ("quantity", "text", "corrections", "qualifiers") if key in item)
            seen.update("referents" for citation in item["citations"] if "referents" in citation)
            seen.update(["several citations"] if len(item["citations"]) > 1 else [])

    look()
    assert seen == {"quantity", "text", "corrections", "qualifiers", "referents", "several citations"}


def test_quantity_bounds_and_referents_survive_the_roundtrip(tmp_path: Path) -> None:
    predicate = next(PREDICATES[name] for name in USABLE_PREDICATES if PREDICATES[name].value == "quantity")
    subject = next(entity_id for kind in predicate.subject_types for entity_id in BY_TYPE.get(kind, []))
    item: dict[str, Any] = {"id": "bounded", "subject": subject, "predicate": predicate.id}
    quote = f"Reported: {names_of(subject)[0]}, {FILLER}, amounting to 5"
    citation: dict[str, Any] = {"source": GENERATED_SOURCES[0], "quote": quote}
    context = []
    if predicate.object_types:
        item["object"] = next(entity_id for kind in predicate.object_types for entity_id in BY_TYPE.get(kind, []))
        citation["referents"] = [{"entity": item["object"], "words": "they", "context": names_of(item["object"])[0]}]
        context.append(names_of(item["object"])[0])
    quantity = {"amount": 5, "unit": "USD", "lower": 4, "upper": 6}
    item |= {"quantity": quantity, "citations": [citation]}
    root = corpus_with(tmp_path / "corpus", {"facts/bounded.json": [item]}, {GENERATED_SOURCES[0]: [quote, *context]})
    pipeline.run(root, tmp_path / "facts.db", jobs=1)
    export.export(tmp_path / "facts.db", tmp_path / "export")
    written = json.loads((tmp_path / "export" / "facts" / "bounded.json").read_text(encoding="utf-8"))
    assert written["facts"][0]["quantity"] == quantity
    assert written["facts"][0]["citations"] == [citation]


# --- The real project: a property of the live data, whatever it holds -------------------------


@pytest.fixture(scope="module")
def exported(live_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export") / "project"
    result = run_build("export", folder, "--database", live_database)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return folder


def _sorted_qualifiers(document: dict[str, Any]) -> dict[str, Any]:
    for item in document["facts"]:
        if "qualifiers" in item:
            item["qualifiers"] = dict(sorted(item["qualifiers"].items()))
    return document


def test_the_real_fact_files_come_back_unchanged(exported: Path) -> None:
    originals = sorted((PROJECT / "facts").glob("*.json"))
    assert sorted(path.name for path in (exported / "facts").glob("*.json")) == [path.name for path in originals]
    for path in originals:
        original = json.loads(path.read_text(encoding="utf-8"))
        written = json.loads((exported / "facts" / path.name).read_text(encoding="utf-8"))
        assert written == original, path.name  # (94500000.0 and 94500000 are one number, as JSON says)
        assert formatting.canonical(written, FactFile) == formatting.canonical(
            _integral(_sorted_qualifiers(original)), FactFile
        )


def _integral(value: Any) -> Any:
    """A document with its whole numbers written as integers (94500000.0 as 94500000), as export
    writes them: a valid file may write either, and the round trip keeps the number."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return int(value)
    if isinstance(value, list):
        return [_integral(item) for item in value]
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    return value


def test_the_real_sources_and_entities_come_back_unchanged(exported: Path) -> None:
    for path in sorted((PROJECT / "sources").glob("*")):
        copy = exported / "sources" / path.name
        if path.suffix == ".txt":
            assert copy.read_bytes() == path.read_bytes(), path.name
        else:  # what the record says: an empty list or a null written out is the same as one left out
            assert _said(Source, copy) == _said(Source, path), path.name
    assert sorted(path.name for path in (exported / "sources").iterdir()) == sorted(
        path.name for path in (PROJECT / "sources").iterdir()
    )

    def by_id(folder: Path) -> dict[str, Any]:
        files = folder.glob("*.json")
        return {
            entity["id"]: Entity.model_validate(entity).model_dump(exclude_defaults=True)
            for path in files
            for entity in json.loads(path.read_text())["entities"]
        }

    assert by_id(exported / "facts" / "entities") == by_id(PROJECT / "facts" / "entities")


def _said(model: type[BaseModel], path: Path) -> dict[str, Any]:
    return model.model_validate_json(path.read_bytes()).model_dump(exclude_defaults=True)


def _tables(path: Path) -> dict[str, list[tuple]]:
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            name: sorted(map(repr, connection.execute(f'SELECT * FROM "{name}"')))
            for name in names
            if name not in {"build_info", "fact_change"}  # the export is not a git checkout: no history
        }


def test_a_build_of_the_export_has_the_same_tables(exported: Path, live_database: Path, tmp_path: Path) -> None:
    rebuilt = tmp_path / "rebuilt.db"
    result = run_build("build", "--root", exported, "--output", rebuilt)
    assert result.returncode == 0, result.stderr
    assert _tables(rebuilt) == _tables(live_database)


def test_the_export_refuses_unsafe_or_missing_input(built_database: Path, tmp_path: Path) -> None:
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    result = run_build("export", occupied, "--database", built_database)
    assert (result.returncode, result.lines) == (
        2,
        [f"build.py: error: {occupied} is not an empty folder: export into a new or empty one"],
    )
    assert [path.name for path in occupied.iterdir()] == ["keep.txt"]

    hostile = tmp_path / "hostile.db"
    shutil.copy(built_database, hostile)
    with contextlib.closing(sqlite3.connect(hostile)) as connection, connection:
        connection.execute("UPDATE fact SET file = '../../outside.json' WHERE rowid = 1")
    result = run_build("export", tmp_path / "out", "--database", hostile)
    assert result.returncode == 2
    assert result.lines[0].startswith("build.py: error: fact ")
    assert result.lines[0].endswith("has file '../../outside.json', which is not facts/<name>.json")
    assert not (tmp_path / "out").exists() and not (tmp_path.parent / "outside.json").exists()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []  # no staging left

    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("hello")
    result = run_build("export", tmp_path / "out", "--database", not_a_database)
    assert (result.returncode, result.lines) == (
        2,
        [f"build.py: error: cannot read {not_a_database}: file is not a database"],
    )


# --- Nothing raises but DataError --------------------------------------------------------------

REAL_FILES = {  # real files, frozen in the tests' fixture
    "fact": (FROZEN / "facts" / "vov-2018-quang-japan.json").read_bytes(),
    "entity": (FROZEN / "facts" / "entities" / "people.json").read_bytes(),
    "source": (FROZEN / "sources" / "vov-2018-quang-japan.json").read_bytes(),
}
MODELS = {"fact": FactFile, "entity": EntityFile, "source": Source}


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """A real file with a few random edits: bytes deleted, inserted, replaced or repeated."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["delete", "insert", "replace", "repeat"]))
        size = draw(st.integers(1, 40))
        if edit == "delete":
            del data[at : at + size]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=size))
        elif edit == "replace":
            data[at : at + size] = draw(st.binary(min_size=1, max_size=size))
        else:
            data[at:at] = data[at : at + size]
    return bytes(data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
FACT_FIELDS = st.sampled_from([*Fact.model_fields, "citatons", "$schema", ""])
FACT_LIKE = st.dictionaries(FACT_FIELDS, JSON_VALUES, max_size=8).map(lambda item: json.dumps({"facts": [item]}))

ANY_BYTES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(sorted(REAL_FILES)).flatmap(lambda kind: mutated(REAL_FILES[kind])),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    FACT_LIKE.map(str.encode),
)


@settings(SETTINGS, max_examples=300)
@given(data=ANY_BYTES, kind=st.sampled_from(sorted(MODELS)))
def test_the_loader_never_raises(tmp_path_factory: pytest.TempPathFactory, data: bytes, kind: str) -> None:
    root = tmp_path_factory.getbasetemp() / "loader"
    path = root / "facts" / "file.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    loaded = load_model(path, root, MODELS[kind])
    assert loaded.model is not None or loaded.report.problems
    for problem in loaded.report.problems:
        assert "\n" not in str(problem)


@settings(SETTINGS, max_examples=25)
@given(data=st.lists(ANY_BYTES, min_size=3, max_size=3), kind=st.sampled_from(["fact", "entity", "source"]))
def test_the_pipeline_and_the_command_line_raise_nothing_but_data_errors(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], data: list[bytes], kind: str
) -> None:
    root = tmp_path_factory.mktemp("fuzz") / "corpus"
    shutil.copytree(FROZEN / "sources", root / "sources")
    shutil.copytree(FROZEN / "facts" / "entities", root / "facts" / "entities")
    folder = {"fact": root / "facts", "entity": root / "facts" / "entities", "source": root / "sources"}[kind]
    for number, content in enumerate(data):
        (folder / f"fuzz-{number}.json").write_bytes(content)
    with contextlib.suppress(DataError):
        pipeline.run(root, None, jobs=1)
    code = cli.main(["build", "--root", str(root), "--output", str(root / "out.db"), "--jobs", "1"])
    assert code in (0, 1)
    assert "Traceback" not in capsys.readouterr().err


def test_the_real_command_line_on_many_mutated_files_never_shows_a_traceback(corpus: Path) -> None:
    """One run of `python build.py check` as a user runs it, over forty mutated real files."""

    @settings(SETTINGS, max_examples=1)
    @given(
        st.lists(
            st.sampled_from(sorted(REAL_FILES)).flatmap(lambda k: mutated(REAL_FILES[k]).map(lambda b: (k, b))),
            min_size=40,
            max_size=40,
        )
    )
    def write(items: list[tuple[str, bytes]]) -> None:
        for number, (kind, content) in enumerate(items):
            folder = {"fact": corpus / "facts", "entity": corpus / "facts" / "entities", "source": corpus / "sources"}
            (folder[kind] / f"mutated-{number}.json").write_bytes(content)

    write()
    result = run_build("check", "--root", corpus)
    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stderr
    *problems, summary = result.lines
    assert re.fullmatch(r"(checked .*: )?\d+ error\(s\), \d+ warning\(s\)", summary)
    assert all(re.match(r"[^:]+:\d+:\d+: ", line) for line in problems), result.stderr
