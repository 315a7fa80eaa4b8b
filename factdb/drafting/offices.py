"""Offices the registry lacks, named by the titles before people's names, proposed as draft
entities: "Vietnamese Ambassador to China Pham Sao Mai", "Chinese State Counsellor and Defence
Minister Wei Fenghe", "Minister of Industry and Trade Nguyen Hong Dien".

An office is named as the registry names them, "<Title> of <Country>" ("Defence Minister of
China", "Ambassador of Vietnam to China"), so that the evidence engine derives the ways news
writes it ("Chinese Defence Minister"); the title as written is its alias. A title with neither
a country nor an "of" ("Defence Minister" alone) names no office for certain, and is left to the
reviewer. Military ranks between the title and the name ("Sen. Lieut. Gen") are no office.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from factdb.drafting.name_words import NOT_NAMES, TITLE_WORDS
from factdb.drafting.names import entity_slug, name_key
from factdb.drafting.reading import Sentence
from factdb.evidence import fold
from factdb.validation import Registry

# The nouns a title is of: it ends with one, or holds one before "of" or "to".
_HEADS = {
    "chair", "minister", "president", "premier", "counsellor", "councillor", "councilor", "secretary", "chairman",
    "chairwoman", "chairperson", "speaker", "chancellor", "ambassador", "envoy", "consul", "chief", "governor",
    "mayor", "director", "commander", "spokesperson", "spokesman", "spokeswoman", "king", "queen", "emperor",
    "pm", "fm", "counselor", "head", "charge", "chargé", "ceo",
}  # fmt: skip
_RANKS = {"gen", "lieut", "lt", "col", "maj", "sen", "brig", "senior", "lieutenant", "colonel", "major"}
_CONNECTORS = {"of", "the", "to", "and", "for", "at", "in"}
_NOT_TITLES = {"who", "which", "whose", "said", "says"}
# A title that says what or where it is of ("Head of the Trade Office", "Chargé d'Affaires at the
# US Embassy in Vietnam").
_SAYS_WHERE = re.compile(r" (?:of|at|in) ")
# The words of a title run, right before a name ("Minister of Industry and Trade X", "Vice President
# of the Vietnam Chamber of Commerce and Industry (VCCI) X").
_RUN = re.compile(
    r"(?:[A-Z][\w.'’-]*|of|the|to|and|for)"
    r"(?:\s+(?:[A-Z][\w.'’-]*|\([A-Z]{2,}\)|d['’]Affaires|of|the|to|and|for|at|in))*\s+$"
)
# A title set off after a name by a comma, up to the next comma or full stop ("X, the Cuban
# ambassador to this Asian nation, said"): its first word (past a country's) is a title's.
_APPOSITIVE = re.compile(r",\s+(?:the\s+)?([^,.;:()]+(?:\([A-Z]{2,}\)[^,.;:()]*)*)")


def new_offices(
    sentence: Sentence, registry: Registry, proposed: dict[str, dict[str, Any]], source: str | None = None
) -> Iterator[dict[str, Any]]:
    """An office for each title before a person's name that no office of the registry (or one
    proposed before) names with its country; of a counterpart, with the words that name it in this
    `source` ("his Indonesian counterpart") as an alias of that source only."""
    text = fold(sentence.text)
    for start, end in _people(sentence, registry, proposed):
        # The title before the name ("Defence Minister X"), or after it, set off by a comma ("X,
        # Vice Chair of the Committee on International Trade", "X, the Cuban ambassador").
        spans = [(run.start(), start) for run in [_RUN.search(text, 0, start)] if run is not None]
        spans += [(after.start(1), after.end(1)) for after in [_APPOSITIVE.match(text, end)] if after is not None]
        # Without a country named with the title, the holder's (once the registry has them reviewed),
        # unless the title says what it is of ("Vice Chair of the Committee ... of the European Parliament").
        holder = next((m.entity_id for m in sentence.mentions if m.start == start), None)
        holders = registry.entities[holder].country if holder else None
        found = []
        for first, last in spans:
            named, titles = _titles(text, first, last, sentence, registry, proposed)
            found += [
                (title, written, named or (holders if not _SAYS_WHERE.search(title) else None), headed)
                for title, written, headed in titles
            ]
        counterpart = _counterpart(sentence, start, registry, proposed)
        if counterpart is not None:
            found.append((counterpart[0], counterpart[0], counterpart[1], False))
        for title, written, country, headed in found:
            entity = _office(title, written, country, sentence, registry, proposed, headed)
            if entity is None:
                continue
            if counterpart is not None and title == counterpart[0] and source is not None:
                entity["aliases"].append({"name": counterpart[2], "kind": "other_name", "source": source})
                entity["draft"] += f"; {counterpart[2]!r} names it in this article only"
            proposed[entity["id"]] = entity
            yield entity


# "X and his Indonesian counterpart Retno Marsudi": the counterpart holds X's office, of the
# country named.
_COUNTERPART = re.compile(
    r"(?<!\w)(?:his|her|their)\s+(?P<country>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)\s+counterparts?,?\s+$"
)


def _counterpart(
    sentence: Sentence, start: int, registry: Registry, proposed: dict[str, dict[str, Any]]
) -> tuple[str, str, str] | None:
    """Of a person named at `start` as the counterpart of one named before ("Vietnamese Minister of
    Foreign Affairs Bui Thanh Son and his Indonesian counterpart Retno Marsudi"): the title of the
    one before, the counterpart's country, and the words naming the counterpart's office."""
    text = fold(sentence.text)
    match = _COUNTERPART.search(text, 0, start)
    if match is None:
        return None
    country = _country_at(match.start("country"), sentence, registry, proposed)
    others = [person for person in _people(sentence, registry, proposed) if person[1] <= match.start()]
    run = _RUN.search(text, 0, others[-1][0]) if others else None
    if country is None or run is None:
        return None
    _, titles = _titles(text, run.start(), others[-1][0], sentence, registry, proposed)
    words = sentence.text[match.start("country") : match.end()].rstrip(" ,")  # ("Indonesian counterpart")
    return (titles[0][0], country, words) if titles else None


def _people(sentence: Sentence, registry: Registry, proposed: dict[str, dict[str, Any]]) -> list[tuple[int, int]]:
    """Where the sentence names a person, of the registry or proposed: (start, end)."""
    spans = {(m.start, m.end) for m in sentence.mentions if registry.entities[m.entity_id].type == "person"}
    for entity in proposed.values():
        if entity["id"].startswith("person:"):
            spans |= {match.span() for match in re.finditer(re.escape(entity["name"]), sentence.text)}
    return sorted(spans)


def _titles(
    text: str, start: int, end: int, sentence: Sentence, registry: Registry, proposed: dict[str, dict[str, Any]]
) -> tuple[str | None, list[tuple[str, str, bool]]]:
    """The country the titles in text[start:end] open with, and each title with its words as
    written (with the country's) and whether it names the organisation it heads: "Chinese State
    Counsellor and Defence Minister" gives China, ("State Counsellor", "Chinese State Counsellor",
    False) and ("Defence Minister", "Defence Minister", False); "FIA Director", the FIA's country and
    ("Director of the Foreign Investment Agency", "FIA Director", True)."""
    # Only what follows the last person named before ("X and Chinese Ambassador to Vietnam").
    for _, last in _people(sentence, registry, proposed):
        if start < last <= end:
            start = last
    words = [
        (match.group(), start + match.start(), start + match.end()) for match in re.finditer(r"\S+", text[start:end])
    ]
    while words and (words[0][0] in _CONNECTORS or words[0][0] in NOT_NAMES):
        words.pop(0)
    country = _country_at(words[0][1], sentence, registry, proposed) if words else None
    opening = words[0][1] if words else end
    if country is not None:
        words.pop(0)
    # An organisation before the title is what it heads ("FIA Director X": Director of the FIA).
    organisation = _organisation_at(words, sentence, registry, proposed) if country is None and words else None
    headed = organisation is not None
    if organisation is not None:
        covered, of, country = organisation
        words = words[covered:]
    while words and words[-1][0].rstrip(".").casefold() in _RANKS:
        words.pop()
    parts: list[list[tuple[str, int, int]]] = [[]]
    for index, word in enumerate(words):
        rest = words[index + 1 :]
        if (
            word[0] == "and"
            and _is_title(parts[-1])
            and rest
            and _HEADS & {rest[0][0].casefold(), rest[-1][0].casefold()}
        ):
            parts.append([])
        else:
            parts[-1].append(word)
    found = []
    for number, part in enumerate(parts):
        if _is_title(part):
            # (as written, with its marks: "Chargé d’Affaires", not the folded "Charge d'Affaires")
            title = " ".join(sentence.text[first:last] for _, first, last in part)
            if organisation is not None:
                title += f" of {of}"
            found.append((title, sentence.text[opening if number == 0 else part[0][1] : part[-1][2]], headed))
    return country, found


def _is_title(words: list[tuple[str, int, int]]) -> bool:
    """Whether the words are a title: opening with a title's word, holding the noun it is of."""
    return (
        bool(words)
        and (words[0][0][:1].isupper() or words[0][0].casefold() in TITLE_WORDS)
        and words[0][0].casefold() not in _NOT_TITLES
        and any(word.casefold() in _HEADS for word, _, _ in words)
    )


def _organisation_at(
    words: list[tuple[str, int, int]], sentence: Sentence, registry: Registry, proposed: dict[str, dict[str, Any]]
) -> tuple[int, str, str | None] | None:
    """The organisation the words open with, by the registry's name for it or by the abbreviation
    (or first word, in capitals) of one proposed: how many words it takes, its name as a title's "of"
    names it ("the Foreign Investment Agency", "IHI Corporation") and its country."""
    for mention in sentence.mentions:
        entity = registry.entities[mention.entity_id]
        if mention.start == words[0][1] and entity.type == "organization":
            covered = sum(1 for _, _, last in words if last <= mention.end)
            return covered, _with_article(entity.name), entity.country
    word = words[0][0]
    for entity in proposed.values():
        names = [alias["name"] for alias in entity.get("aliases") or () if alias["kind"] == "abbreviation"]
        if entity["id"].startswith("organization:") and (
            word in names or (word.isupper() and len(word) > 1 and entity["name"].split()[0] == word)
        ):
            return 1, _with_article(entity["name"]), entity.get("country")
    return None


def _with_article(name: str) -> str:
    """ "the Foreign Investment Agency", but "IHI Corporation" (a name opening with an abbreviation)."""
    first = name.split()[0]
    return name if first.isupper() or first == "The" else f"the {name}"


def _country_at(
    position: int, sentence: Sentence, registry: Registry, proposed: dict[str, dict[str, Any]]
) -> str | None:
    """The country named at the position: by the registry, or proposed by its name or demonym."""
    for mention in sentence.mentions:
        if mention.start == position and registry.entities[mention.entity_id].type == "country":
            return mention.entity_id
    word = fold(sentence.text)[position:].split(" ", 1)[0].rstrip("'’s")
    for entity in proposed.values():
        if entity["id"].startswith("country:"):
            names = {entity["name"], *(alias["name"] for alias in entity.get("aliases") or ())}
            if word in names:
                return entity["id"]
    return None


def _office(
    title: str,
    written: str,
    country: str | None,
    sentence: Sentence,
    registry: Registry,
    proposed: dict[str, dict[str, Any]],
    headed: bool = False,
) -> dict[str, Any] | None:
    """The entry of the office a title names with its country (or, `headed`, with the organisation
    it heads: "Director of the Foreign Investment Agency"), unless the registry has it."""
    title, written = (re.sub(r"\s*\([A-Z]{2,}\)", "", words) for words in (title, written))
    title = title[:1].upper() + title[1:]  # ("the Cuban ambassador")
    before, to, after = title.partition(" to ")
    if to and not after[:1].isupper():  # "ambassador to this Asian nation": to where, it does not say
        title = before
    if country is None and not _SAYS_WHERE.search(title):
        return None  # ("Defence Minister" of whom?)
    country_name = (
        registry.entities[country].name if country in registry.entities else proposed.get(country or "", {}).get("name")
    )
    if country_name is None or headed:
        name = title
    elif " to " in title:  # "Ambassador to China" of Vietnam
        before, _, after = title.partition(" to ")
        name = f"{before} of {country_name} to {after}"
    else:
        name = f"{title} of {country_name}"
    slug = entity_slug(name)
    if slug is None or f"office:{slug}" in registry.entities or f"office:{slug}" in proposed:
        return None
    wanted = {name_key(title), name_key(name), name_key(written)}
    if any(
        entity.type == "office"
        and entity.country in (country, None)
        and wanted & {name_key(other) for other in registry.names.names(entity_id)}
        for entity_id, entity in registry.entities.items()
    ):
        return None
    entity: dict[str, Any] = {"id": f"office:{slug}", "name": name}
    aliases = [{"name": other, "kind": "other_name"} for other in dict.fromkeys((written, title)) if other != name]
    if aliases:
        entity["aliases"] = aliases
    if country is not None:
        entity["country"] = country
    where = f"its country ({country}) from the title or its holder" if country else "no country named with it"
    entity["draft"] = (
        f"the title {written!r} before a person's name in {sentence.text[:80]!r}...; {where}. Check the name "
        "(the office, as '<Title> of <Country>'), its aliases and its country"
    )
    return entity
