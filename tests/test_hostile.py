"""Hostile input: each case is refused with its exact message, or stored verbatim. Never a traceback.

Every case is a small file (a fact file, an entity file or a source record, most
of them a mutation of a valid one) written byte for byte into a copy of the real
corpus, with the exact `path:line:column: field: message` lines it must produce.
All the refused cases are checked in one run of the real command line, as a user
would run it; the accepted ones (markup, SQL, other scripts) are built into a
database that is then read back to prove every byte was stored as written.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import EXAMPLE_SOURCE, FROZEN, TWO_ARTICLES_2015, Run, run_build
from factdb.loading import MAX_FILE_BYTES
from schema.models import HIDDEN_CHARACTERS

QUOTE = "visiting President Tran Dai Quang"  # occurs in EXAMPLE_SOURCE
# "visiting" stands for Japan, which the article names in another passage (as in quang-visited-japan-2018).
JAPAN = {
    "entity": "country:japan",
    "words": "visiting",
    "context": "Japanese Prime Minister Shinzo Abe said Japan will continue its strong support",
}
OTHER_SOURCE_QUOTE = "will be his first to Japan"  # in scmp-2015-trong-japan only (a source of TWO_ARTICLES_2015)


def fact(name: str, **changes: object) -> dict:
    """A valid fact (but for its changes); the id is the case's name."""
    return {
        "id": name,
        "subject": "person:tran-dai-quang",
        "predicate": "visited",
        "object": "country:japan",
        "date": "2018",
        "date_reasoning": "Given by the test.",
        "citations": [{"source": EXAMPLE_SOURCE, "quote": QUOTE, "referents": [JAPAN]}],
    } | changes


