"""Grounding: the rules that a fact's quotes carry the fact, not only that they exist.

A quote proves a fact only if it says it: each entity the fact names (subject, object,
place, attributed_to) is named in a cited quote, or the quote refers to it ("the two
leaders", "he") and the citation says so with a referent whose context passage, from the
same source, names it; a quoted statement's words occur in a quote; a quantity's number is
written in a quote; a date the quotes state agrees with the fact's; an `actual` fact does
not start after its source was published; a correction mends words the fact's own quotes
contain. Where a rule fails, the message says how to write a legitimate fact of that shape.

The evidence (which words name whom) is found by factdb/evidence.py and published as the
`grounding` table.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, NamedTuple

from factdb.evidence import find_number, referring_words, stated_dates, words_occur_in
from factdb.problems import FileProblems, Loc
from factdb.quotes import NormalisedText, find_quote, normalise
from schema.dates import DateBounds
from schema.models import Citation, Fact
from schema.vocabulary import PREDICATES

if TYPE_CHECKING:  # the registry imports this module's rules
    from factdb.validation import Registry, ResolvedCitation

# The fields of a fact that name an entity.
ENTITY_ROLES = ("subject", "object", "place", "attributed_to")


class Grounded(NamedTuple):
    """Where a fact's entity is named in its evidence: a row of the grounding table."""

    role: str
    entity_id: str
    source: str
    words: str  # the source's words, as archived
    start: int  # character offsets of the words in the archived text
    end: int
    how: str  # name, alias or referent
    context: str | None  # for a referent: the passage that names the entity


def ground(
    fact: Fact,
    bounds: DateBounds | None,
    citations: list[ResolvedCitation],
    registry: Registry,
    loc: Loc,
    report: FileProblems,
) -> list[Grounded]:
    """Check that the quotes carry the fact; return where each of its entities is named.

    `citations` are the fact's citations that were found in their sources (the others are
    reported already, and a fact with any is not published). A deprecated fact is kept because
    it was found wrong or unsupported: where its quotes name its entities is still recorded, but
    what they fail to carry is not an error (its deprecation_reason says why)."""
    if len(citations) != len(fact.citations):
        return []
    if fact.rank == "deprecated":
        report = FileProblems(report.path, report.text)  # what it finds is set aside
    grounded = [
        found
        for role in ENTITY_ROLES
        if (found := _ground_role(fact, role, citations, registry, loc, report)) is not None
    ]
    _check_referents_belong(fact, loc, report)
    quotes = [citation.quote for citation in fact.citations]
    _check_text(fact, quotes, loc, report)
    _check_quantity(fact, quotes, loc, report)
    _check_date(fact, bounds, quotes, registry, loc, report)
    _check_corrections(fact, loc, report)
    return grounded


def _ground_role(
    fact: Fact, role: str, citations: list[ResolvedCitation], registry: Registry, loc: Loc, report: FileProblems
) -> Grounded | None:
    entity_id = getattr(fact, role)
    if entity_id is None or entity_id not in registry.entities:
        return None  # no entity, or an unknown one (reported by the reference checks)
    names = registry.names
    for citation in citations:
        text = registry.text(citation.source)
        for span in citation.spans:
            mention = names.find(entity_id, text[span.start : span.end], source=citation.source)
            if mention is not None:
                start, end = span.start + mention.start, span.start + mention.end
                return Grounded(role, entity_id, citation.source, mention.words, start, end, mention.how, None)
    for citation in citations:
        # A text not in NFC maps a quote to offsets only approximately (quotes.NormalisedText),
        # and a name at the quote's edge may fall outside them: the quote's own words decide,
        # and the offsets stay approximate, as the citation's are.
        mention = names.find(entity_id, citation.quote, source=citation.source)
        if mention is not None:
            start = min(citation.spans[0].start + mention.start, citation.spans[-1].end)
            end = min(start + len(mention.words), citation.spans[-1].end)
            return Grounded(role, entity_id, citation.source, mention.words, start, end, mention.how, None)
    referred = False
    for index, resolved in enumerate(citations):  # all of the fact's citations (see ground)
        for number, referent in enumerate(resolved.referents):
            if referent.entity == entity_id:
                referred = True
                here = (*loc, "citations", index, "referents", number)
                found = _check_referent(referent.words, referent.context, entity_id, resolved, registry, here, report)
                if found is not None:
                    start, end, context = found
                    text = registry.text(resolved.source)
                    return Grounded(role, entity_id, resolved.source, text[start:end], start, end, "referent", context)
    if not referred:
        report.add((*loc, role), _not_named(fact, role, entity_id, citations[0], fact.citations[0], registry))
    return None


