"""Drafting: the facts an archived source proposes, for a contributor to review.

`python build.py draft SOURCE_ID` reads the archived text (less its excluded passages)
sentence by sentence with the evidence engine (factdb/evidence.py), the same one the
checks use, and proposes a fact where a predicate's trigger words meet entities of the
types it takes (factdb/drafting/roles.py): the subject is the first actor named in the claim
that holds the trigger (after "Chinh said", "according to ...", ", where"), or its teller
when the claim names no one; the object the first entity of an allowed type after it (the
person, not the country, of "Russian President V. Putin"), and each listed with it ("both A
and B"), or the one whose it is ("Vietnam's biggest donor"); "the meeting between A and B" is
the two's, titles and all. Where the sentence says "the two leaders", "both sides", "they" or "he" instead, the pair
the sentence or one of the last two names (else, but for "they", the pair named together
most) or the article's main actor stands in; "the Vietnamese leader" or "the PM" stands for
the person of that country (of any) named most, and a capital for its country ("Hanoi" for
Vietnam) where a role takes a country, each with a referent. A visit to the visitor's own
country is none (a leader back home). A stance is also that of the actor its claim opens
with ("Chinh said Vietnam attaches ..."), and one said by a title no name resolves (", the Party
General Secretary said") the article's main person's. The quote is the whole sentence, so whatever is
proposed is grounded by construction; dates are read from the sentence or resolved against
the publication date ("on Thursday", "last November", "this year", "on May 29"; a date after
publication is a goal's, not that of what happened, and what someone said is no plan whatever it
says); a text is what follows the trigger's words ("a shared intention to raise ties": "to raise
ties"); quantities are the number in the unit the predicate takes (not a date's, a rank's or "the
two leaders'"), with their unit.

Names the registry lacks are proposed as draft entities (factdb/drafting/names.py), and the
offices that titles before people's names name (factdb/drafting/offices.py), so that drafting
again, once a contributor has reviewed them, proposes the facts that name them.

Every proposed fact carries `"draft": "<why it was proposed>"`, which `check` refuses: a
contributor reviews the fact, corrects it and deletes the marker. Nothing is published
unreviewed.

Rules, not a statistical model: the sentences of news on diplomacy are formulaic, and a
rule says why it fired, which is what a reviewer needs (the marker quotes it).

One further library, lemminflect, for one question a rule cannot answer alone: whether a word
after a comma is a verb in its plain form, where a list of actions goes on (its lexicon, not a
model). Otherwise none: names are found by the evidence engine, the matcher `check` grounds
facts with (spaCy's EntityRuler and Matcher would be a second matcher that could disagree
with it, and its tokenizer a second idea of a word); sentences are the coverage report's,
so a drafted quote is a sentence `coverage` counts. The relative dates are a handful of
forms resolved to the precision the publication date allows ("in July": a month, not the
day dateparser would fill in), and names are matched exactly, folded, so no fuzzy matcher.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factdb.drafting.facts import draft
from factdb.drafting.roles import SYMMETRIC
from factdb.drafting.values import draft_date
from factdb.formatting import canonical
from factdb.loading import Layout, iter_entity_files, load_source, read_json
from factdb.validation import Registry, add_entities
from schema.models import EntityFile, FactFile

__all__ = ["SYMMETRIC", "DraftError", "draft", "draft_date", "draft_file"]


# --- The command ---------------------------------------------------------------------------


class DraftError(Exception):
    """Why a source cannot be drafted (unknown, or its record or text unusable)."""


def draft_file(root: Path, source_id: str, output: Path | None) -> tuple[Path, int]:
    """Draft the source's facts into `output` (default facts/SOURCE_ID.json), after the facts
    already there, which are kept as they are; a drafted fact saying what one there says (same
    predicate, subject and object) is left out. Returns the file and how many were added."""
    layout = Layout(root)
    record_path = layout.sources / f"{source_id}.json"
    if not record_path.exists():
        known = ", ".join(path.stem for path in layout.source_records())
        raise DraftError(f"unknown source {source_id!r} (sources: {known})")
    loaded = load_source(record_path, root)
    if loaded.record is None:
        problems = "; ".join(problem.message for problem in loaded.report.problems)
        raise DraftError(f"sources/{source_id}.json cannot be used: {problems} (run `python build.py check`)")
    registry = Registry(layout)
    registry.add_source(loaded.record)
    add_entities(registry, list(iter_entity_files(root)))
    # Proposed entities still awaiting review are not names to draft facts with.
    registry.entities = {key: entity for key, entity in registry.entities.items() if entity.draft is None}
    target = output or layout.facts / f"{source_id}.json"
    document: dict[str, Any] = {"$schema": "../schema/facts.schema.json", "facts": []}
    if target.exists():
        existing, report = read_json(target, root)
        if not isinstance(existing, dict) or not isinstance(existing.get("facts"), list):
            raise DraftError(f"{target}: cannot add to it ({'; '.join(p.message for p in report.problems)})")
        document = existing
    said = {(fact.get("predicate"), fact.get("subject"), fact.get("object")) for fact in document["facts"]}
    taken = {fact.get("id") for fact in document["facts"]} | _fact_ids(root)
    published = registry.published.get(source_id)
    drafted = draft(registry, source_id, published, taken)
    added = [fact for fact in drafted.facts if (fact["predicate"], fact["subject"], fact.get("object")) not in said]
    document["facts"] = [*document["facts"], *added]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(canonical(document, FactFile), encoding="utf-8")
    _write_entities(root, source_id, drafted.entities)
    return target, len(added)


def _write_entities(root: Path, source_id: str, proposed: dict[str, dict[str, Any]]) -> Path | None:
    """The names the registry lacks, as draft entries of facts/entities/draft-SOURCE_ID.json (kept
    apart so that a reviewer moves each, once checked, to the file of its type)."""
    path = Layout(root).entities / f"draft-{source_id}.json"
    document: dict[str, Any] = {"$schema": "../../schema/entities.schema.json", "entities": []}
    if path.exists():
        existing, _ = read_json(path, root)
        if isinstance(existing, dict) and isinstance(existing.get("entities"), list):
            document = existing
    known = {entity.get("id") for entity in document["entities"] if isinstance(entity, dict)}
    new = [entity for entity_id, entity in proposed.items() if entity_id not in known]
    if not new:
        return None
    document["entities"] = [*document["entities"], *new]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(canonical(document, EntityFile), encoding="utf-8")
    return path


def _fact_ids(root: Path) -> set[str]:
    """Every fact id of the project (a drafted id must be new everywhere)."""
    ids: set[str] = set()
    for path in Layout(root).fact_files():
        document, _ = read_json(path, root)
        if isinstance(document, dict) and isinstance(document.get("facts"), list):
            ids |= {
                fact["id"] for fact in document["facts"] if isinstance(fact, dict) and isinstance(fact.get("id"), str)
            }
    return ids