def dumps(document: object) -> bytes:
    """The project's own layout: two-space indentation, UTF-8."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def facts(*items: dict) -> bytes:
    return dumps({"facts": list(items)})


def entity(slug: str, **changes: object) -> bytes:
    return dumps({"entities": [{"id": f"person:{slug}", "name": "A Person"} | changes]})


SOURCE_TEXT = "The minister said the talks went well.\n"


def source(name: str, text: str = SOURCE_TEXT, **changes: object) -> bytes:
    return dumps(
        {
            "id": name,
            "title": "A hostile source",
            "publisher": "Nobody",
            "published": "2018",
            "published_inferred": False,
            "language": "en",
            "url": None,
            "text_path": f"sources/{name}.txt",
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        }
        | changes
    )


@dataclass(frozen=True)
class Case:
    name: str
    path: str  # relative to the corpus root
    content: bytes | None  # None: made by `special` (a pipe, a folder, a huge file)
    expected: tuple[str, ...]  # the exact lines, sorted as the build sorts them


def case(name: str, path: str, content: bytes | None, *expected: str) -> Case:
    return Case(name, path, content, expected)


VALID_FACT_FILE = facts(fact("hostile-valid"))
DEEP = b'{"facts": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"

CASES = [
    # --- Bytes that are not JSON, or not UTF-8 ------------------------------------------------
    case(
        "empty",
        "facts/h-empty.json",
        b"",
        'facts/h-empty.json:1:1: (file): the file is empty: it must hold a JSON object like {"facts": [...]}',
    ),
    case(
        "only-white-space",
        "facts/h-space.json",
        b" \n\t\n",
        'facts/h-space.json:1:1: (file): the file is empty: it must hold a JSON object like {"facts": [...]}',
    ),
    case(
        "truncated-in-a-string",
        "facts/h-truncated.json",
        VALID_FACT_FILE[:60],
        "facts/h-truncated.json:5:10: (file): malformed JSON: EOF while parsing a string",
    ),
    case(
        "truncated-after-a-comma",
        "facts/h-truncated2.json",
        VALID_FACT_FILE[: VALID_FACT_FILE.index(b'"subject"')],
        "facts/h-truncated2.json:5:6: (file): malformed JSON: EOF while parsing a value",
    ),
    case(
        "single-quotes",
        "facts/h-single-quotes.json",
        b"{'facts': []}\n",
        "facts/h-single-quotes.json:1:2: (file): malformed JSON: key must be a string",
    ),
    case(
        "comment",
        "facts/h-comment.json",
        b'{\n  // the facts\n  "facts": []\n}\n',
        "facts/h-comment.json:2:3: (file): malformed JSON: key must be a string",
    ),
    case(
        "trailing-garbage",
        "facts/h-garbage.json",
        b'{"facts": []}\n{"facts": []}\n',
        "facts/h-garbage.json:2:1: (file): malformed JSON: trailing characters",
    ),
    case(
        "utf8-bom",
        "facts/h-bom.json",
        b"\xef\xbb\xbf" + VALID_FACT_FILE,
        "facts/h-bom.json:1:1: (file): the file starts with a byte-order mark (BOM): save it as UTF-8 without BOM",
    ),
    case(
        "utf16",
        "facts/h-utf16.json",
        VALID_FACT_FILE.decode().encode("utf-16"),
        "facts/h-utf16.json:1:1: (file): not valid UTF-8: the file is UTF-16 (it starts with a UTF-16 byte-order mark)",
    ),
    case(
        "latin1-byte",
        "facts/h-latin1.json",
        facts(fact("h-latin1", date_reasoning="Hanoi caf\xe9")).replace("é".encode(), b"\xe9"),
        "facts/h-latin1.json:9:35: (file): not valid UTF-8 (byte 206: e9): save the file as UTF-8",
    ),
    case(
        "cut-utf8-sequence",
        "facts/h-cut-utf8.json",
        b'{"facts": [], "$schema": "\xe2\x80"}\n',
        "facts/h-cut-utf8.json:1:27: (file): not valid UTF-8 (byte 26: e2 80): save the file as UTF-8",
    ),
    case(
        "lone-surrogate",
        "facts/h-surrogate.json",
        facts(fact("h-surrogate", note="NOTE")).replace(b"NOTE", b"\\ud800"),
        "facts/h-surrogate.json:23:15: facts[0].note: \\ud800 is half of a UTF-16 surrogate pair, not a "
        "character: remove it",
    ),
    case(
        "deep-nesting",
        "facts/h-deep.json",
        DEEP,
        "facts/h-deep.json:1:30: facts[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nested more "
        "than 20 levels deep: the project's files need at most 5",
    ),
    case(
        "deep-in-a-field",
        "facts/h-deep-field.json",
        facts(fact("h-deep-field", note="NOTE")).replace(b'"NOTE"', b"[" * 300 + b"]" * 300),
        "facts/h-deep-field.json:23:32: facts[0].note[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: "
        "nested more than 20 levels deep: the project's files need at most 5",
    ),
    case(
        "oversized",
        "facts/h-huge.json",
        None,
        f"facts/h-huge.json:1:1: (file): file is {MAX_FILE_BYTES + 1:,} bytes; "
        f"the limit is {MAX_FILE_BYTES:,}: split it into smaller files",
    ),
    case(
        "named-pipe",
        "facts/h-pipe.json",
        None,
        "facts/h-pipe.json:1:1: (file): not a regular file (a folder, pipe or device): only plain files belong here",
    ),
    case(
        "folder",
        "facts/h-folder.json",
        None,
        "facts/h-folder.json:1:1: (file): not a regular file (a folder, pipe or device): only plain files belong here",
    ),
    # --- JSON that Python reads but is not strict JSON, or says two things ---------------------
    case(
        "duplicate-key",
        "facts/h-dup.json",
        facts(fact("h-dup")).replace(b'"subject"', b'"id": "h-dup-2",\n      "subject"'),
        "facts/h-dup.json:5:7: facts[0].id: duplicate key 'id' at line 4 column 7 and line 5 column 7: JSON "
        "readers silently keep only the last value; keep one",
    ),
    case(
        "duplicate-top-key",
        "facts/h-dup-top.json",
        b'{\n  "facts": [],\n  "facts": []\n}\n',
        "facts/h-dup-top.json:3:3: facts: duplicate key 'facts' at line 2 column 3 and line 3 column 3: JSON "
        "readers silently keep only the last value; keep one",
    ),
    case(
        "duplicate-qualifier",
        "facts/h-dup-qualifier.json",
        facts(fact("h-dup-qualifier", qualifiers={"kind": "state visit"})).replace(
            b'"kind": "state visit"', b'"kind": "state visit",\n        "kind": "official visit"'
        ),
        "facts/h-dup-qualifier.json:25:9: facts[0].qualifiers.kind: duplicate key 'kind' at line 24 column 9 "
        "and line 25 column 9: JSON readers silently keep only the last value; keep one",
    ),
    case(
        "nan",
        "facts/h-nan.json",
        facts(
            fact(
                "h-nan",
                predicate="provides_aid_to",
                object="country:vietnam",
                subject="country:japan",
                quantity={"amount": 1, "unit": "USD"},
            )
        ).replace(b'"amount": 1', b'"amount": NaN'),
        "facts/h-nan.json:24:19: facts[0].quantity.amount: NaN is not valid JSON (JSON numbers are finite): "
        "write a number",
    ),
    case(
        "infinity",
        "facts/h-inf.json",
        facts(
            fact(
                "h-inf",
                predicate="provides_aid_to",
                object="country:vietnam",
                subject="country:japan",
                quantity={"amount": 1, "unit": "USD"},
            )
        ).replace(b'"amount": 1', b'"amount": -Infinity'),
        "facts/h-inf.json:24:19: facts[0].quantity.amount: -Infinity is not valid JSON (JSON numbers are "
        "finite): write a number",
    ),
    case(
        "integer-beyond-64-bit",
        "facts/h-bigint.json",
        facts(
            fact(
                "h-bigint",
                predicate="provides_aid_to",
                object="country:vietnam",
                subject="country:japan",
                quantity={"amount": 123456789012345678901234567890, "unit": "USD"},
            )
        ),
        "facts/h-bigint.json:24:19: facts[0].quantity.amount: integer too large to store exactly (a 64-bit "
        "float holds every integer only up to 9007199254740992): round it, set approximately, or use a "
        "larger unit",
    ),
    case(
        "integer-beyond-2-to-53",
        "facts/h-int53.json",
        facts(
            fact(
                "h-int53",
                predicate="provides_aid_to",
                object="country:vietnam",
                subject="country:japan",
                quantity={"amount": 2**53 + 1, "unit": "USD"},
            )
        ),
        "facts/h-int53.json:24:19: facts[0].quantity.amount: integer too large to store exactly (a 64-bit "
        "float holds every integer only up to 9007199254740992): round it, set approximately, or use a "
        "larger unit",
    ),
    case(
        "float-overflow",
        "facts/h-overflow.json",
        facts(
            fact(
                "h-overflow",
                predicate="provides_aid_to",
                object="country:vietnam",
                subject="country:japan",
                quantity={"amount": 1, "unit": "USD"},
            )
        ).replace(b'"amount": 1', b'"amount": 1e400'),
        "facts/h-overflow.json:24:19: facts[0].quantity.amount: number too large: it overflows a 64-bit "
        "float (the largest is about 1.8e308)",
    ),
    case(
        "number-with-5000-digits",
        "facts/h-digits.json",
        facts(
            fact(
                "h-digits",
                predicate="provides_aid_to",
                object="country:vietnam",
                subject="country:japan",
                quantity={"amount": 1, "unit": "USD"},
            )
        ).replace(b'"amount": 1', b'"amount": 1' + b"0" * 5000),
        "facts/h-digits.json:24:4320: (file): malformed JSON: number out of range",
    ),
    case(
        "boolean-as-text",
        "facts/h-bool.json",
        facts(
            fact(
                "h-bool",
                predicate="provides_aid_to",
                object="country:vietnam",
                subject="country:japan",
                quantity={"amount": 1, "unit": "USD", "approximately": "yes"},
            )
        ),
        "facts/h-bool.json:26:26: facts[0].quantity.approximately: expected true or false, not 'yes'",
    ),
    case(
        "number-as-text",
        "facts/h-number-text.json",
        facts(
            fact(
                "h-number-text",
                predicate="provides_aid_to",
                object="country:vietnam",
                subject="country:japan",
                quantity={"amount": "5", "unit": "USD"},
            )
        ),
        "facts/h-number-text.json:24:19: facts[0].quantity.amount: expected a number, not '5'",
    ),
    # --- The wrong shape ------------------------------------------------------------------------
    case(
        "top-level-list",
        "facts/h-list.json",
        dumps([fact("h-list")]),
        'facts/h-list.json:1:1: (file): the file must hold a JSON object like {"facts": [...]}, not a list',
    ),
    case(
        "top-level-string",
        "facts/h-string.json",
        b'"facts"\n',
        'facts/h-string.json:1:1: (file): the file must hold a JSON object like {"facts": [...]}, not a string',
    ),
    case(
        "facts-not-a-list",
        "facts/h-facts-object.json",
        dumps({"facts": fact("h-facts-object")}),
        "facts/h-facts-object.json:2:12: facts: Input should be a valid list (got {'id': 'h-facts-object', "
        "'subject': 'person:tran-dai-quan...)",
    ),
    case(
        "unknown-top-field",
        "facts/h-unknown-top.json",
        dumps({"fact": []}),
        "facts/h-unknown-top.json:1:1: facts: required field is missing",
        "facts/h-unknown-top.json:2:11: fact: unknown field 'fact'; did you mean 'facts'?",
    ),
    case(
        "unknown-field-with-hidden-characters",
        "facts/h-unknown-hidden.json",
        facts(fact("h-unknown-hidden") | {"note\u202e\n": "x"}),
        "facts/h-unknown-hidden.json:3:5: facts[0][\"note\\u202e\\n\"]: unknown field 'note\\u202e\\n'; did "
        "you mean 'note'?",
    ),
    # --- Ids: path separators, look-alike letters, invisible characters ------------------------
    case(
        "id-with-path",
        "facts/h-id-path.json",
        facts(fact("../../etc/passwd")),
        "facts/h-id-path.json:4:13: facts[0].id: '../../etc/passwd' is not valid: expected lower-case "
        "letters and digits in words joined by single hyphens, e.g. vov-2018-quang-japan",
    ),
    case(
        "id-with-backslash",
        "facts/h-id-backslash.json",
        facts(fact("h-id\\x")),
        "facts/h-id-backslash.json:4:13: facts[0].id: 'h-id\\\\x' is not valid: expected lower-case letters "
        "and digits in words joined by single hyphens, e.g. vov-2018-quang-japan",
    ),
    case(
        "id-with-cyrillic-a",
        "facts/h-id-cyrillic.json",
        facts(fact("h-cyrill\u0430")),
        "facts/h-id-cyrillic.json:4:13: facts[0].id: 'h-cyrillа' contains U+0430 CYRILLIC SMALL LETTER A at "
        "character 9: ids are plain ASCII (a-z, 0-9, hyphens), and a look-alike letter of another script is "
        "not the same letter",
    ),
    case(
        "entity-reference-with-greek-omicron",
        "facts/h-ref-greek.json",
        facts(fact("h-ref-greek", object="country:jap\u03bfn")),
        "facts/h-ref-greek.json:7:17: facts[0].object: 'country:japοn' contains U+03BF GREEK SMALL LETTER "
        "OMICRON at character 12: ids are plain ASCII (a-z, 0-9, hyphens), and a look-alike letter of "
        "another script is not the same letter",
    ),
    case(
        "source-reference-with-zero-width-space",
        "facts/h-ref-zwsp.json",
        facts(fact("h-ref-zwsp", citations=[{"source": "vov-2018\u200b-quang-japan", "quote": QUOTE}])),
        "facts/h-ref-zwsp.json:12:21: facts[0].citations[0].source: 'vov-2018\\u200b-quang-japan' contains "
        "U+200B ZERO WIDTH SPACE at character 9: ids are plain ASCII (a-z, 0-9, hyphens), and a look-alike "
        "letter of another script is not the same letter",
    ),
    # --- Text fields: control, invisible and bidirectional characters ---------------------------
    case(
        "bell-in-date-reasoning",
        "facts/h-bell.json",
        facts(fact("h-bell", date_reasoning="Given\a by the test.")),
        "facts/h-bell.json:9:25: facts[0].date_reasoning: contains U+0007 BELL at character 6; remove it: "
        "only visible characters, spaces, tabs and newlines are allowed",
    ),
    case(
        "nul-in-note",
        "facts/h-nul.json",
        facts(fact("h-nul", note="before\x00after")),
        "facts/h-nul.json:23:15: facts[0].note: contains U+0000 NULL at character 7; remove it: only visible "
        "characters, spaces, tabs and newlines are allowed",
    ),
    case(
        "escape-sequence-in-note",
        "facts/h-ansi.json",
        facts(fact("h-ansi", note="\x1b[31mred\x1b[0m")),
        "facts/h-ansi.json:23:15: facts[0].note: contains U+001B ESCAPE at character 1; remove it: only "
        "visible characters, spaces, tabs and newlines are allowed",
    ),
    case(
        "right-to-left-override-in-text",
        "facts/h-rlo.json",
        facts(fact("h-rlo", predicate="stated", object=None, text="Vietnam \u202eneewteb\u202c and Japan")),
        "facts/h-rlo.json:23:15: facts[0].text: contains U+202E RIGHT-TO-LEFT OVERRIDE at character 9; "
        "remove it: only visible characters, spaces, tabs and newlines are allowed",
    ),
    case(
        "left-to-right-isolate-in-qualifier",
        "facts/h-isolate.json",
        facts(fact("h-isolate", qualifiers={"kind": "state \u2066visit\u2069"})),
        "facts/h-isolate.json:24:17: facts[0].qualifiers.kind: contains U+2066 LEFT-TO-RIGHT ISOLATE at "
        "character 7; remove it: a name is one line of visible characters and spaces",
    ),
    case(
        "zero-width-joiner-in-correction",
        "facts/h-zwj.json",
        facts(
            fact(
                "h-zwj",
                corrections=[
                    {"source": EXAMPLE_SOURCE, "source_says": "Quang", "correct": "Qu\u200dang", "reason": "A test."}
                ],
            )
        ),
        "facts/h-zwj.json:27:22: facts[0].corrections[0].correct: contains U+200D ZERO WIDTH JOINER at "
        "character 3; remove it: a name is one line of visible characters and spaces",
    ),
    case(
        "newline-in-qualifier",
        "facts/h-newline-name.json",
        facts(fact("h-newline-name", qualifiers={"kind": "state\nvisit"})),
        "facts/h-newline-name.json:24:17: facts[0].qualifiers.kind: contains U+000A LINE FEED at character "
        "6; remove it: a name is one line of visible characters and spaces",
    ),
    case(
        "tag-characters-in-deprecation",
        "facts/h-tags.json",
        facts(fact("h-tags", rank="deprecated", deprecation_reason="Wrong.\U000e0069\U000e0067\U000e006e")),
        "facts/h-tags.json:24:29: facts[0].deprecation_reason: contains U+E0069 TAG LATIN SMALL LETTER I at "
        "character 7; remove it: only visible characters, spaces, tabs and newlines are allowed",
    ),
    case(
        "blank-quote",
        "facts/h-blank-quote.json",
        facts(fact("h-blank-quote", citations=[{"source": EXAMPLE_SOURCE, "quote": " \n "}])),
        "facts/h-blank-quote.json:13:20: facts[0].citations[0].quote: is only white space: write the words, "
        "or leave the field out where it is optional",
    ),
    # --- Dates ----------------------------------------------------------------------------------
    case(
        "february-30",
        "facts/h-feb30.json",
        facts(fact("h-feb30", date="2015-02-30")),
        "facts/h-feb30.json:8:15: facts[0].date: '2015-02-30' is not a calendar day: February 2015 has 28 days",
    ),
    case(
        "month-13",
        "facts/h-month13.json",
        facts(fact("h-month13", date="2015-13")),
        "facts/h-month13.json:8:15: facts[0].date: '2015-13' is not a valid EDTF date (Error at position 4: "
        "Invalid input or format near '2015-13'. Please provide a valid EDTF string.)",
    ),
    case(
        "year-0000",
        "facts/h-year0.json",
        facts(fact("h-year0", date="0000")),
        "facts/h-year0.json:8:15: facts[0].date: '0000' is outside the years 0001 to 9999 (year 0000 has no "
        "calendar day)",
    ),
    case(
        "year-10000",
        "facts/h-year10000.json",
        facts(fact("h-year10000", date="Y10000")),
        "facts/h-year10000.json:8:15: facts[0].date: 'Y10000' is outside the years 0001 to 9999 (year 10000 "
        "is out of range)",
    ),
    case(
        "ends-before-it-starts",
        "facts/h-backwards.json",
        facts(fact("h-backwards", date="2018-09-08/2018-09-05")),
        "facts/h-backwards.json:8:15: facts[0].date: '2018-09-08/2018-09-05' ends (2018-09-05) before it "
        "starts (2018-09-08)",
    ),
    case(
        "date-with-spaces",
        "facts/h-date-space.json",
        facts(fact("h-date-space", date=" 2018")),
        "facts/h-date-space.json:8:15: facts[0].date: ' 2018' has white space around the date: write the "
        "EDTF date alone",
    ),
    # --- References -----------------------------------------------------------------------------
    case(
        "quote-from-another-source",
        "facts/h-other-source.json",
        facts(fact("h-other-source", citations=[{"source": EXAMPLE_SOURCE, "quote": OTHER_SOURCE_QUOTE}])),
        "facts/h-other-source.json:13:20: facts[0].citations[0].quote: fact 'h-other-source': quote not found in "
        f"source '{EXAMPLE_SOURCE}', but it occurs in source 'scmp-2015-trong-japan': cite that source",
    ),
    case(
        "unknown-source",
        "facts/h-no-source.json",
        facts(fact("h-no-source", citations=[{"source": "no-such-source", "quote": QUOTE}])),
        "facts/h-no-source.json:12:21: facts[0].citations[0].source: unknown source 'no-such-source' "
        "(sources are sources/<id>.json)",
    ),
    # --- Entity files ---------------------------------------------------------------------------
    case(
        "entity-duplicate-key",
        "facts/entities/h-dup.json",
        entity("h-dup-key").replace(b'"name"', b'"name": "Another Person",\n      "name"'),
        "facts/entities/h-dup.json:6:7: entities[0].name: duplicate key 'name' at line 5 column 7 and line 6 "
        "column 7: JSON readers silently keep only the last value; keep one",
    ),
    case(
        "entity-bidi-in-name",
        "facts/entities/h-bidi.json",
        entity("h-bidi", name="Abe\u202e Shinzo"),
        "facts/entities/h-bidi.json:5:15: entities[0].name: contains U+202E RIGHT-TO-LEFT OVERRIDE at "
        "character 4; remove it: a name is one line of visible characters and spaces",
    ),
    case(
        "entity-zero-width-in-alias",
        "facts/entities/h-zwsp.json",
        entity("h-zwsp", aliases=[{"name": "A\u200bbe", "kind": "short_name"}]),
        "facts/entities/h-zwsp.json:8:19: entities[0].aliases[0].name: contains U+200B ZERO WIDTH SPACE at "
        "character 2; remove it: a name is one line of visible characters and spaces",
    ),
    case(
        "entity-newline-in-alias",
        "facts/entities/h-alias-newline.json",
        entity("h-alias-newline", aliases=[{"name": "Abe\nperson:fake", "kind": "short_name"}]),
        "facts/entities/h-alias-newline.json:8:19: entities[0].aliases[0].name: contains U+000A LINE FEED at "
        "character 4; remove it: a name is one line of visible characters and spaces",
    ),
    case(
        "entity-id-with-cyrillic",
        "facts/entities/h-cyrillic.json",
        entity("h-\u0430be"),
        "facts/entities/h-cyrillic.json:4:13: entities[0].id: 'person:h-аbe' contains U+0430 CYRILLIC SMALL "
        "LETTER A at character 10: ids are plain ASCII (a-z, 0-9, hyphens), and a look-alike letter of "
        "another script is not the same letter",
    ),
    case(
        "entity-id-with-path",
        "facts/entities/h-path.json",
        dumps({"entities": [{"id": "person:../../x", "name": "X"}]}),
        "facts/entities/h-path.json:4:13: entities[0].id: 'person:../../x' is not valid: expected an entity "
        "id: a type (person, country, organization, group, office, agreement, programme, place, event), a "
        "colon and a slug, e.g. person:shinzo-abe",
    ),
    case(
        "entity-nan-wikidata",
        "facts/entities/h-nan.json",
        entity("h-nan", wikidata="Q1").replace(b'"Q1"', b"NaN"),
        "facts/entities/h-nan.json:6:19: entities[0].wikidata: NaN is not valid JSON (JSON numbers are "
        "finite): write a number",
    ),
    case(
        "entity-file-bom",
        "facts/entities/h-bom.json",
        b"\xef\xbb\xbf" + entity("h-bom"),
        "facts/entities/h-bom.json:1:1: (file): the file starts with a byte-order mark (BOM): save it as "
        "UTF-8 without BOM",
    ),
    case(
        "entity-file-is-a-list",
        "facts/entities/h-list.json",
        b"[]\n",
        'facts/entities/h-list.json:1:1: (file): the file must hold a JSON object like {"entities": [...]}, not a list',
    ),
    case(
        "entity-alias-cites-unknown-source",
        "facts/entities/h-alias-source.json",
        entity("h-alias-source", aliases=[{"name": "Ab", "kind": "misspelling_in_source", "source": "no-such-source"}]),
        "facts/entities/h-alias-source.json:10:21: entities[0].aliases[0].source: unknown source 'no-such-source'",
    ),
    case(
        "entity-refused-with-its-references-wrong-too",
        "facts/entities/h-refused-refs.json",
        entity(
            "h-refused-refs",
            wikidata="12",
            country="country:vietnamm",
            aliases=[{"name": "Ab", "kind": "misspelling_in_source", "source": "no-such-source"}],
        ),
        "facts/entities/h-refused-refs.json:6:19: entities[0].wikidata: '12' is not valid: expected a Wikidata item "
        "id such as Q881",
        "facts/entities/h-refused-refs.json:7:18: entities[0].country: 'country:vietnamm' is not a known country; "
        "did you mean 'country:vietnam'?",
        "facts/entities/h-refused-refs.json:12:21: entities[0].aliases[0].source: unknown source 'no-such-source'",
    ),
    case(
        "entity-defined-twice",
        "facts/entities/h-twice.json",
        dumps({"entities": [{"id": "person:h-twice", "name": "A"}, {"id": "person:h-twice", "name": "B"}]}),
        "facts/entities/h-twice.json:4:13: entities[0].id: entity 'person:h-twice' is defined again in "
        "facts/entities/h-twice.json: ids must be unique",
        "facts/entities/h-twice.json:8:13: entities[1].id: entity 'person:h-twice' is already defined in "
        "facts/entities/h-twice.json: ids must be unique",
    ),
    # --- Source records -------------------------------------------------------------------------
    case(
        "source-javascript-url",
        "sources/h-js.json",
        source("h-js", url="javascript:alert(1)"),
        "sources/h-js.json:8:10: url: 'javascript:alert(1)' is not valid: expected an http:// or https:// "
        "address without spaces (no javascript:, data: or other schemes)",
    ),
    case(
        "source-data-url",
        "sources/h-data.json",
        source("h-data", url="data:text/html,<script>alert(1)</script>"),
        "sources/h-data.json:8:10: url: 'data:text/html,<script>alert(1)</script>' is not valid: expected an "
        "http:// or https:// address without spaces (no javascript:, data: or other schemes)",
    ),
    case(
        "source-url-with-bidi",
        "sources/h-url-bidi.json",
        source("h-url-bidi", url="https://example.com/\u202egpj.exe"),
        "sources/h-url-bidi.json:8:10: url: contains U+202E RIGHT-TO-LEFT OVERRIDE at character 21; remove "
        "it: an address is one line of visible characters",
    ),
    case(
        "source-id-with-path",
        "sources/h-src-path.json",
        source("h-src-path", id="../../etc/passwd"),
        "sources/h-src-path.json:2:9: id: '../../etc/passwd' is not valid: expected lower-case letters and "
        "digits in words joined by single hyphens, e.g. vov-2018-quang-japan",
    ),
    case(
        "source-duplicate-key",
        "sources/h-src-dup.json",
        source("h-src-dup").replace(b'"title"', b'"title": "The first title",\n  "title"'),
        "sources/h-src-dup.json:4:3: title: duplicate key 'title' at line 3 column 3 and line 4 column 3: "
        "JSON readers silently keep only the last value; keep one",
    ),
    case(
        "source-infinity",
        "sources/h-src-inf.json",
        source("h-src-inf").replace(b'"published_inferred": false', b'"published_inferred": Infinity'),
        "sources/h-src-inf.json:6:25: published_inferred: Infinity is not valid JSON (JSON numbers are "
        "finite): write a number",
    ),
    case(
        "source-control-in-title",
        "sources/h-src-ctrl.json",
        source("h-src-ctrl", title="Title\x08\x08\x08\x08\x08Other"),
        "sources/h-src-ctrl.json:3:12: title: contains U+0008 BACKSPACE at character 6; remove it: a name is "
        "one line of visible characters and spaces",
    ),
    case(
        "source-text-not-utf8",
        "sources/h-src-latin1.json",
        source("h-src-latin1", sha256=hashlib.sha256(b"caf\xe9\n").hexdigest()),
        "sources/h-src-latin1.json:9:16: text_path: sources/h-src-latin1.txt is not valid UTF-8",
    ),
    case(
        "source-bad-date",
        "sources/h-src-date.json",
        source("h-src-date", published="2015-02-30"),
        "sources/h-src-date.json:5:16: published: '2015-02-30' is not a calendar day: February 2015 has 28 days",
    ),
    case(
        "source-truncated",
        "sources/h-src-cut.json",
        source("h-src-cut")[:-20],
        "sources/h-src-cut.json:10:61: (file): malformed JSON: EOF while parsing a string",
    ),
    # --- File names a terminal would garble ------------------------------------------------------
    case(
        "file-name-with-bidi-and-newline",
        "facts/h-\u202enosj.\n.json",
        b"[]\n",
        'facts/h-\\u202enosj.\\x0a.json:1:1: (file): the file must hold a JSON object like {"facts": '
        "[...]}, not a list",
    ),
]


def _write_case(root: Path, hostile: Case) -> None:
    path = root / hostile.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if hostile.content is not None:
        path.write_bytes(hostile.content)
    elif hostile.name == "oversized":
        with open(path, "wb") as file:
            file.truncate(MAX_FILE_BYTES + 1)  # a real file of that size (sparse where the system allows)
    elif hostile.name == "named-pipe":
        os.mkfifo(path)  # reading it would block forever: the build must not open it
    elif hostile.name == "folder":
        path.mkdir()
    if path.parent.name == "sources" and hostile.content is not None:
        text = b"caf\xe9\n" if hostile.name == "source-text-not-utf8" else SOURCE_TEXT.encode()
        path.with_suffix(".txt").write_bytes(text)


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Every refused case in one corpus, checked by one run of the real command line: the frozen
    example project, and the sources (only) of two more articles, for quotes of the wrong one."""
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    for folder in ("sources", "facts/entities"):
        (root / folder).mkdir(parents=True)
        for path in (FROZEN / folder).glob("*"):
            (root / folder / path.name).write_bytes(path.read_bytes())
    for path in (TWO_ARTICLES_2015 / "sources").glob("*"):
        (root / "sources" / path.name).write_bytes(path.read_bytes())
    (root / "facts" / f"{EXAMPLE_SOURCE}.json").write_bytes((FROZEN / "facts" / f"{EXAMPLE_SOURCE}.json").read_bytes())
    for hostile in CASES:
        _write_case(root, hostile)
    return run_build("check", "--root", root)