def _check_referent(
    words: str,
    context: str,
    entity_id: str,
    citation: ResolvedCitation,
    registry: Registry,
    here: Loc,
    report: FileProblems,
) -> tuple[int, int, str] | None:
    """Where the referring words lie in the source, and the context passage, if both hold."""
    text = registry.text(citation.source)
    located = None
    for span in citation.spans:
        piece = NormalisedText(text[span.start : span.end])
        found = find_quote(words, piece)
        if found is not None:
            located = (span.start + found[0].start, span.start + found[-1].end)
            break
    if located is None:
        report.add((*here, "words"), f"{words!r} does not occur in the quote: copy the referring words from it")
    prepared = registry.prepared(citation.source)
    spans = find_quote(context, prepared.text, prepared.furniture)
    name = registry.entities[entity_id].name
    if spans is None:
        report.add((*here, "context"), f"the context passage does not occur in source {citation.source!r}")
        return None
    if not any(registry.names.find(entity_id, text[span.start : span.end], source=citation.source) for span in spans):
        report.add(
            (*here, "context"),
            f"the context passage does not name {entity_id!r} ({name}) by its name or an alias: quote a passage "
            "that does, or add the name the source uses as an alias in facts/entities/",
        )
        return None
    if located is None:
        return None
    return (*located, " ".join(text[spans[0].start : spans[-1].end].split()))


def _not_named(
    fact: Fact, role: str, entity_id: str, resolved: ResolvedCitation, citation: Citation, registry: Registry
) -> str:
    """Why an entity is not grounded, where the source does name it, and the referent to add."""
    name = registry.entities[entity_id].name
    message = f"fact {fact.id!r}: its {role} {entity_id!r} ({name}) is not named in any of its quotes"
    text = registry.text(resolved.source)
    at = resolved.spans[0].start
    mentions = list(registry.names.find_all(entity_id, text, source=resolved.source))
    if not mentions:
        return (
            f"{message}, nor anywhere in source {resolved.source!r}: cite a passage that names it, or add the "
            "name the source uses as an alias in facts/entities/"
        )
    nearest = min(mentions, key=lambda mention: abs(mention.start - at))
    context = _sentence_around(text, nearest.start, nearest.end)
    referring = referring_words(citation.quote)
    referent = {
        "entity": entity_id,
        "words": referring[0][2] if referring else "<the words of the quote that stand for it>",
        "context": context,
    }
    line = text.count("\n", 0, nearest.start) + 1
    return (
        f"{message}; the source names it as {nearest.words!r} at line {line} of its text. Quote the words that "
        f'name it, or add to citations[0] a referent: "referents": [{json.dumps(referent, ensure_ascii=False)}]'
    )


