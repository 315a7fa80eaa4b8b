"""Who a proposed fact is about: the trigger that names its predicate, its subject and object,
and whom "he", "the two leaders", "the Vietnamese leader" or "Hanoi" stand for (entities the
article names elsewhere)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from factdb.drafting.reading import Sentence, dateline
from factdb.evidence import Mention, fold, referring_words
from factdb.validation import Registry
from schema.vocabulary import PREDICATES, Predicate


class Role(NamedTuple):
    """An entity a fact names, and how the sentence names it: by its own words (mention), or by
    referring words ("the two leaders", "Hanoi" for Vietnam) that another sentence of the
    article (context) resolves."""

    entity_id: str
    words: str
    referent_words: str | None = None
    context: str | None = None


Roles = tuple[Predicate, Role, Role | None]
Named = tuple[Mention, Role]  # where the sentence names a role
Typed = Callable[[list[Mention], tuple[str, ...]], list[Named]]

PLURAL = re.compile(
    r"^(?:the|both|these)\b.*\b(?:leaders|sides|countries|nations|governments|ministers|presidents|premiers|pms)$"
    r"|^they$|^the host and (?:the )?guest$",
    re.I,
)
_WHERE = re.compile(r"(?<!\w)(?:in|at)\s+$", re.I)
_JOINED_VERB = re.compile(r"(?:,\s*|\s)and\s+(?:also\s+)?$", re.I)
_TOLD = re.compile(r"(?:told|tells|telling)\s+[^,;]*?\bthat\s+", re.I)
# A delegation that acts ("the delegation also met ..."), not delegations exchanged ("continue the
# exchange of delegations in various forms").
_DELEGATION = re.compile(r"(?<!exchange of )(?<!exchanges of )\bdelegations?\b", re.I)
# Pairs the evidence engine's referring words lack: "the two PMs", "the host and guest".
_PLURAL_TITLES = re.compile(
    r"(?<!\w)(?:(?:the|both|these|those) (?:two|three) (?:PMs|premiers)|the host and (?:the )?guest)(?!\w)", re.I
)
_POSSESSIVES = re.compile(r"^(?:his|her|their|its|him|them)$", re.I)  # they name no subject
_HE = re.compile(r"he|she", re.I)
_STATES = re.compile(r"\b(?:sides|countries|nations|governments)$", re.I)
# Said of a pair ("the two leaders vowed to ..."): what both said or promised is what they agreed.
_AGREED_BY_A_PAIR = {"agreed_with", "committed_to", "position_on", "strengthens_ties_with", "pledged_to"}
SYMMETRIC = {"agreed_with", "held_talks_with", "met", "held_press_conference_with", "exchanged_documents_with"}
# Relations of a pair, which the article may name in either order ("Vietnam-Russia diplomatic
# ties", "Hanoi is engaged in territorial rows with Beijing"): Vietnam's side is put first.
BETWEEN = SYMMETRIC | {"diplomatic_relations_with", "trade_with", "trade_growth_with", "in_dispute_with", "allied_with"}
SPEECH = {"position_on", "stated"}
REFERENT = "referent"  # how a mention names by title whom another sentence names ("the Vietnamese leader")
VIETNAM = "country:vietnam"
# Both ways round: "they committed to mutually supporting the candidacy ...".
_MUTUAL = re.compile(r"\b(?:mutually|each other|one another)\b", re.I)
# Two named together as one party: "Chinh and his Japanese counterpart Kishida", "Nguyen Phu
# Trong and President Vladimir Putin and other Russian leaders".
_AND = re.compile(
    r",?\s+and\s+(?:his|her|its)?\s*(?:[\w-]+\s+)?(?:counterpart\s+)?"
    r"(?:(?:[A-Z][\w.'’-]*|of|for|on|the|to|\([A-Z]+\))\s+)*"  # ("and Chinese Ambassador to Vietnam Xiong Bo")
)
# One more of a list after the trigger: "both President Truong and Prime Minister Nguyen Tan
# Dung", "Japan, China and Korea" (titles in capitals may stand between, and join their words
# with "of the": "Chairman of the State Duma Vyacheslav Volodin").
_ALSO = re.compile(
    r"(?:,|,?\s+and|,?\s+as well as)\s+(?:(?:his|her|its|their|other)\s+)?"
    r"(?:[A-Z][\w.'’-]*\s+(?:(?:of|for|on)\s+(?:the\s+)?)?)*"
)
# Whose it is: "Vietnam's biggest aid benefactor", "Vietnam’s largest trading partner" (words of
# one noun phrase: not "Vietnam’s railways and proposed").
_POSSESSIVE = re.compile(r"['’]s?\s+(?:(?!(?:and|or|but)\s)[\w-]+\s+){0,2}")
# What an attributed claim opens with ("Chinh said Vietnam ...", "Kishida re-affirmed that Japan
# ...", "According to the document, ..."), or a clause of its own (", where Hanoi is engaged in
# territorial rows with Beijing"): the claim's own actor is named after it.
_SPEECH_VERBS = (
    r"(?<!\w)(?:"
    + "|".join(
        re.escape(trigger.rstrip(":"))
        for trigger in sorted({*PREDICATES["position_on"].triggers, *PREDICATES["stated"].triggers}, key=len)[::-1]
    )
    + r")(?!\w)(?:\s+that(?!\w))?"
)
_REQUEST = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(trigger) for trigger in PREDICATES["requested"].triggers) + r")(?!\w)", re.I
)
_CLAIMS = re.compile(rf"(?P<speech>{_SPEECH_VERBS})|(?:,|;)\s+(?:where|while|whereas|which|who)(?!\w)", re.I)
# A leader by title instead of by name: "the Vietnamese leader", "the Russian President", "the
# Japanese PM" (the country's name or demonym in capitals, as news writes it), "the PM".
_INVITED = re.compile(
    r"(?<!\w)invit(?:ed|es|ing|e)\s+(?P<guest>[^.;]+?)\s+to\s+(?:(?:pay|make)\s+)?(?:(?:an?|the)\s+)?"
    r"(?:(?:official|state|working)\s+)?$",
    re.I,
)
_LEADER_TITLES = (
    r"(?i:leader|president|prime minister|pm|premier|foreign minister|defence minister|defense minister|minister|"
    r"chairman|"
    r"chairwoman|party chief|general secretary|ambassador|envoy|state counsellor)(?!\w)"
)
_TITLED = re.compile(
    rf"(?<!\w)[Tt]he\s+(?:(?!{_LEADER_TITLES})(?P<country>[A-Z][\w-]*)\s+)?{_LEADER_TITLES}"
)  # (not "Prime" as a country)


@dataclass
class Memory:
    """What the article names: for each entity a sentence that names it (`contexts`, given up
    front), and of the sentences read so far the pairs of people and of countries named together
    ("the two leaders", "the two sides"), the people ("he") and the last naming anyone ("it")."""

    contexts: dict[str, Sentence] = field(default_factory=dict)
    # How often the whole article names each person (given up front): "the Vietnamese Prime
    # Minister" before Chinh is first named is still Chinh.
    cast: dict[str, int] = field(default_factory=dict)
    # For each kind, each pair named together: how often, when last, and the sentence. "The two
    # leaders" are the pair just named, else the pair named together most often (the article's
    # protagonists), the latest on a tie (see pair).
    pairs: dict[str, dict[frozenset[str], tuple[int, int, Mention, Mention, Sentence]]] = field(default_factory=dict)
    # For each kind, the latest sentence that names two of it (not three: a list is no pair), when.
    latest: dict[str, tuple[int, Mention, Mention, Sentence]] = field(default_factory=dict)
    delegation: int = 0  # when a sentence last named a delegation (0: none has)
    last: Sentence | None = None
    # Each person named so far, how often, and where last: "he" is the article's main actor
    # (named most often; an interview's subject, not whoever he quoted last).
    people: dict[str, tuple[int, Mention, Sentence]] = field(default_factory=dict)
    # The person a recent sentence's main clause opened with, and when: "Wei, for his part,
    # affirmed ... He also wished ...": "he" is Wei, though the article names the ambassador most.
    actor: tuple[int, Mention, Sentence] | None = None
    read: int = 0

    def remember(self, sentence: Sentence, registry: Registry) -> None:
        resolved = self.resolve(sentence, registry)
        meant = self._pairs_meant(resolved)
        self.read += 1
        # A pair referred to ("The two leaders agreed ... They also ...") is named anew.
        self.latest |= {kind: (self.read, *pair) for kind, pair in meant.items()}
        for kind in ("person", "country"):
            # "The Vietnamese leader" is a person of the article, and still names his country; a
            # person named stands for their country ("Meeting his counterpart Modi, Chinh ...").
            named = list(
                people_or_countries_in(
                    resolved if kind == "person" else sentence, kind, len(sentence.text), self, registry
                )
            )
            known = self.pairs.setdefault(kind, {})
            if len(named) == 2:
                self.latest[kind] = (self.read, named[0], named[1], sentence)
            for first, second in itertools.combinations(named, 2):
                key = frozenset((first.entity_id, second.entity_id))
                count = known[key][0] if key in known else 0
                known[key] = (count + 1, self.read, first, second, sentence)
        for mention in resolved.mentions:
            if registry.entities[mention.entity_id].type == "person":
                count = self.people.get(mention.entity_id, (0, mention, sentence))[0]
                self.people[mention.entity_id] = (count + 1, mention, resolved)
        if resolved.mentions:
            self.last = resolved
        main = main_clause(resolved.text)
        actors = [m for m in resolved.mentions if m.start >= main and registry.entities[m.entity_id].type == "person"]
        if actors:
            self.actor = (self.read, actors[0], resolved)
        if _DELEGATION.search(sentence.text):
            self.delegation = self.read

    def resolve(self, sentence: Sentence, registry: Registry) -> Sentence:
        """The sentence with a leader named by title ("the Vietnamese leader", "the PM") as a
        mention of the person of that country (of any, where none is named) the article has named
        most so far, where it has named one and no name follows the title ("the Russian President
        Vladimir Putin")."""
        mentions = list(sentence.mentions)
        for match in _TITLED.finditer(fold(sentence.text)):
            start, end = match.span()
            inside = [m for m in mentions if start <= m.start and m.end <= end]
            country = next(
                (
                    m.entity_id
                    for m in inside
                    if m.start == match.start("country") and registry.entities[m.entity_id].type == "country"
                ),
                None,
            )  # (not the office "Vietnamese Prime Minister" that starts there too)
            if match["country"] and country is None:
                continue  # "the Party leader": no country's
            person = self.most_named_of(country, registry)
            named_next = any(m.start > end and not sentence.text[end : m.start].strip() for m in mentions)
            if person is not None and not named_next:
                mentions = [m for m in mentions if m not in inside]
                mentions.append(Mention(person, start, end, sentence.text[start:end], REFERENT))
        return sentence._replace(mentions=sorted(mentions, key=lambda m: (m.start, -m.end, m.entity_id)))

    def most_named_of(self, country: str | None, registry: Registry) -> str | None:
        """The person of the country (of any, without one) named most so far, else (of a country)
        the one of it the whole article names most."""
        named = [
            (count, person)
            for person, (count, _, _) in self.people.items()
            if country is None or registry.entities[person].country == country
        ]
        if not named and country is not None:
            named = [
                (count, person) for person, count in self.cast.items() if registry.entities[person].country == country
            ]
        return max(named, key=lambda entry: entry[0])[1] if named else None

    def context(self, mention: Mention, sentence: Sentence) -> Sentence:
        """A sentence that names whom the mention in `sentence` stands for: the sentence itself,
        unless it names them by title only ("the Vietnamese leader")."""
        return self.contexts[mention.entity_id] if mention.how == REFERENT else sentence

    def pair(self, kind: str, *, just_named: bool = False) -> tuple[Mention, Mention, Sentence] | None:
        """The pair "the two leaders" (of people) or "both sides" (of countries) stand for: the one
        named in the latest sentence naming a pair, if one of the last two (an article covering
        several visits moves from pair to pair), else (unless `just_named`) the one named together
        most."""
        latest = self.latest.get(kind)
        if latest is not None and latest[0] >= self.read - 1:
            return latest[1:]
        known = self.pairs.get(kind)
        if just_named or not known:
            return None
        _, _, first, second, sentence = max(known.values(), key=lambda entry: entry[:2])
        return first, second, sentence

    def _pairs_meant(self, sentence: Sentence) -> dict[str, tuple[Mention, Mention, Sentence]]:
        """The pairs the sentence's "the two leaders", "both sides" or "they" may stand for."""
        plural = [words.lower() for _, _, words in referred_to(sentence) if PLURAL.match(words)]
        they = all(words == "they" for words in plural)
        if not plural or (they and self.delegation_just_named):
            return {}
        meant = {kind: self.pair(kind, just_named=they) for kind in ("person", "country")}
        return {kind: pair for kind, pair in meant.items() if pair is not None}

    @property
    def delegation_just_named(self) -> bool:
        return self.delegation > 0 and self.delegation == self.read

    @property
    def person(self) -> tuple[Mention, Sentence] | None:
        """Whom "he" stands for: the actor of one of the last two sentences, else the person the
        article has named most so far."""
        if self.actor is not None and self.actor[0] >= self.read - 1:
            _, mention, sentence = self.actor
            return mention, self.context(mention, sentence)
        if not self.people:
            return None
        _, mention, sentence = max(self.people.values(), key=lambda entry: entry[0])
        return mention, self.context(mention, sentence)


def read_ahead(sentences: list[Sentence], registry: Registry) -> Memory:
    """What is known before the article is read: for each entity the first sentence that names
    it, and how often it names each person."""
    contexts: dict[str, Sentence] = {}
    cast: dict[str, int] = {}
    for sentence in sentences:
        for mention in sentence.mentions:
            contexts.setdefault(mention.entity_id, sentence)
            if registry.entities[mention.entity_id].type == "person":
                cast[mention.entity_id] = cast.get(mention.entity_id, 0) + 1
    return Memory(contexts, cast)


def roles_of(
    predicate: Predicate, sentence: Sentence, memory: Memory, trigger: tuple[int, int], registry: Registry
) -> list[Roles]:
    """The subjects and objects that the trigger (its start and end) proposes: none, one, or
    several ("Trong outranks both President Truong and Prime Minister Nguyen Tan Dung")."""
    at = trigger[0]
    sentence = memory.resolve(sentence, registry)
    news_filed = dateline(sentence.text)
    filed = news_filed.end() if news_filed else 0  # (no role for where the news was filed)

    def typed(mentions: list[Mention], types: tuple[str, ...]) -> list[Named]:
        """The mentions of entities of these types; a capital named for its country ("Hanoi is
        engaged in territorial rows with Beijing") where the role takes a country, not a place."""
        found = []
        for mention in mentions:
            entity = registry.entities[mention.entity_id]
            if mention.start < filed:  # ("HAVANA, Cuba, July 2 (ACN) Vietnam gave ...": where it was filed)
                continue
            if mention.how == REFERENT and entity.type in types:
                context = memory.contexts[mention.entity_id].text
                found.append((mention, Role(mention.entity_id, mention.words, mention.words, context)))
            elif entity.type in types:
                found.append((mention, Role(mention.entity_id, mention.words)))
            elif (
                entity.type == "place"
                and "place" not in types
                and "country" in types
                and entity.country
                and not _WHERE.search(sentence.text, 0, mention.start)  # "met in Hanoi": a place, not Vietnam
            ):
                context = memory.contexts.get(entity.country)
                if context is not None:
                    found.append((mention, Role(entity.country, mention.words, mention.words, context.text)))
        return found

    if fold(sentence.text)[trigger[0] : trigger[1]].lower() in predicate.received_triggers:
        return _received(predicate, sentence, trigger, typed)
    between = (
        _between(predicate, sentence, trigger, typed)
        or _partnership_between(predicate, sentence, trigger, typed)
        or _fronted(predicate, sentence, trigger, typed, registry)
    )
    if between:
        return between
    if (pair_after := _between_the_pair(predicate, sentence, trigger)) is not None:
        return _pair(predicate, sentence, memory, pair_after, registry)
    owner = _owner(sentence.text, trigger[1], typed(sentence.mentions, predicate.subject_types), predicate)
    claim, told = (None, None) if predicate.id in SPEECH else _claim(sentence, at)
    # A claim that names no one before the trigger is its teller's ("..., he said, while also
    # seeking expanded Japanese investment").
    spoken = _speakers(predicate, sentence, memory, told, typed) if told is not None else []
    teller = spoken[0][1] if spoken else None
    main = main_clause(sentence.text)  # (not "At his meeting with Trudeau, ..." : whom he met)
    start = claim.end() if claim is not None else at if told is not None else main if main <= at else 0
    referring = [(begin, words) for begin, _, words in referred_to(sentence) if start <= begin < at]
    mentioned = [m for m in sentence.mentions if start <= m.start and m.end <= at]
    # ("Russian President Putin said": Putin, not Russia)
    before = [
        named
        for named in typed(mentioned, predicate.subject_types)
        if not _adjective_of_its_own(sentence, named[0], registry)
    ]
    if claim is not None and claim.group().lower().endswith("who"):
        # "... President Tran Dai Quang, who is on a state visit to China and will attend ...": the
        # one "who" stands for, not China.
        before = [named for named in typed(sentence.mentions, predicate.subject_types) if named[0].end == claim.start()]
    # "Xi invited Nguyen Phu Trong, general secretary of ..., to visit China": the guest visits.
    invited = _INVITED.search(sentence.text, 0, at) if predicate.id == "visited" else None
    guests = [
        named
        for named in typed(sentence.mentions, predicate.subject_types)
        if invited and invited.start("guest") <= named[0].start < invited.end("guest")
    ]
    # "The two leaders agreed ...", "..., the two countries' trade has grown": the pair named
    # together most, where those words are the nearest to the trigger that can be its subject.
    nearest = next(
        (
            (begin, words)
            for begin, words in referring[::-1]
            if not _POSSESSIVES.match(words) and not _AFTER_BETWEEN.search(sentence.text, 0, begin)
        ),
        None,
    )  # (not "the two nations" of "relations between the two nations, contributing to boosting ...")
    of_a_pair = {"person", "country"} & set(predicate.subject_types)  # (not "the two nations'" anniversary)
    if of_a_pair and nearest and PLURAL.match(nearest[1]) and (not before or nearest[0] > before[-1][0].start):
        return _pair(predicate, sentence, memory, nearest, registry)
    if predicate.id in SPEECH:
        return _speakers(predicate, sentence, memory, at, typed)
    # (or named by the trigger's own words: "signed a Comprehensive Strategic Partnership agreement")
    after = [named for named in typed(sentence.mentions, predicate.object_types) if named[0].end > at]
    if "person" in predicate.object_types:
        after = [named for named in after if not _adjective_of_its_own(sentence, named[0], registry)]
    # Whose the trigger's noun is, right before it ("China's muscle-flexing", "Chinh's official
    # visit to Japan") is its subject, unless it is what the fact is about ("Japan for being
    # Vietnam's biggest aid benefactor": then the object, below).
    possessor = next((named for named in before[::-1] if _POSSESSIVE.fullmatch(sentence.text, named[0].end, at)), None)
    # "He thanked the US for ... and proposed the US consider ...": one referred to ("he") before
    # anyone named in the claim is its subject, not the one named after the first verb.
    opening = next((r for r in referring if not _POSSESSIVES.match(r[1]) and not PLURAL.match(r[1])), None)
    opens = bool(before) and opening is not None and opening[0] < before[0][0].start
    ranked = [named for named in before if possessor and named[1].entity_id != possessor[1].entity_id]
    if predicate.id == "ranks_as_partner_of" and possessor and ranked and not opens:
        # "Japan is Vietnam's largest aid donor, after South Korea": whose partner it is, is the object.
        return [(predicate, ranked[0][1], possessor[1])]
    # What was signed, of "signed" with no agreement before it, is named right after the word ("New
    # Zealand and Vietnam signed a Comprehensive Strategic Partnership agreement").
    signed = next(
        (
            role
            for mention, role in typed(sentence.mentions, predicate.subject_types)
            if predicate.id == "signed" and _SIGNED.fullmatch(sentence.text, trigger[1], mention.start)
        ),
        None,
    )
    if guests:
        subject = guests[0][1]
    elif (
        owner and predicate.id == "anniversary"
    ):  # "the strategic partnership ... ahead of the 50th anniversary of diplomatic ties"
        subject = owner
    elif possessor and (not predicate.object_types or any(n[1].entity_id != possessor[1].entity_id for n in after)):
        subject = possessor[1]
    elif before and not opens:
        subject = before[0][1]
    elif (
        whose := owner or teller
    ) and not opens:  # "the 25th anniversary of the signing of ...", "the visit of Kishida"
        subject = whose
    elif predicate.id in BETWEEN and (bilateral := _BILATERAL.search(sentence.text, 0, trigger[1])):
        # "Two-way trade reached 50 billion USD": of the two countries the article is about.
        pair = memory.pair("country")
        if pair is None:
            return []
        first, second, named_in = pair
        words = bilateral.group()
        return [
            (
                predicate,
                Role(first.entity_id, first.words, words, memory.context(first, named_in).text),
                Role(second.entity_id, second.words, words, memory.context(second, named_in).text),
            )
        ]
    elif signed is not None:
        subject = signed
    elif referring and memory.last is not None:  # "He said ...": the first of those named last
        words = opening[1] if opens and opening else referring[0][1]
        main = main_clause(memory.last.text)  # (not the one met in "At his meeting with X, Chinh ...")
        # "He" or "she" is a person ("The official called on German firms ... He also appealed to ..."):
        # whom the article's last sentences are about, not a group they name first.
        kinds = ("person",) if _HE.fullmatch(words) and "person" in predicate.subject_types else predicate.subject_types
        stand_ins = typed([m for m in memory.last.mentions if m.start >= main], kinds) or typed(
            memory.last.mentions, kinds
        )
        if not stand_ins and kinds == ("person",) and memory.person is not None:
            mention, context = memory.person
            stand_ins = [(mention, Role(mention.entity_id, mention.words, words, context.text))]
        if not stand_ins:
            return []
        subject = stand_ins[0][1]._replace(referent_words=words, context=stand_ins[0][1].context or memory.last.text)
    else:
        return []
    if not predicate.object_types:
        return [(predicate, subject, None)]
    if predicate.id in BETWEEN | {"strengthens_ties_with"}:  # all named before it as one party
        joined = _joined(sentence.text, before)
        if len(joined) > 1:
            return [(predicate, joined[0], other) for other in joined[1:]]
    # Not the subject, nor its own country whose the trigger's noun is ("Phuc pledged Vietnam's
    # willingness to cooperate with China": China), nor, of a role that takes no place, a
    # country where it happens ("support for them to do business in Vietnam"), unless a ranking's
    # ("the largest investor in Vietnam": whose investor it is).
    own = _country(subject, registry)
    anywhere = "place" in predicate.object_types or predicate.id == "ranks_as_partner_of"
    others = [
        named
        for named in after
        if named[1].entity_id != subject.entity_id
        and not (named[1].entity_id == own and _OWN.match(sentence.text, named[0].end))
        and (anywhere or not _WHERE.search(sentence.text, 0, named[0].start))
    ]
    if others:  # the first after the trigger, and those listed with it
        listed = [others[0]]
        for named in others[1:]:
            if _ALSO.fullmatch(sentence.text, listed[-1][0].end, named[0].start):
                listed.append(named)
        return _both_ways(sentence, [(predicate, subject, role) for _, role in listed])
    # "Chinh proposed the two sides ...", "Assoumani agreed that the two sides would ...".
    if predicate.id in ("requested", "agreed_with") and (
        other := _other_of_a_pair(sentence, memory, at, subject, registry)
    ):
        # Who agreed with a person is a person: the other side's leader the article names most.
        leader = memory.most_named_of(other.entity_id, registry) if predicate.id in SYMMETRIC else None
        if leader and registry.entities[subject.entity_id].type == "person" and leader in memory.contexts:
            other = other._replace(entity_id=leader, context=memory.contexts[leader].text)
        return [(predicate, subject, other)]
    # Named before the trigger: whose it is ("Japan for being Vietnam's biggest aid benefactor"),
    # or a partner ("Vietnam-Russia diplomatic ties").
    candidates = [
        named for named in typed(mentioned, predicate.object_types) if named[1].entity_id != subject.entity_id
    ]
    possessor = next(
        (named for named in candidates[::-1] if _POSSESSIVE.fullmatch(sentence.text, named[0].end, at)), None
    )
    partner = possessor or (candidates[0] if predicate.id in BETWEEN and candidates else None)
    if partner:
        return _both_ways(sentence, [(predicate, subject, partner[1])])
    if predicate.id == "pledged_to" and _PLEDGE.fullmatch(fold(sentence.text)[at : trigger[1]]):
        # "He pledged to do his utmost to nurture ...": a pledge to no one is a commitment.
        return [(PREDICATES["committed_to"], subject, None)]
    return []


_PLEDGE = re.compile(r"pledg\w*|promis\w*", re.I)


_OWN = re.compile(r"['’]s?\s")
_SIGNED = re.compile(r"\s+(?:(?:a|an|the|their|its)\s+)?(?:new\s+)?")  # what was signed, right after the word


# Before a trigger that opens the sentence's first clause: "At his meeting with Trudeau, Chinh
# ...", "Meeting his Indian counterpart Modi, ...", "During his visit to Japan, ...".
# Participles that open a sentence with a clause of its main actor's ("Expressing willingness to
# work with X, the ambassador said ...").
_PARTICIPLES = r"Meeting|Visiting|Receiving|Speaking|Expressing|Voicing|Stressing|Welcoming|Hosting|Attending"
_OPENING_CLAUSE = re.compile(
    r"^[\W_]*(?:(?:[Aa]t|[Dd]uring|[Ww]hile|[Ww]hen|[Oo]n|[Aa]fter|[Uu]pon|[Ii]n)\s+)?"
    rf"(?:(?:his|her|their|the|a|an)\s+)?(?:[a-z][\w-]*\s+|(?:{_PARTICIPLES})\s+)?$"
)


_FROM = re.compile(r"\s+from\s+(?:the\s+)?$", re.I)


def _received(predicate: Predicate, sentence: Sentence, trigger: tuple[int, int], typed: Typed) -> list[Roles]:
    """ "Vietnam has taken delivery of six patrol vessels from Japan": the giver, named right after
    "from", is the subject; the receiver, named last before the trigger, the object."""
    givers = [
        role
        for mention, role in typed(sentence.mentions, predicate.subject_types)
        if mention.start >= trigger[1] and _FROM.search(sentence.text, trigger[1], mention.start)
    ]
    receivers = [
        role for mention, role in typed(sentence.mentions, predicate.object_types) if mention.end <= trigger[0]
    ]
    if not givers or not receivers or givers[0].entity_id == receivers[-1].entity_id:
        return []
    return [(predicate, givers[0], receivers[-1])]


_OPENS_WITH_A_CLAUSE = re.compile(rf"^[\W_]*(?:At|During|While|When|On|After|Upon|In|{_PARTICIPLES})(?!\w)[^,]*,")


def main_clause(text: str) -> int:
    """Where the sentence's main clause opens: after a clause it opens with ("At his meeting with
    Trudeau, ...")."""
    opening = _OPENS_WITH_A_CLAUSE.match(text)
    return opening.end() if opening else 0


def _fronted(
    predicate: Predicate, sentence: Sentence, trigger: tuple[int, int], typed: Typed, registry: Registry
) -> list[Roles]:
    """A trigger in a clause opening the sentence ("At his meeting with Canadian Prime Minister
    Justin Trudeau, the Vietnamese Prime Minister recommended ..."): its object is named in the
    clause, its subject first after the clause's comma."""
    comma = sentence.text.find(",", trigger[1])
    if not predicate.object_types or comma < 0 or not _OPENING_CLAUSE.match(sentence.text[: trigger[0]]):
        return []
    objects = [
        role
        for mention, role in typed(sentence.mentions, predicate.object_types)
        if trigger[1] <= mention.start
        and mention.end <= comma
        and not _adjective_of_its_own(sentence, mention, registry)
    ]
    subjects = [role for mention, role in typed(sentence.mentions, predicate.subject_types) if mention.start > comma]
    if not objects or not subjects or subjects[0].entity_id == objects[0].entity_id:
        return []
    return [(predicate, subjects[0], objects[0])]


def _other_of_a_pair(sentence: Sentence, memory: Memory, at: int, subject: Role, registry: Registry) -> Role | None:
    """Whom "Chinh proposed the two sides continue ..." asks, with whom "Assoumani agreed that the
    two sides would ...": of the pair the words after the trigger stand for, the one that is not
    the subject's side."""
    plural = next((place for place in referred_to(sentence) if place[0] >= at and PLURAL.match(place[2])), None)
    if plural is None:
        return None
    kind = "country" if _STATES.search(plural[2]) else "person"
    here = named_pair(sentence, kind, plural[0], memory, registry)
    pair = (*here, sentence) if here else memory.pair(kind)
    if pair is None:
        return None
    first, second, named_in = pair
    own = {subject.entity_id, _country(subject, registry)}
    others = [mention for mention in (first, second) if mention.entity_id not in own]
    if len(others) != 1:
        return None
    return Role(others[0].entity_id, others[0].words, plural[2], memory.context(others[0], named_in).text)


def named_pair(
    sentence: Sentence, kind: str, until: int, memory: Memory, registry: Registry
) -> tuple[Mention, Mention] | None:
    """The two people, or countries, the sentence names before `until`, if two (see people_or_countries_in)."""
    found = people_or_countries_in(sentence, kind, until, memory, registry)
    return (*found,) if len(found) == 2 else None  # type: ignore[return-value]


def people_or_countries_in(
    sentence: Sentence, kind: str, until: int, memory: Memory, registry: Registry
) -> list[Mention]:
    """The people, or countries, the sentence names before `until`, each once; a person named
    stands for their country where the article names it ("Meeting his counterpart Modi, Chinh
    proposed the nations ...": India and Vietnam)."""
    found: dict[str, Mention] = {}
    for mention in sentence.mentions:
        entity = registry.entities[mention.entity_id]
        if mention.end > until:
            continue
        if entity.type == kind:
            found.setdefault(mention.entity_id, mention)
        elif kind == "country" and entity.type == "person" and entity.country in memory.contexts:
            found.setdefault(entity.country, mention._replace(entity_id=entity.country, how=REFERENT))
    return list(found.values())


_BETWEEN = re.compile(r"\s+between$", re.I)
_AFTER_BETWEEN = re.compile(r"(?<!\w)between\s+$", re.I)
_FOLLOWED_BY_BETWEEN = re.compile(r"\s+between(?!\w)", re.I)
# Titles in capitals before a name ("Chairman of Vietnam’s National Assembly (NA)").
_TITLES = r"(?:the\s+)?(?:(?:[A-Z][\w.'’-]*|of|for|on|the|\([A-Z]+\))\s+)*"
_BEFORE_FIRST = re.compile(rf"\s*{_TITLES}(?:,\s*)?")  # ("the Japanese Prime Minister, Shinzo Abe")
_AND_TITLES = re.compile(rf"\s+and\s+{_TITLES}")


def _between(predicate: Predicate, sentence: Sentence, trigger: tuple[int, int], typed: Typed) -> list[Roles]:
    """ "The meeting between Albanese and Hue", "talks between A and B", "trade between Vietnam and
    Japan": the two named right after the trigger are its pair, whoever the sentence names before it."""
    following = _FOLLOWED_BY_BETWEEN.match(sentence.text, trigger[1]) if predicate.id in BETWEEN else None
    if not predicate.object_types or not (_BETWEEN.search(sentence.text, trigger[0], trigger[1]) or following):
        return []
    start = following.end() if following else trigger[1]
    after = [named for named in typed(sentence.mentions, predicate.subject_types) if named[0].start >= start]
    if len(after) < 2 or not _BEFORE_FIRST.fullmatch(sentence.text, start, after[0][0].start):
        return []
    (first, subject), (second, obj) = after[:2]
    if not _AND_TITLES.fullmatch(sentence.text, first.end, second.start):
        return []
    return [(predicate, subject, obj)]


def _partnership_between(
    predicate: Predicate, sentence: Sentence, trigger: tuple[int, int], typed: Typed
) -> list[Roles]:
    """ "The strategic partnership between Vietnam and Germany": the first of the two named right
    after it (Vietnam's side, where it is one of them) has the partnership the trigger's words name."""
    following = _FOLLOWED_BY_BETWEEN.match(sentence.text, trigger[1]) if predicate.id == "partnership_with" else None
    named = [
        role
        for mention, role in typed(sentence.mentions, predicate.object_types)
        if mention.start <= trigger[0] and trigger[1] <= mention.end
    ]
    if following is None or not named:
        return []
    after = [found for found in typed(sentence.mentions, predicate.subject_types) if found[0].start >= following.end()]
    if len(after) < 2 or not _BEFORE_FIRST.fullmatch(sentence.text, following.end(), after[0][0].start):
        return []
    (first, one), (second, other) = after[:2]
    if not _AND_TITLES.fullmatch(sentence.text, first.end, second.start):
        return []
    return [(predicate, other if other.entity_id == VIETNAM else one, named[0])]


def _between_the_pair(predicate: Predicate, sentence: Sentence, trigger: tuple[int, int]) -> tuple[int, str] | None:
    """ "diplomatic relations between the two countries": where the pair's words stand, and them."""
    following = _FOLLOWED_BY_BETWEEN.match(sentence.text, trigger[1]) if predicate.id in BETWEEN else None
    if following is None:
        return None
    start = len(sentence.text) - len(sentence.text[following.end() :].lstrip())
    return next(
        ((begin, words) for begin, _, words in referred_to(sentence) if begin == start and PLURAL.match(words)), None
    )


def _adjective_of_its_own(sentence: Sentence, mention: Mention, registry: Registry) -> bool:
    """Whether a country is named as the adjective of its own person's title and name ("Russian
    President V. Putin") or organisation's name ("the Vietnamese Ministry of Industry and Trade"):
    they are meant, not the country."""
    if registry.entities[mention.entity_id].type != "country":
        return False
    return any(
        other.start >= mention.end
        and registry.entities[other.entity_id].country == mention.entity_id
        and registry.entities[other.entity_id].type in ("person", "organization")
        and _BEFORE_FIRST.fullmatch(sentence.text, mention.end, other.start)
        for other in sentence.mentions
    )


def _claim(sentence: Sentence, at: int) -> tuple[re.Match[str] | None, int | None]:
    """Where the claim or clause holding the trigger at `at` opens: after the last speech verb
    ("Chinh said Vietnam ...") or clause (", where Hanoi is engaged in ...") before it that names
    someone before the trigger. Where none does, no claim, and where the speech verb of one that
    does not stands, for its teller."""
    opened = [match for match in _CLAIMS.finditer(fold(sentence.text)) if match.end() <= at]
    for match in opened[::-1]:
        if _names_between(sentence, match.end(), at):
            return match, None
        if match["speech"]:
            return None, match.start()
    return None, None


def referred_to(sentence: Sentence) -> list[tuple[int, int, str]]:
    """Where the sentence refers to someone without naming them ("he", "the two PMs"), less the
    titles resolved to a person ("the Vietnamese leader"): (start, end, words)."""
    titles = [(m.start, m.end) for m in sentence.mentions if m.how == REFERENT]
    return [place for place in referring_in(sentence.text) if not any(start <= place[0] < end for start, end in titles)]


def referring_in(text: str) -> list[tuple[int, int, str]]:
    """The evidence engine's referring words, and the plural titles it lacks ("the two PMs")."""
    found = referring_words(text) + [(m.start(), m.end(), m.group()) for m in _PLURAL_TITLES.finditer(fold(text))]
    return sorted(found)


def _names_between(sentence: Sentence, start: int, end: int) -> bool:
    """Whether the sentence names or refers to anyone in text[start:end]; a possessive refers to
    no one new ("he said, voicing his gratitude": the speaker's)."""
    return any(start <= m.start and m.end <= end for m in sentence.mentions) or any(
        start <= begin < end and not _POSSESSIVES.match(words) for begin, _, words in referring_words(sentence.text)
    )


# From a trigger to whose it is: "anniversary of the signing of a treaty", "visit of Kishida".
_OF = re.compile(r"\s+of\s+(?:(?:the|a|an)\s+)?(?:[\w-]+\s+of\s+(?:(?:the|a|an)\s+)?)?", re.IGNORECASE)


def _owner(text: str, end: int, candidates: list[Named], predicate: Predicate) -> Role | None:
    """The one named right after "of" that follows the trigger (which ends at `end`), or, of a
    visit, by whom it is made ("the official visit to France from November 3-5 by Prime Minister
    Pham Minh Chinh")."""
    return next(
        (
            role
            for mention, role in candidates
            if _OF.fullmatch(text, end, mention.start)
            or (predicate.id == "visited" and _BY.fullmatch(text, end, mention.start))
        ),
        None,
    )


_BY = re.compile(r"[^,;]*?\s+by\s+(?:(?:the|[A-Z][\w.'’-]*)\s+)*")


def _joined(text: str, before: list[Named]) -> list[Role]:
    """The last run of those named before the trigger that "and" joins into one party; one joined
    is the farthest that "and" reaches ("the PM and his Norwegian counterpart Erna Solberg": Solberg,
    not Norway, named in between)."""
    runs: list[list[Named]] = []
    for index, first in enumerate(before):
        joined = [other for other in before[index + 1 :] if _AND.fullmatch(text, first[0].end, other[0].start)]
        if not joined:
            continue
        if runs and runs[-1][-1] is first:
            runs[-1].append(joined[-1])
        else:
            runs.append([first, joined[-1]])
    return [role for _, role in runs[-1]] if runs else []


def _pair(
    predicate: Predicate, sentence: Sentence, memory: Memory, referring: tuple[int, str], registry: Registry
) -> list[Roles]:
    """The pair "the two leaders", "they" or "the two countries" (`referring`: where, and the
    words) stand for: of people or of countries, as the words say and the predicate allows; the
    two the sentence names before the words ("when Sang visited Japan ..., the two countries
    upgraded their ties"), else a pair named before it. What a pair says or promises together is
    what they agreed."""
    at, plural = referring
    agreed = predicate.id in _AGREED_BY_A_PAIR | SYMMETRIC
    chosen = PREDICATES["agreed_with"] if agreed and predicate.id not in SYMMETRIC else predicate
    # "They" is either pair, one just named, and not after a sentence naming a delegation (the
    # delegation's doings: "They also met leaders of Saint Petersburg"); "the two leaders" people,
    # "the two sides" countries.
    they = plural.lower() == "they"
    if they and memory.delegation_just_named:
        return []
    kinds = ("country",) if _STATES.search(plural) else ("person", "country") if they else ("person",)
    if _REQUEST.search(fold(sentence.text), 0, at):
        return []  # "Chinh proposed the two sides strengthen ...": asked of them, not agreed by them
    for kind in kinds:
        here = named_pair(sentence, kind, at, memory, registry)
        remembered = (*here, sentence) if here else memory.pair(kind, just_named=they)
        if remembered is None or kind not in chosen.subject_types or kind not in chosen.object_types:
            continue
        first, second, named_in = remembered
        return _both_ways(
            sentence,
            [
                (
                    chosen,
                    Role(first.entity_id, first.words, plural, memory.context(first, named_in).text),
                    Role(second.entity_id, second.words, plural, memory.context(second, named_in).text),
                )
            ],
        )
    return []


def _both_ways(sentence: Sentence, proposed: list[Roles]) -> list[Roles]:
    """The facts, and where the sentence says the two do it to each other, each the other way round."""
    if not _MUTUAL.search(sentence.text):
        return proposed
    return proposed + [
        (predicate, obj, subject)
        for predicate, subject, obj in proposed
        if obj is not None and predicate.id not in SYMMETRIC
    ]


def host_country(place: Role, memory: Memory, registry: Registry) -> Role | None:
    """The country a visit to a city is a visit to ("an official visit to Hanoi": Vietnam), named
    by the city's words and resolved by a sentence of the article that names the country."""
    entity = registry.entities[place.entity_id]
    context = memory.contexts.get(entity.country) if entity.type == "place" and entity.country else None
    if context is None or entity.country is None:
        return None
    return Role(entity.country, place.words, place.words, context.text)


def abroad(roles: list[Roles], registry: Registry) -> list[Roles]:
    """The roles less any visit to the visitor's own country: "Phuc arrived in Hanoi, concluding
    visits to Russia, Norway and Sweden" is a leader back home, who visited the three."""
    return [
        (predicate, subject, obj)
        for predicate, subject, obj in roles
        if predicate.id != "visited" or obj is None or _country(subject, registry) != _country(obj, registry)
    ]


def _country(role: Role, registry: Registry) -> str | None:
    """The country an entity is, or is of."""
    entity = registry.entities[role.entity_id]
    return role.entity_id if entity.type == "country" else entity.country


def is_vietnamese(role: Role, registry: Registry) -> bool:
    return role.entity_id == VIETNAM or registry.entities[role.entity_id].country == VIETNAM


def _speakers(predicate: Predicate, sentence: Sentence, memory: Memory, at: int, typed: Typed) -> list[Roles]:
    """Who says it: the actor named, or referred to ("he", "the leader"), closest before the
    speech verb ("Trong said", "..., he said"), or named right after "according to". A stance is
    also that of the actor its claim opens with ("Chinh said Vietnam attaches special importance
    to ...": Vietnam's)."""
    folded = fold(sentence.text)
    found: list[Roles] = []
    if folded.startswith("according to", at):
        source = next(
            (role for mention, role in typed(sentence.mentions, predicate.subject_types) if mention.start >= at), None
        )
        if source is not None:
            found.append((predicate, source, None))
    else:
        before: list[tuple[int, Role | str]] = [
            (mention.start, role)
            for mention, role in typed([m for m in sentence.mentions if m.end <= at], predicate.subject_types)
        ]
        # ("Wei, for his part, affirmed": Wei; a possessive names no speaker)
        before += [
            (start, words) for start, _, words in referred_to(sentence) if start < at and not _POSSESSIVES.match(words)
        ]
        # ", the Party General Secretary said": a title no name resolves still names a person,
        # who speaks, not a country the claim names before it.
        title = next((t for t in _TITLED.finditer(folded, 0, at) if not folded[t.end() : at].strip()), None)
        if title is not None and not any(m.start >= title.start() for m in sentence.mentions if m.end <= at):
            before.append((title.start(), title.group()))
        # "Trump agreed to ... with Vietnam, and lauded ...": a verb joined to an earlier one is said
        # by the sentence's first actor, not by the one named closest before it.
        joined = _JOINED_VERB.search(folded, 0, at) is not None
        speaker = (min if joined else max)(before, key=lambda place: place[0])[1] if before else None
        if isinstance(speaker, Role):
            found.append((predicate, speaker, None))
        elif speaker and not PLURAL.match(speaker) and memory.person is not None:
            person, named_in = memory.person
            found.append((predicate, Role(person.entity_id, person.words, speaker, named_in.text), None))
    claim = _CLAIMS.match(folded, at)
    if predicate.id == "position_on" and claim is not None and claim["speech"]:
        # Whom he told is no actor of the claim ("The leader told TASS that Vietnam ..."): it opens
        # after "that".
        told = _TOLD.match(folded, at)
        start = told.end() if told else claim.end()
        opening = re.match(r"\s*(?:the\s+)?", sentence.text[start:]).end() + start  # type: ignore[union-attr]
        actor = next(
            (
                role
                for mention, role in typed(sentence.mentions, ("country", "organization", "group"))
                if mention.start == opening
            ),
            None,
        )
        if actor is not None and all(actor.entity_id != role.entity_id for _, role, _ in found):
            found.append((predicate, actor, None))
    return found


# Trigger words that mean something else before these words: "delivered speeches" is no delivery,
# "came to say goodbye" no claim,
# "the support that Russia has given" thanks for help given, it promises none.
_PARTING = re.compile(r"\s+(?:good-?bye|farewell)(?!\w)")
_NOT_MEANT = {
    "position_on": _PARTING,
    "stated": _PARTING,
    "delivered_to": re.compile(
        r"\s+(?:(?:a|an|the|his|her|their|keynote|opening|closing|policy)\s+)*"
        r"(?:speech|speeches|remarks|address|addresses|statement|statements|lecture|lectures|message)(?!\w)"
    ),
    "pledged_to": re.compile(
        r"\s+(?:that|which)\s+[^,.;]*?\b(?:has|have|had)\s+(?:\w+\s+)?"
        r"(?:provided|given|extended|offered|rendered|lent)(?!\w)"
    ),
}
# Trigger words that mean the predicate only before these words: a ranking word ranks a partner
# ("top foreign investor", "largest trading partner", "top tier of partners"), not a "top leader";
# and a trigger word may be meant only before some words ("up 13.82 percent", not "set up").
_WORD_MEANT_ONLY = {"up": re.compile(r"\s+(?:by\s+)?\d[\d.,]*\s*(?:%|percent|per cent)")}
# A guest "welcomed in Quang Ninh" is no stance of theirs, and one who "received a letter" met no one.
_RECEIVED_A_THING = re.compile(
    r"\s+(?:(?:a|an|the|his|her|their)\s+)?(?:\w+\s+)?(?:letters?|messages?|calls?|congratulations|gifts?|awards?|"
    r"medals?|delivery|shipments?)(?!\w)"
)
_WORD_NOT_MEANT = {
    "welcomed": re.compile(r"\s+(?:in|at|to|by)(?!\w)"),
    "received": _RECEIVED_A_THING,
    "receives": _RECEIVED_A_THING,
}
_MEANT_ONLY = {
    "ranks_as_partner_of": re.compile(
        r"(?:\s+[\w-]+){0,3}?\s+(?:partners?|investors?|donors?|benefactors?|markets?|trading|sources?|tier|"
        r"exporters?|importers?|lenders?|creditors?|suppliers?|buyers?|destinations?|providers?)(?!\w)"
        # "ranking 25th out of 140 countries and territories investing in Vietnam"
        r"|\s+(?P<place>\d+(?:st|nd|rd|th)|first|second|third)\s+(?:out\s+of|among)\s+[\d,]+\s+"
        r"(?:countries|nations|economies|partners|investors)(?:\s+and\s+territories)?"
    ),
}
# What a place among countries ranks, by the words after it ("... pouring capital into Vietnam").
_FIELDS = (
    ("investor", re.compile(r"(?<!\w)(?:invest\w*|capital|fdi)(?!\w)")),
    ("trade partner", re.compile(r"(?<!\w)(?:trad\w*|export\w*|import\w*)(?!\w)")),
)


# The place in a ranking a number gives ("second largest", "third-biggest").
_ORDINAL = re.compile(r"(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)[\s-]+$", re.I)


def rankings(text: str, places: list[tuple[str, int, int]]) -> list[dict[str, str]]:
    """The rank and the field of each ranking word at `places` (a trigger of ranks_as_partner_of,
    its start and end): "second largest importer" ranks "second largest" as "importer"."""
    found = []
    folded = fold(text).lower()
    for _, start, end in places:
        field = _MEANT_ONLY["ranks_as_partner_of"].match(folded, end)
        if field is None:
            continue
        if field["place"]:  # "ranking 25th out of 140 countries ...": of which, what follows says
            rank = {"rank": text[field.start("place") : field.end()]}
            meant = next((name for name, words in _FIELDS if words.search(folded, field.end())), None)
            found.append(rank | ({"field": meant} if meant else {}))
            continue
        ordinal = _ORDINAL.search(text, 0, start)
        found.append(
            {"rank": text[ordinal.start() if ordinal else start : end], "field": text[end : field.end()].strip()}
        )
    return found


_BOTH_WAYS_ONLY = {"trade_with", "trade_growth_with"}
_ONE_WAY = re.compile(r"(?<!\w)(?:exports?|imports?|exported|imported|exporters?|importers?)(?!\w)")
_BILATERAL = re.compile(r"(?<!\w)(?:two-way|bilateral|total|trade between)(?!\w)", re.I)


def triggers(folded: str) -> Iterator[tuple[Predicate, list[tuple[str, int, int]]]]:
    """Each predicate whose trigger words (schema/vocabulary.py) the sentence holds, with where
    each occurs (trigger, start, end) in order: the trigger's place splits the subject's side from
    the object's. The sentence is folded and in lower case."""
    for predicate in PREDICATES.values():
        if predicate.id in _BOTH_WAYS_ONLY and _ONE_WAY.search(folded) and not _BILATERAL.search(folded):
            continue  # "Vietnam's export to China was ..., up 17.95 percent": one way, not the trade of the two
        unmeant, meant = _NOT_MEANT.get(predicate.id), _MEANT_ONLY.get(predicate.id)
        found = [
            (trigger, match.start(), match.end())
            for trigger in (*predicate.triggers, *predicate.received_triggers)
            for match in re.finditer(rf"(?<!\w){re.escape(trigger)}(?!\w)", folded)
            if (unmeant is None or not unmeant.match(folded, match.end()))
            and (meant is None or meant.match(folded, match.end()))
            and (trigger not in _WORD_MEANT_ONLY or _WORD_MEANT_ONLY[trigger].match(folded, match.end()))
            and (trigger not in _WORD_NOT_MEANT or not _WORD_NOT_MEANT[trigger].match(folded, match.end()))
        ]
        if found:
            yield predicate, sorted(found, key=lambda place: (place[1], -place[2]))