def test_there_are_at_least_fifty_cases_with_distinct_files() -> None:
    assert len(CASES) >= 50
    assert len({hostile.path for hostile in CASES}) == len(CASES)
    assert len({hostile.name for hostile in CASES}) == len(CASES)


def test_the_run_reports_every_case_and_nothing_else(refused: Run) -> None:
    assert "Traceback" not in refused.stderr, refused.stderr
    assert refused.returncode == 1
    expected = sorted(line for hostile in CASES for line in hostile.expected)
    assert sorted(refused.lines[:-1]) == expected
    assert refused.lines[-1] == f"{len(expected)} error(s), 0 warning(s)"


@pytest.mark.parametrize("hostile", CASES, ids=[hostile.name for hostile in CASES])
def test_each_case_gets_its_exact_messages(refused: Run, hostile: Case) -> None:
    prefix = hostile.path.replace("\u202e", "\\u202e").replace("\n", "\\x0a") + ":"
    reported = [line for line in refused.lines if line.startswith(prefix)]
    assert reported == list(hostile.expected)
    assert "Traceback" not in refused.stderr


def test_the_hidden_character_class_is_exactly_unicodes_control_and_format_characters() -> None:
    """Categories Cc, Cf, Zl and Zp, but tab and newline: checked against this Python's Unicode tables."""
    import re

    pattern = re.compile(f"[{HIDDEN_CHARACTERS}]")
    wanted = {"Cc", "Cf", "Zl", "Zp"}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue  # lone surrogates are refused when a file is read (case lone-surrogate)
        hidden = unicodedata.category(char) in wanted and char not in "\t\n"
        assert bool(pattern.match(char)) == hidden, f"U+{code:04X} {unicodedata.category(char)}"


