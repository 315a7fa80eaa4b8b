"""How completely each source is covered by facts, sentence by sentence.

Each archived text is split into sentences. A sentence is `cited` when a
citation's quote overlaps it; `excluded` when what is left of it outside the
source record's excluded passages holds no letters (a photo credit, a
sidebar, or a sentence recorded as carrying no checkable claim); otherwise it
is `uncovered`: a claim of the article that no fact holds yet.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import sqlite3
from dataclasses import dataclass
from typing import NamedTuple

from factdb import tables
from factdb.quotes import Span
from factdb.tables import as_row, as_values, insert_values
from factdb.validation import Registry

# A sentence ends at . ! ? or … (with closing quotes or brackets) before white space
# and a capital, a digit or an opening quote; line breaks always end one.
_BOUNDARY = re.compile(r"[.!?…][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
# Titles and military ranks too: "Defence Minister Sen. Lieut. Gen Phan Van Giang".
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|No|Jan|Feb|Aug|Sept|Oct|Nov|Dec|Prof|Gov|Sen|Rep|Gen|Lieut|Lt|Col|Maj|Brig|Adm|Capt)"
    r"|\b[A-Z])\.[\"”’)]*\s+$"
)
_ABBREVIATION_REACH = len("Lieut") + 1
_LETTER = re.compile(r"[^\W\d_]")


class Sentence(NamedTuple):  # a tuple: a million sentences are made, fast
    number: int
    span: Span
    text: str
    status: str  # cited, excluded or uncovered
    reason: str | None


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of a text; fragments without a letter (a lone '|') are dropped."""
    spans, start = [], 0
    for match in _BOUNDARY.finditer(text):
        # Only the end of the sentence can be an abbreviation: look at the few characters
        # before the full stop (the longest abbreviation, and one more for its \b).
        tail = text[max(start, match.start() - _ABBREVIATION_REACH) : match.end()]
        if match.group().strip() and _ABBREVIATION.search(tail):
            continue  # "Mr. Abe": not the end of a sentence
        end = match.start() + len(match.group().rstrip())
        spans.append(Span(start, end))
        start = match.end()
    spans.append(Span(start, len(text)))
    return [_trimmed(text, span) for span in spans if _LETTER.search(text[span.start : span.end])]


def _trimmed(text: str, span: Span) -> Span:
    piece = text[span.start : span.end]
    return Span(span.start + len(piece) - len(piece.lstrip()), span.end - len(piece) + len(piece.rstrip()))


def classify(text: str, cited: list[Span], registry: Registry, source_id: str) -> list[Sentence]:
    exclusions = registry.exclusions(source_id)
    # Cited spans sorted by start, with the furthest end reached so far: a sentence is
    # cited when a span starting before its end reaches past its start (two bisections,
    # not a scan of every citation for every sentence).
    cited = sorted(cited, key=lambda c: c.start)
    starts = [c.start for c in cited]
    reach = list(itertools.accumulate((c.end for c in cited), max))
    sentences = []
    for number, span in enumerate(split_sentences(text), start=1):
        status, reason = "uncovered", None
        before_end = bisect.bisect_left(starts, span.end)
        if before_end and reach[before_end - 1] > span.start:
            status = "cited"
        else:
            remaining = list(text[span.start : span.end])
            reasons = []
            for excluded, exclusion in exclusions:
                overlap = range(max(excluded.start, span.start), min(excluded.end, span.end))
                if overlap:
                    reasons.append(exclusion.reason)
                    for index in overlap:
                        remaining[index - span.start] = " "
            if reasons and not _LETTER.search("".join(remaining)):
                status, reason = "excluded", " ".join(dict.fromkeys(reasons))
        sentences.append(Sentence(number, span, text[span.start : span.end], status, reason))
    return sentences


@dataclass(frozen=True)
class SourceCoverage:
    """One source's rows of the sentence and coverage tables (plain data: computed in a
    worker process, inserted by the one writing the database)."""

    sentences: list[tuple[object, ...]]  # rows of the sentence table, in its column order
    coverage: tuple[object, ...]


def cited_spans(connection: sqlite3.Connection, source_ids: list[str]) -> dict[str, list[Span]]:
    """Every cited piece of text of these sources, from the citations already inserted."""
    cited: dict[str, list[Span]] = {source_id: [] for source_id in source_ids}
    query = f"SELECT source_id, start, end, spans FROM citation WHERE source_id IN ({', '.join('?' * len(source_ids))})"
    for source_id, start, end, spans in connection.execute(query, source_ids):
        if spans.count("[") == 2:  # one piece: [[start, end]] (most quotes), no need to parse
            cited[source_id].append(Span(start, end))
        else:
            cited[source_id] += [Span(piece_start, piece_end) for piece_start, piece_end in json.loads(spans)]
    return cited


def source_coverage(registry: Registry, source_id: str, cited: list[Span]) -> SourceCoverage:
    sentences = classify(registry.text(source_id), cited, registry, source_id)
    counts = {status: sum(s.status == status for s in sentences) for status in ("cited", "excluded", "uncovered")}
    claims = counts["cited"] + counts["uncovered"]
    coverage = as_row(
        tables.CoverageTable,
        {
            "source_id": source_id,
            "sentences": len(sentences),
            **counts,
            "percent_covered": round(100 * counts["cited"] / claims, 1) if claims else 100.0,
        },
    )
    rows = as_values(
        tables.SentenceTable,
        (
            {
                "source_id": source_id,
                "number": s.number,
                "start": s.span.start,
                "end": s.span.end,
                "text": s.text,
                "status": s.status,
                "reason": s.reason,
            }
            for s in sentences
        ),
    )
    return SourceCoverage(rows, coverage)


def insert_coverage(connection: sqlite3.Connection, covered: SourceCoverage) -> None:
    insert_values(connection, tables.SentenceTable, covered.sentences)
    insert_values(connection, tables.CoverageTable, [covered.coverage])


def report(connection: sqlite3.Connection, source_id: str | None) -> str:
    """The coverage report as text: counts, then every sentence by status."""
    where, parameters = ("WHERE source_id = ?", (source_id,)) if source_id else ("", ())
    lines = []
    for row in connection.execute(
        f"SELECT source_id, sentences, cited, excluded, uncovered, percent_covered FROM coverage {where} "
        "ORDER BY source_id",
        parameters,
    ).fetchall():
        lines.append(
            f"{row[0]}: {row[1]} sentences, {row[2]} cited, {row[3]} excluded, {row[4]} uncovered ({row[5]}% covered)"
        )
        for status in ("uncovered", "excluded", "cited"):
            for number, text, reason in connection.execute(
                "SELECT number, text, reason FROM sentence WHERE source_id = ? AND status = ? ORDER BY number",
                (row[0], status),
            ):
                shown = " ".join(text.split())
                lines.append(f"  {status:9} #{number}: {shown[:110]}{'…' if len(shown) > 110 else ''}")
                if reason:
                    lines.append(f"            because: {reason}")
    return "\n".join(lines)
