"""Finding a citation's quote in its archived source text.

Normalisation is deliberately small, so that "verbatim" keeps its meaning:
Unicode NFC, runs of white space as one space, and curly quotes and
apostrophes as straight ones. A quote that is not found verbatim may be
verbatim pieces joined by an ellipsis ("…" or "..."), found in order.
Offsets are character offsets into the archived text as stored.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from schema.models import describe_character

_QUOTE_MARKS = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
_CHANGED = re.compile(r"\s{2,}|[^\S ]")  # what normalising changes: see _changed_runs
_COMMON_SPACES = " \t\n\r"
_COMMON_CHANGES = ["\n", "\t", "\r", "  "]
# Every other white-space character (none lies above U+3000).
_RARE_SPACES = [chr(code) for code in range(0x3001) if chr(code).isspace() and chr(code) not in _COMMON_SPACES]
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")


class Span(NamedTuple):  # a tuple: a million quotes make millions of spans, built fast
    start: int
    end: int


class NormalisedText:
    """A text in normalised form, with a map back to offsets in the original.

    Quote marks translate one to one and a single white-space character becomes one
    space, so offsets only shift where a run of white space collapses: the map keeps
    just those points (a few per paragraph), not one entry per character.
    """

    def __init__(self, original: str) -> None:
        self.original = original
        nfc = unicodedata.normalize("NFC", original)
        self._nfc_changed = nfc != original
        text = _straight_quotes(nfc)
        pieces, position, removed = [], 0, 0
        self._breaks: list[int] = []  # normalised offsets after which the shift grows
        self._shifts: list[int] = []  # characters removed before each break
        for start, end in _changed_runs(text):
            pieces += [text[position:start], " "]
            if end - start > 1:
                self._breaks.append(start - removed + 1)
                removed += end - start - 1
                self._shifts.append(removed)
            position = end
        pieces.append(text[position:])
        self.text = "".join(pieces)

    def _original_index(self, index: int) -> int:
        at = bisect.bisect_right(self._breaks, index) - 1
        return index + (self._shifts[at] if at >= 0 else 0)

    def original_span(self, start: int, end: int) -> Span:
        """Offsets in the original text of the normalised slice [start, end)."""
        if self._nfc_changed:
            # NFC merged characters, so indexes no longer line up one to one;
            # the span is then approximate, which only affects highlighting.
            scale = len(self.original) / max(len(self.text), 1)
            return Span(int(start * scale), int(end * scale))
        return Span(self._original_index(start), self._original_index(end - 1) + 1)

    def original_text(self, start: int, end: int) -> str:
        """The original characters of the normalised slice [start, end): a curly apostrophe, not the
        straight one it became. Where NFC changed the text (offsets are then approximate), the
        normalised characters."""
        if self._nfc_changed or start >= end:
            return self.text[start:end]
        span = self.original_span(start, end)
        return self.original[span.start : span.end]


def _straight_quotes(text: str) -> str:
    # str.translate with a table takes a slow path on non-ASCII text: eight guarded
    # replaces are about 40 times faster on a typical article.
    for curly, straight in _QUOTE_MARKS.items():
        if curly in text:
            text = text.replace(curly, straight)
    return text


def _changed_runs(text: str) -> list[tuple[int, int]]:
    """Where normalising changes white space: runs of two or more white-space characters,
    and single ones that are not a space, as (start, end) in order.

    Python's regular expressions test every character (about 30 ns each); articles use
    little white space beyond spaces and line breaks, so those are found with str.find,
    and only a text holding rarer white space (a no-break space, say) is scanned.
    """
    if any(space in text for space in _RARE_SPACES):
        return [match.span() for match in _CHANGED.finditer(text)]
    runs = []
    for mark in _COMMON_CHANGES:
        found = text.find(mark)
        while found >= 0:
            start, end = found, found + len(mark)
            while start and text[start - 1] in _COMMON_SPACES:
                start -= 1
            while end < len(text) and text[end] in _COMMON_SPACES:
                end += 1
            runs.append((start, end))
            found = text.find(mark, end)
    runs.sort()
    merged: list[tuple[int, int]] = []
    for run in runs:  # a run found from two marks ("\n  ") is one run
        if not merged or run[0] >= merged[-1][1]:
            merged.append(run)
    return merged


def normalise(text: str) -> str:
    # str.split() splits on exactly the white space the regular expression \s matches.
    return " ".join(_straight_quotes(unicodedata.normalize("NFC", text)).split())


def find_quote(quote: str, source: NormalisedText, avoid: Sequence[Span] = ()) -> list[Span] | None:
    """The spans of the quote in the source, in order, or None when it is not there.

    A quote is whole words: it neither starts nor ends inside a word of the source ("that's
    war" is not in "that's wary"). When the words occur more than once, the first occurrence
    outside the `avoid` spans (page furniture that repeats the headline, say) is the one
    returned. Pieces joined by an ellipsis are each of at least two words, found in order
    within one paragraph (one line of the archived text): single words gathered across an
    article can be made to say anything.
    """
    whole = normalise(quote)
    occurrences = list(_occurrences(whole, source))
    for span in occurrences:
        if not any(span.start < other.end and other.start < span.end for other in avoid):
            return [span]
    if occurrences:
        return [occurrences[0]]
    pieces = ellipsis_pieces(whole)
    if len(pieces) < 2 or any(len(_WORDS.findall(piece)) < 2 for piece in pieces):
        return None
    spans, position = [], 0
    for piece in pieces:
        found = next(_occurrences(piece, source, position), None)
        if found is None:
            return None
        spans.append(found)
        position = found.normalised_end
    if "\n" in source.original[spans[0].start : spans[-1].end]:
        return None
    return [Span(span.start, span.end) for span in spans]


_WORDS = re.compile(r"\w+")


def ellipsis_pieces(quote: str) -> list[str]:
    """The verbatim pieces of a quote that an ellipsis joins (the whole quote when none does)."""
    return [piece for piece in _ELLIPSIS.split(normalise(quote)) if piece]


def word_count(text: str) -> int:
    return len(_WORDS.findall(text))


class _Found(NamedTuple):
    start: int
    end: int
    normalised_end: int


def _occurrences(wanted: str, source: NormalisedText, position: int = 0) -> Iterator[_Found]:
    """Where the normalised words occur in the source from `position` on, whole words only."""
    text = source.text
    found = text.find(wanted, position) if wanted else -1
    while found >= 0:
        end = found + len(wanted)
        if not _cuts_word(text, found, end):
            span = source.original_span(found, end)
            yield _Found(span.start, span.end, end)
        found = text.find(wanted, found + 1)


def _cuts_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] begins or ends in the middle of a word."""
    return (start > 0 and _joined(text[start - 1], text[start])) or (
        end < len(text) and _joined(text[end - 1], text[end])
    )


def _joined(before: str, after: str) -> bool:
    """Whether two adjacent characters belong to one word. Archived pages glue furniture to the
    text ("hinh anh 1General Secretary", "VNAThe"): a digit next to a letter, or a capital after a
    small letter, is a boundary."""
    return (
        before.isalnum()
        and after.isalnum()
        and before.isdigit() == after.isdigit()
        and not (before.islower() and after.isupper())
    )


def why_not_found(quote: str, source: NormalisedText, called: str = "quote") -> str:
    """Why find_quote found nothing, in words, with what to copy instead; `called` is what the
    words are to the contributor (an excluded passage is no quote)."""
    whole = normalise(quote)
    cut = source.text.find(whole) if whole else -1
    if cut >= 0:
        start, end = cut, cut + len(whole)
        while start > 0 and source.text[start - 1].isalnum():
            start -= 1
        while end < len(source.text) and source.text[end].isalnum():
            end += 1
        return f"the {called} cuts a word: the source has {source.text[start:end]!r}; quote whole words"
    pieces = ellipsis_pieces(quote)
    if len(pieces) > 1:
        short = [piece for piece in pieces if word_count(piece) < 2]
        if short:
            return (
                f"each piece joined by an ellipsis must be at least two words, and {short[0]!r} is not: "
                "quote the passage whole, or cite each passage in a citation of its own"
            )
        position = 0
        for piece in pieces:
            found = next(_occurrences(piece, source, position), None)
            if found is None:
                return f"the piece {piece!r} is not found after the one before it; " + _nearest_in_words(
                    quote, whole.find(piece), piece, source, called
                )
            position = found.normalised_end
        return (
            "the pieces joined by an ellipsis come from different paragraphs: an ellipsis may only leave out "
            "words within one paragraph; cite each paragraph in a citation of its own"
        )
    return _nearest_in_words(quote, 0, whole, source, called)


def _nearest_in_words(quote: str, offset: int, wanted: str, source: NormalisedText, called: str) -> str:
    """The nearest passage to `wanted` (the normalised quote, or the piece of it at `offset`), and,
    when it differs by a few characters only, which: a hyphen for an en dash is invisible on screen."""
    span = _nearest_span(wanted, source)
    if span is None:
        return "nearest passage: ''"
    said = [f"nearest passage: {_passage(source, span)!r}"]
    region = max(span.start - _MARGIN, 0)
    differences = _differences(wanted, source.text[region : span.end])
    if differences:
        written = NormalisedText(quote)
        offset += 1 if written.text.startswith(" ") else 0  # kept as a space here, dropped by normalise
        for i1, i2, j1, j2 in differences:
            quote_has, source_has = (
                written.original_text(offset + i1, offset + i2),
                source.original_text(region + j1, region + j2),
            )
            position = written.original_span(offset + i1, offset + i1 + 1).start + 1
            said.append(_difference_in_words(called, quote_has, source_has, position))
    return "; ".join(said)


def nearest_passage(quote: str, source: NormalisedText) -> str:
    """The passage of the source most like the quote, to show beside a failed match."""
    span = _nearest_span(normalise(quote), source)
    return "" if span is None else _passage(source, span)


def _nearest_span(wanted: str, source: NormalisedText) -> Span | None:
    """Where in the normalised source the passage most like `wanted` lies, whole words."""
    matcher = difflib.SequenceMatcher(None, source.text, wanted, autojunk=False)
    block = matcher.find_longest_match(0, len(source.text), 0, len(wanted))
    start = max(block.a - block.b, 0)
    end = min(start + len(wanted), len(source.text))
    while start < end and source.text[start].isspace():
        start += 1
    while start > 0 and not source.text[start - 1].isspace():
        start -= 1  # begin the first word
    while end < len(source.text) and not source.text[end].isspace():
        end += 1  # finish the last word
    return Span(start, end) if end > start else None


def _passage(source: NormalisedText, span: Span) -> str:
    original = source.original_span(*span)
    # The source's own characters (to copy from), on one line.
    passage = " ".join(source.original[original.start : original.end].split())
    return passage if len(passage) <= 300 else passage[:297] + "..."


# The characters either side of the nearest passage compared with the quote: its start is
# only a guess when the quote has a character more or fewer before its longest matching run.
_MARGIN = 8
# Differences named at most, each of at most so many characters: more, and the passage is
# another wording of the quote, not the same words typed differently.
_FEW_DIFFERENCES = 3
_FEW_CHARACTERS = 3


def _difference_in_words(called: str, quote_has: str, source_has: str, position: int) -> str:
    """One difference, with `position` the character number in the quote where it lies."""
    if not source_has:
        return f"the {called} has {_named(quote_has)} at character {position}, which the source has not"
    if not quote_has:
        return f"the source has {_named(source_has)} before character {position}, which the {called} has not"
    return f"the source has {_named(source_has)} where the {called} has {_named(quote_has)} at character {position}"


def _differences(wanted: str, region: str) -> list[tuple[int, int, int, int]]:
    """How `wanted` differs from the passage of `region` it matches, if by a few characters only:
    each difference as the slices [i1, i2) of `wanted` and [j1, j2) of `region` that differ. The
    region may begin before the passage (see _MARGIN) and end after it (finishing a word)."""
    differences = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wanted, region, autojunk=False).get_opcodes():
        # The region's characters before the quote's first and after its last are not differences:
        # at either end, the source's side is cut to as many characters as the quote's.
        if i1 == 0:
            j1 = max(j1, j2 - (i2 - i1))
        if i2 == len(wanted):
            j2 = min(j2, j1 + (i2 - i1))
        if tag != "equal" and (i1 < i2 or j1 < j2):
            differences.append((i1, i2, j1, j2))
    few = len(differences) <= _FEW_DIFFERENCES and all(
        max(i2 - i1, j2 - j1) <= _FEW_CHARACTERS for i1, i2, j1, j2 in differences
    )
    return differences if few else []


def _named(characters: str) -> str:
    """'–' U+2013 EN DASH; several characters are each named."""
    if len(characters) == 1:
        return f"{characters!r} {describe_character(characters)}"
    return f"{characters!r} ({', '.join(describe_character(char) for char in characters)})"