# --- Accepted and stored verbatim --------------------------------------------------------------

SCRIPT = "<script>alert('x')</script>"
IMAGE = '<img src=x onerror="alert(1)">'
SQL = "Robert'); DROP TABLE fact; --"
SQL2 = "\" OR 1=1; UPDATE source SET text = '' WHERE '1'='1"
# Legitimate text in other scripts and forms: stored as written (no normalisation).
VIETNAMESE_NFD = unicodedata.normalize("NFD", "Nguyễn Phú Trọng")
LEGITIMATE_NAMES = {
    "person:hostile-script": SCRIPT,
    "person:hostile-sql": SQL,
    "person:hostile-image": IMAGE,
    "person:hostile-vietnamese": "Nguyễn Phú Trọng",
    "person:hostile-vietnamese-nfd": VIETNAMESE_NFD,
    "person:hostile-japanese": "安倍 晋三",
    "person:hostile-arabic": "محمد بن سلمان",  # right-to-left script, without bidi controls
    "person:hostile-emoji": "Flag 🇻🇳 and 😀",
    "person:hostile-long": "N" * 300,
}
ARABIC = LEGITIMATE_NAMES["person:hostile-arabic"]
# The longest text a field may hold (5,000 characters), naming its speaker, as a quote can only
# be as long: the quote that carries a statement holds all its words and names who said it.
LONG_TEXT = f"{SCRIPT} " + "x" * (5000 - len(SCRIPT) - 1)
MULTILINE = "line one\n\tline two"
# Each fact's quote names its entities and holds what the fact says: its words, its number.
HOSTILE_ARTICLE = (
    f"Hanoi (HOSTILE) - The minister wrote {SCRIPT} in the guest book.\n\n"
    f"Officials said {SQL} was not a name they knew; {SQL} said officials knew no such name.\n\n"
    f"A banner read {IMAGE} all day.\n\n"
    f"{ARABIC} said: The word \u200bhidden\u200b was printed with zero-width spaces.\n\n"
    f"{SCRIPT} then wrote {SQL2}\n\n"
    f"{SCRIPT} also wrote: {MULTILINE}\n\n"
    f"The guest book ended: {LONG_TEXT}\n\n"
    f"Japan gave Vietnam 9,007,199,254,740,992 {SCRIPT} in aid.\n"
)
# What each statement of person:hostile-script says, and the quote that carries it.
STATED = {
    "hostile-markup-stated": (SCRIPT, f"The minister wrote {SCRIPT} in the guest book."),
    "hostile-sql-stated": (SQL2, f"{SCRIPT} then wrote {SQL2}"),
    "hostile-image-stated": (IMAGE, f"A banner read {IMAGE} all day."),  # an alias of its speaker
    "hostile-long-text": (LONG_TEXT, LONG_TEXT),
    "hostile-multiline": (MULTILINE, f"{SCRIPT} also wrote: {MULTILINE}"),
}
CORRECTION_QUOTES = [
    f"Officials said {SQL} was not a name they knew; {SQL} said officials knew no such name.",
    f"A banner read {IMAGE}",
]
ZERO_WIDTH_QUOTE = f"{ARABIC} said: The word \u200bhidden\u200b was printed"


