"""The vocabulary in words: `python build.py vocabulary [PREDICATE]` and docs/vocabulary.md.

Both are rendered here from the models (schema/vocabulary.py for predicates and qualifiers,
schema/models.py for the fields and the alias kinds), so that what a contributor reads is
what the checks enforce. `python build.py generate` writes the document and a test fails
when the committed copy differs.
"""

from __future__ import annotations

import json
from typing import get_args

from factdb.evidence import DERIVED_ASCII, DERIVED_COUNTRY_TITLE, DERIVED_INITIAL
from factdb.naming import entity_file
from schema.models import Alias, Fact, Quantity
from schema.vocabulary import ENTITY_TYPES, PREDICATES, QUALIFIERS, Predicate

# What each kind of schema.models.Alias means (the model lists the kinds; document() checks that
# this says what every one of them means), then the kind the build derives itself.
ALIAS_KINDS = {
    "short_name": "A shorter form of the name: 'Abe' for Shinzo Abe.",
    "other_name_order": "The same name in another order: 'Kishida Fumio' for Fumio Kishida.",
    "other_spelling": "Another accepted spelling or transliteration of the name.",
    "other_name": "Another name the entity goes by.",
    "misspelling_in_source": "A misspelling a source prints ('Shizo Abe'); `source` names that source.",
    "abbreviation": "Initials or an acronym: 'CPV' for the Communist Party of Vietnam.",
    "title_and_name": "The name with a title, as sources write it: 'President Putin'.",
    "former_name": "A name the entity had before.",
    "demonym": "The adjective or people of a country ('Japanese' for Japan): a quote naming it names the country.",
}
DERIVED_ALIAS_KINDS = {
    DERIVED_ASCII: "Added by the build, never written in a file: the canonical name without its diacritics "
    "(Nguyen Phu Trong for Nguyễn Phú Trọng), so that a search typed in ASCII finds the entity.",
    DERIVED_COUNTRY_TITLE: "Added by the build, never written in a file: an office named by a title, 'of' and its "
    "country (Prime Minister of Japan) as news also names it: 'Japan's Prime Minister', and 'Japanese Prime "
    "Minister' with each demonym of the country.",
    DERIVED_INITIAL: "Added by the build, never written in a file: a person's initial and last name "
    "('V. Putin' for Vladimir Putin), as news agencies write it.",
}


def _types(types: tuple[str, ...]) -> str:
    return ", ".join(types)


def _carries(predicate: Predicate) -> str:
    """What the fact holds besides its entities, in words drawn from the models' field descriptions."""
    if predicate.value == "quantity":
        return f"a `quantity` ({', '.join(Quantity.model_fields)})"
    if predicate.value == "text":
        text = f"a `text`: {Fact.model_fields['text'].description}"
        quoted = Predicate.model_fields["text_is_quoted"].description
        return f"{text} {quoted}" if predicate.text_is_quoted else text
    return "nothing more"


def _example(predicate: Predicate) -> str:
    """The predicate's example as a fact file writes it, its keys in the order of the Fact model."""
    fields = {**predicate.example, "predicate": predicate.id}
    return json.dumps({key: fields[key] for key in Fact.model_fields if key in fields}, ensure_ascii=False)


def predicate_section(predicate: Predicate) -> str:
    """One predicate in full: what it means, the shape of its facts, its qualifiers, an example."""
    lines = [
        f"### {predicate.id}",
        "",
        predicate.description,
        "",
        f"- reads: {predicate.template}",
        f"- subject: {_types(predicate.subject_types)}",
        f"- object: {_types(predicate.object_types) or 'none'}",
        f"- carries: {_carries(predicate)}",
        f"- qualifiers:{'' if predicate.qualifiers else ' none'}",
    ]
    for name in predicate.qualifiers:
        qualifier = QUALIFIERS[name]
        value = f"an entity id: {_types(qualifier.entity_types)}" if qualifier.entity_types else "free text"
        lines.append(f"  - `{name}` ({value}): {qualifier.description}")
    if predicate.triggers:
        lines.append(f"- drafted where a sentence says: {', '.join(repr(word) for word in predicate.triggers)}")
        if predicate.received_triggers:
            received = ", ".join(repr(word) for word in predicate.received_triggers)
            lines.append(
                f"- drafted the other way round (object first, subject after 'from') where it says: {received}"
            )
    lines += ["- example:", "", "  ```json", f"  {_example(predicate)}", "  ```", ""]
    return "\n".join(lines)


def document() -> str:
    """docs/vocabulary.md: which predicate to use, each in full, the entity types and alias kinds."""
    kinds = set(get_args(Alias.model_fields["kind"].annotation))
    if kinds != ALIAS_KINDS.keys():
        raise ValueError(f"factdb/glossary.py ALIAS_KINDS must say what each alias kind means: {sorted(kinds)}")
    lines = [
        "# The vocabulary: which predicate?",
        "",
        "<!-- Generated from schema/vocabulary.py and schema/models.py by `python build.py generate`: "
        "edit those, not this file. -->",
        "",
        "Every fact has one predicate. Find the relation your quote states in the table, then read its",
        "section: the entity types its subject and object take, what else it carries, its qualifiers",
        "and an example. `python build.py vocabulary PREDICATE` prints one section in the terminal.",
        "",
        "| predicate | meaning | subject | object | carries |",
        "| --- | --- | --- | --- | --- |",
    ]
    for predicate in PREDICATES.values():
        carries = f"{predicate.value}{' (quoted words)' if predicate.text_is_quoted else ''}"
        lines.append(
            f"| [{predicate.id}](#{predicate.id}) | {predicate.description} | {_types(predicate.subject_types)} "
            f"| {_types(predicate.object_types) or '-'} | {carries if predicate.value else '-'} |"
        )
    lines += ["", "## Predicates", ""]
    lines += [predicate_section(predicate) for predicate in PREDICATES.values()]
    lines += ["## Entity types", "", "An entity id is its type, a colon and a slug (`person:shinzo-abe`).", ""]
    lines += ["| type | defined in |", "| --- | --- |"]
    lines += [f"| {entity_type} | `{entity_file(entity_type)}` |" for entity_type in ENTITY_TYPES]
    lines += ["", "## Alias kinds", "", "| kind | meaning |", "| --- | --- |"]
    lines += [f"| `{kind}` | {meaning} |" for kind, meaning in (ALIAS_KINDS | DERIVED_ALIAS_KINDS).items()]
    return "\n".join(lines) + "\n"