_SENTENCE_END = re.compile(r"[.!?][\"'”’]?\s|\n")


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], on one line; a long one cut to whole words within
    about 150 characters either side of the words, so that it still holds them."""
    before = [match.end() for match in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    first, last = before[-1] if before else 0, after.start() + 1 if after else len(text)
    if last - first > 300:
        first, last = max(first, start - 150), min(last, end + 150)
        while 0 < first < start and not text[first - 1].isspace():
            first += 1  # start on a word
        while end < last < len(text) and not text[last].isspace():
            last -= 1  # end on a word
    return " ".join(text[first:last].split())


def _check_referents_belong(fact: Fact, loc: Loc, report: FileProblems) -> None:
    named = {getattr(fact, role) for role in ENTITY_ROLES} - {None}
    for index, citation in enumerate(fact.citations):
        for number, referent in enumerate(citation.referents):
            if referent.entity not in named:
                report.add(
                    (*loc, "citations", index, "referents", number, "entity"),
                    f"{referent.entity!r} is not one of this fact's entities ({', '.join(sorted(named))}): "
                    "a referent says whom the quote means by one of them",
                )


def _check_text(fact: Fact, quotes: list[str], loc: Loc, report: FileProblems) -> None:
    predicate = PREDICATES.get(fact.predicate)
    if predicate is None or not predicate.text_is_quoted or fact.text is None:
        return
    if not words_occur_in(fact.text, quotes):
        report.add(
            (*loc, "text"),
            f"fact {fact.id!r}: the text of {fact.predicate!r} is the speaker's own words, and they do not occur "
            "in its quotes: copy them from a quote ('…' may leave words out), or use position_on for a paraphrase",
        )


def _check_quantity(fact: Fact, quotes: list[str], loc: Loc, report: FileProblems) -> None:
    quantity = fact.quantity
    if quantity is None:
        return
    values = [value for value in (quantity.amount, quantity.lower, quantity.upper) if value is not None]
    if not any(find_number(values, quote) for quote in quotes):
        report.add(
            (*loc, "quantity", "amount"),
            f"fact {fact.id!r}: no quote states {quantity.amount:g} (in figures, as 3.5 billion, 3,500,000,000 or "
            "$500,000, or in words): cite the words that give the number, or correct the amount",
        )


def _check_date(
    fact: Fact, bounds: DateBounds | None, quotes: list[str], registry: Registry, loc: Loc, report: FileProblems
) -> None:
    if fact.date is None or bounds is None:
        return
    if fact.modality == "actual" and bounds.start is not None:
        for source in sorted({citation.source for citation in fact.citations}):
            published = registry.published.get(source)
            if published is not None and published.end is not None and bounds.start > published.end:
                report.add(
                    (*loc, "date"),
                    f"fact {fact.id!r} is 'actual' but starts on {bounds.start}, after source {source!r} was "
                    f"published (by {published.end}): a source reports only what has happened by then; make it "
                    "'planned' or 'expected' if the source announces it, or correct the date",
                )
                return
    if fact.date_reasoning is not None:
        return
    stated = [mention for quote in quotes for mention in stated_dates(quote)]
    if stated and not any(_overlap(mention.bounds, bounds) for mention in stated):
        said = ", ".join(repr(mention.words) for mention in stated[:3])
        report.add(
            (*loc, "date"),
            f"fact {fact.id!r}: its quotes state {said}, which does not agree with its date {fact.date!r}: correct "
            "the date, or add date_reasoning saying why the quoted date is not the fact's",
        )
    elif not stated:  # someone resolved the date: ask them to say how
        report.add(
            (*loc, "date"),
            f"fact {fact.id!r}: its quotes never state the date {fact.date!r}: add date_reasoning saying how it "
            "was resolved",
            "warning",
        )


def _overlap(first: DateBounds, second: DateBounds) -> bool:
    return (first.start is None or second.end is None or first.start <= second.end) and (
        second.start is None or first.end is None or second.start <= first.end
    )


def _check_corrections(fact: Fact, loc: Loc, report: FileProblems) -> None:
    for index, correction in enumerate(fact.corrections):
        quotes = [citation.quote for citation in fact.citations if citation.source == correction.source]
        if quotes and not any(find_quote(correction.source_says, NormalisedText(normalise(quote))) for quote in quotes):
            report.add(
                (*loc, "corrections", index, "source_says"),
                f"fact {fact.id!r}: {correction.source_says!r} does not occur in its quotes of "
                f"{correction.source!r}: a correction mends words the fact cites; cite the passage that has them",
            )