def _accepted_corpus(root: Path) -> dict[str, str]:
    """A valid corpus whose every text field holds markup, SQL or other scripts; returns fact texts by id."""
    for folder in ("sources", "facts/entities"):
        (root / folder).mkdir(parents=True)
        for path in (FROZEN / folder).glob("*"):
            (root / folder / path.name).write_bytes(path.read_bytes())
    (root / "sources" / "hostile-markup.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    (root / "sources" / "hostile-markup.json").write_bytes(
        source(
            "hostile-markup",
            text=HOSTILE_ARTICLE,
            title=SCRIPT,
            publisher=SQL,
            url="https://example.com/a?b=<script>&c='--",
            note=f"{IMAGE}\n{SQL2}",
            archived_from=SQL2,
            excluded=[
                {"text": "The word \u200bhidden\u200b was printed", "kind": "no_checkable_claim", "reason": SCRIPT}
            ],
        )
    )
    entities = [
        {"id": entity_id, "name": name, "description": f"{SCRIPT}\n{SQL2}"}
        for entity_id, name in LEGITIMATE_NAMES.items()
    ]
    entities[0]["aliases"] = [{"name": IMAGE, "kind": "other_name"}, {"name": SQL, "kind": "short_name"}]
    (root / "facts" / "entities" / "hostile.json").write_bytes(dumps({"entities": entities}))
    texts = {fact_id: text for fact_id, (text, _) in STATED.items()}
    items = [
        fact(
            fact_id,
            subject="person:hostile-script",
            predicate="stated",
            object=None,
            text=text,
            date_reasoning=f"{SQL} {IMAGE}",
            note=SQL2,
            qualifiers={"topic": SCRIPT, "audience": "person:hostile-sql"},
            citations=[{"source": "hostile-markup", "quote": quote}],
        )
        for fact_id, (text, quote) in STATED.items()
    ]
    items.append(
        fact(
            "hostile-correction",
            subject="person:hostile-sql",
            predicate="stated",
            object=None,
            text="Officials knew no such name.",
            corrections=[{"source": "hostile-markup", "source_says": SQL, "correct": IMAGE, "reason": SQL2}],
            citations=[{"source": "hostile-markup", "quote": quote} for quote in CORRECTION_QUOTES],
        )
    )
    items.append(  # a quote may hold invisible characters when the source does: it is the evidence
        fact(
            "hostile-zero-width-quote",
            subject="person:hostile-arabic",
            predicate="stated",
            object=None,
            text="The word hidden was printed.",
            citations=[{"source": "hostile-markup", "quote": ZERO_WIDTH_QUOTE}],
        )
    )
    items.append(
        fact(
            "hostile-exact-large-amount",
            subject="country:japan",
            predicate="provides_aid_to",
            object="country:vietnam",
            quantity={"amount": 2**53, "unit": SCRIPT},
            citations=[{"source": "hostile-markup", "quote": f"Japan gave Vietnam 9,007,199,254,740,992 {SCRIPT}"}],
        )
    )
    (root / "facts" / "hostile.json").write_bytes(facts(*items))
    return texts


