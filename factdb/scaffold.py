"""`python build.py new`: start a new source correctly, so its facts can be written at once.

Archives the article's text byte for byte under sources/, records its SHA-256 and
metadata, and writes an empty fact file with its `$schema` line, so that an
editor completes and checks the facts from the first keystroke.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from factdb.evidence import fold
from factdb.formatting import canonical
from factdb.loading import Layout, UnreadableFile, friendly_message, read_project_file
from factdb.problems import field_name
from schema.dates import EdtfError, date_bounds
from schema.models import SLUG_PATTERN, FactFile, Source


class ScaffoldError(ValueError):
    """A reason the new source cannot be created, in words for the contributor."""


# The record's fields that `new` fills from its options: a refused value is named by the option
# the contributor typed, and worded as the checks word it in a file.
_OPTION_OF = {
    "title": "--title",
    "publisher": "--publisher",
    "published": "--date",
    "published_reasoning": "--inferred",
    "url": "--url",
    "id": "--id",
}


@dataclass(frozen=True)
class NewSource:
    text_file: Path
    title: str
    publisher: str | None
    published: str | None
    reasoning: str | None
    url: str | None
    source_id: str | None
    language: str = "en"


# Words an id reads as well without ("vietnam-looks-japan-counterweight-china", not "...-to-japan-as").
_FUNCTION_WORDS = {"a", "an", "the", "to", "of", "for", "as", "in", "on", "and", "at", "by", "with", "from", "its"}


def slug(text: str, words: int = 6) -> str:
    """The first words of a text that carry meaning, folded to ASCII (Đà Nẵng: da-nang)."""
    found = re.findall(r"[a-z0-9]+", fold(text).lower())
    return "-".join([word for word in found if word not in _FUNCTION_WORDS][:words])


def create(root: Path, new: NewSource) -> list[Path]:
    """Write the archived text, its record and an empty fact file; return the paths written."""
    # The article is the contributor's own file, named on the command line: a link to it is
    # followed (resolved) as asked; a pipe or a device is refused all the same, unopened.
    text_file = new.text_file.resolve()
    try:
        data = read_project_file(text_file, text_file.parent)
        data.decode("utf-8")
    except UnreadableFile as error:
        raise ScaffoldError(f"{new.text_file}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ScaffoldError(f"{new.text_file} is not UTF-8 text: save it as UTF-8 first") from None
    if new.published is not None:
        try:
            date_bounds(new.published)
        except EdtfError as error:
            raise ScaffoldError(f"--date: {error}") from None
    year = new.published[:4] if new.published and new.published[:4].isdigit() else ""
    publisher_words = re.findall(r"[a-z0-9]+", fold(new.publisher or "").lower())[:5] or [""]
    # "Voice of Vietnam" gives "vov"; a one-word publisher stays a word.
    publisher = "".join(word[0] for word in publisher_words) if len(publisher_words) > 1 else publisher_words[0]
    source_id = new.source_id or "-".join(part for part in (publisher, year, slug(new.title, 5)) if part)
    if not re.match(SLUG_PATTERN, source_id):
        raise ScaffoldError(f"--id {source_id!r} must be lower-case words joined by hyphens")
    layout = Layout(root)
    paths = [
        layout.sources / f"{source_id}.txt",
        layout.sources / f"{source_id}.json",
        layout.facts / f"{source_id}.json",
    ]
    # lexists: a link there, even a broken one, would be written through, out of the project.
    existing = [str(path.relative_to(root)) for path in paths if os.path.lexists(path)]
    if existing:
        raise ScaffoldError(f"source {source_id!r} exists already ({', '.join(existing)}): choose another --id")
    record = {
        "$schema": "../schema/source.schema.json",
        "id": source_id,
        "title": new.title,
        "publisher": new.publisher,
        "originally_published_by": None,  # as every record (and export) writes it: null until known
        "published": new.published,
        "published_inferred": new.reasoning is not None,
        "published_reasoning": new.reasoning,
        "language": new.language,
        "url": new.url,
        "text_path": f"sources/{source_id}.txt",
        "sha256": hashlib.sha256(data).hexdigest(),
        "archived_from": str(new.text_file.name),
        "excluded": [],
    }
    try:
        Source.model_validate(record)  # the scaffold itself must be valid
    except ValidationError as error:
        reasons = [
            f"{_OPTION_OF.get(detail['loc'][0], field_name(detail['loc']))}: {friendly_message(detail, Source)}"
            for detail in error.errors(include_url=False)
        ]
        raise ScaffoldError("; ".join(reasons)) from None
    facts = {"$schema": "../schema/facts.schema.json", "facts": []}
    layout.sources.mkdir(parents=True, exist_ok=True)
    layout.facts.mkdir(parents=True, exist_ok=True)
    paths[0].write_bytes(data)
    paths[1].write_text(canonical(record, Source), encoding="utf-8")
    paths[2].write_text(canonical(facts, FactFile), encoding="utf-8")
    return paths
