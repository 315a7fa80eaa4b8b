"""`python build.py vocabulary` and docs/vocabulary.md: the vocabulary as the models define it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest

from conftest import PROJECT, run_build
from factdb import publishing
from schema.models import Alias, Fact
from schema.vocabulary import PREDICATES, QUALIFIERS, Predicate


def test_the_listing_names_every_predicate_with_its_shape_and_every_alias_kind() -> None:
    result = run_build("vocabulary")

    assert result.returncode == 0, result.stderr
    for predicate in PREDICATES.values():
        assert f"### {predicate.id}\n\n{predicate.description}\n" in result.stdout
        assert f"- subject: {', '.join(predicate.subject_types)}\n" in result.stdout
    for kind in get_args(Alias.model_fields["kind"].annotation):
        assert f"| `{kind}` |" in result.stdout
    assert "| `ascii_form` | Added by the build" in result.stdout


def test_one_predicate_in_full_says_its_text_must_be_quoted_and_what_its_qualifiers_take() -> None:
    result = run_build("vocabulary", "stated")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("### stated\n")
    assert "### position_on" not in result.stdout
    assert "they must occur in a cited quote" in result.stdout
    audience = QUALIFIERS["audience"]
    assert f"  - `audience` (an entity id: {', '.join(audience.entity_types)}): {audience.description}" in (
        result.stdout
    )
    example = json.loads(result.stdout.split("```json\n")[1].split("```")[0])
    assert example["predicate"] == "stated"
    assert example["text"] == PREDICATES["stated"].example["text"]


def test_a_predicate_without_a_value_or_qualifiers_says_so() -> None:
    result = run_build("vocabulary", "took_effect")

    assert "- carries: nothing more\n- qualifiers: none\n" in result.stdout
    assert "- object: none\n" in result.stdout


def test_an_unknown_predicate_is_a_usage_error_with_the_close_one() -> None:
    result = run_build("vocabulary", "visitd")

    assert result.returncode == 2
    assert result.stdout == ""
    assert "unknown predicate 'visitd'; did you mean 'visited'?" in result.stderr


def test_generate_into_a_new_folder_reproduces_the_committed_docs(tmp_path: Path) -> None:
    result = run_build("generate", "--root", tmp_path)

    assert result.returncode == 0, result.stderr
    for path in publishing.generated_files():
        relative = path.relative_to(publishing.PROJECT)
        committed = (PROJECT / relative).read_text(encoding="utf-8")
        assert (tmp_path / relative).read_text(encoding="utf-8") == committed, (
            f"{relative} is stale: run `python build.py generate`"
        )
    assert (tmp_path / "docs" / "vocabulary.md").read_text(encoding="utf-8") == run_build("vocabulary").stdout


def test_the_readme_and_contributing_guide_link_the_vocabulary() -> None:
    for guide in ("README.md", "CONTRIBUTING.md"):
        assert "(docs/vocabulary.md)" in (PROJECT / guide).read_text(encoding="utf-8"), guide


@pytest.mark.parametrize("predicate", PREDICATES.values(), ids=lambda predicate: predicate.id)
def test_each_example_is_a_fact_its_predicate_accepts(predicate: Predicate) -> None:
    """The example's fields are a Fact's, and have the shape the checks require of the predicate."""
    example = predicate.example
    Fact.model_validate(
        {**example, "id": "example", "predicate": predicate.id, "citations": [{"source": "s", "quote": "two words"}]}
    )

    def type_of(entity_id: str) -> str:
        return entity_id.partition(":")[0]

    assert type_of(example["subject"]) in predicate.subject_types
    if predicate.object_types:
        assert type_of(example["object"]) in predicate.object_types
    else:
        assert "object" not in example
    assert {"quantity", "text"} & example.keys() == ({predicate.value} if predicate.value else set())
    for name, value in example.get("qualifiers", {}).items():
        assert name in predicate.qualifiers
        if QUALIFIERS[name].entity_types:
            assert type_of(value) in QUALIFIERS[name].entity_types