@pytest.fixture(scope="module")
def accepted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, sqlite3.Connection, dict[str, str]]:
    root = tmp_path_factory.mktemp("accepted") / "corpus"
    texts = _accepted_corpus(root)
    output = root / "facts.db"
    result = run_build("build", "--root", root, "--output", output)
    return result, sqlite3.connect(output), texts


def test_markup_sql_and_other_scripts_are_accepted_without_a_traceback(accepted) -> None:
    result, _, _ = accepted
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_every_text_field_is_stored_verbatim(accepted) -> None:
    _, connection, texts = accepted
    one = connection.execute
    for fact_id, text in texts.items():
        row = one("SELECT text, date_reasoning, note FROM fact WHERE id = ?", (fact_id,)).fetchone()
        assert row == (text, f"{SQL} {IMAGE}", SQL2)
        assert dict(one("SELECT name, value FROM qualifier WHERE fact_id = ?", (fact_id,))) == {
            "topic": SCRIPT,
            "audience": "person:hostile-sql",
        }
        quote = one("SELECT quote FROM citation WHERE fact_id = ?", (fact_id,)).fetchone()[0]
        assert quote == STATED[fact_id][1]
    correction = one("SELECT source_says, correct, reason FROM correction WHERE fact_id = 'hostile-correction'")
    assert correction.fetchone() == (SQL, IMAGE, SQL2)
    quotes = [row[0] for row in one("SELECT quote FROM citation WHERE fact_id = 'hostile-correction' ORDER BY id")]
    assert quotes == CORRECTION_QUOTES
    zero_width = one("SELECT quote FROM citation WHERE fact_id = 'hostile-zero-width-quote'").fetchone()[0]
    assert zero_width == ZERO_WIDTH_QUOTE
    assert one("SELECT amount, unit FROM fact WHERE id = 'hostile-exact-large-amount'").fetchone() == (2.0**53, SCRIPT)


