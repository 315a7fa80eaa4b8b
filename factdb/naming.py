"""Names and ids of new entities: an id's slug from a name, the entry to paste for an unknown id.

Ids are plain ASCII slugs (`person:nguyen-phu-trong`) while names keep their diacritics
(Nguyễn Phú Trọng). The slug of a name is its folded form (factdb.evidence.fold: the same
folding by which quotes match names, Đ as D included) in lower case, its words joined by
hyphens; the build publishes the folded name as an alias, so that a search in ASCII finds it.
"""

from __future__ import annotations

import json
import re

from factdb.evidence import fold
from factdb.export import ENTITY_FILES
from schema.models import Entity

# The names the build derives (factdb.evidence.derived_names) are published under kinds of their
# own (evidence.DERIVED_KINDS), not kinds of schema.models.Alias: nobody writes them, a reader of
# the alias table can tell them apart, and export leaves them out.

# The types whose entities may belong to a country (schema.models.Entity.country).
_OF_A_COUNTRY = ("person", "office", "organization", "group", "place")


def slug_of(name: str) -> str | None:
    """The id slug of a name (Nguyễn Phú Trọng: nguyen-phu-trong; Đà Nẵng: da-nang), or None when
    folding leaves letters of another script, which no ASCII spelling stands for."""
    folded = fold(name)
    if not folded.isascii():
        return None
    return "-".join(re.findall(r"[a-z0-9]+", folded.lower())) or None


def entity_file(entity_type: str) -> str:
    """The registry file an entity of this type belongs in (the file `export` writes it to)."""
    return f"facts/entities/{ENTITY_FILES[entity_type]}.json"


def proposed_entry(entity_id: str) -> str:
    """What to add for an entity id the registry lacks: an entry with a name guessed from the slug,
    and the file it belongs in."""
    entity_type, _, slug = entity_id.partition(":")
    entry = {"id": entity_id, "name": slug.replace("-", " ").title()}
    if entity_type in _OF_A_COUNTRY:
        entry["country"] = "country:..."  # a placeholder the check refuses until it is filled in
    return (
        f"if it is new, add {json.dumps(entry, ensure_ascii=False)} to {entity_file(entity_type)} "
        "(the name as usually written in English, diacritics and all; its country, or no country)"
    )


def published_aliases(entity: Entity, derived: list[tuple[str, str]]) -> list[tuple[str, str, str | None]]:
    """The entity's aliases as the database lists them (name, kind, source): those its file gives,
    then the names derived for it (factdb.evidence.derived_names: its ASCII form, "Japan's Prime
    Minister", "V. Putin"), by kinds that tell them apart and that export leaves out."""
    return [(alias.name, alias.kind, alias.source) for alias in entity.aliases] + [
        (name, kind, None) for name, kind in derived
    ]