def test_entities_and_sources_are_stored_verbatim(accepted) -> None:
    _, connection, _ = accepted
    names = dict(connection.execute("SELECT id, name FROM entity WHERE id LIKE 'person:hostile-%'"))
    assert names == LEGITIMATE_NAMES
    assert names["person:hostile-vietnamese-nfd"] != names["person:hostile-vietnamese"]  # not normalised
    descriptions = {row[0] for row in connection.execute("SELECT description FROM entity WHERE id LIKE '%hostile-%'")}
    assert descriptions == {f"{SCRIPT}\n{SQL2}"}
    aliases = [row[0] for row in connection.execute("SELECT name FROM alias WHERE entity_id = 'person:hostile-script'")]
    assert aliases == [IMAGE, SQL]
    row = connection.execute(
        "SELECT title, publisher, url, note, archived_from, text FROM source WHERE id = 'hostile-markup'"
    ).fetchone()
    assert row == (SCRIPT, SQL, "https://example.com/a?b=<script>&c='--", f"{IMAGE}\n{SQL2}", SQL2, HOSTILE_ARTICLE)
    assert connection.execute("SELECT reason FROM source_exclusion WHERE source_id = 'hostile-markup'").fetchone() == (
        SCRIPT,
    )


def test_no_statement_was_injected(accepted) -> None:
    """The SQL in the data did nothing: every table is there and full, every source text intact."""
    _, connection, texts = accepted
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert connection.execute("SELECT count(*) FROM fact WHERE id LIKE 'hostile-%'").fetchone()[0] == len(texts) + 3
    assert connection.execute("SELECT count(*) FROM source WHERE text = ''").fetchone()[0] == 0
    statement = connection.execute("SELECT statement FROM fact WHERE id = 'hostile-sql-stated'").fetchone()[0]
    assert statement.startswith(f"{SCRIPT} said: “{SQL2}”")  # the sentence built from them, as text


def test_read_json_gives_tools_that_rewrite_files_nothing_to_lose(tmp_path: Path) -> None:
    """`read_json` (for `fmt` and other rewriting tools) returns no document for a file with a repeated key."""
    from factdb.loading import read_json

    (tmp_path / "dup.json").write_bytes(b'{"facts": [{"id": "a", "id": "b"}]}\n')
    document, report = read_json(tmp_path / "dup.json", tmp_path)
    assert document is None
    assert [str(problem) for problem in report.problems] == [
        "dup.json:1:24: facts[0].id: duplicate key 'id' at line 1 column 13 and line 1 column 24: "
        "JSON readers silently keep only the last value; keep one"
    ]
    (tmp_path / "good.json").write_bytes(VALID_FACT_FILE)
    document, report = read_json(tmp_path / "good.json", tmp_path)
    assert (document, report.problems) == (json.loads(VALID_FACT_FILE), [])
