"""The controlled vocabulary: entity types, qualifiers and predicates, in one place.

To add a predicate, add one `Predicate(...)` to PREDICATES below: validation,
the JSON Schema (editor completion), the `predicate` table in the database and
the documentation all read it from here. Keep predicates general (a new verb
only when no existing one says the same thing) and give each a template that
reads as an English sentence, because `fact_view.statement` is built from it.
"""

from __future__ import annotations

import string
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

EntityType = Literal[
    "person",
    "country",
    "organization",
    "group",
    "office",
    "agreement",
    "programme",
    "place",
    "event",
]
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)

ValueKind = Literal["quantity", "text"]


class Qualifier(BaseModel):
    """A named refinement of a fact (Wikidata's qualifiers), e.g. the kind of a visit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    description: str
    entity_types: tuple[EntityType, ...] = Field(
        default=(), description="If set, the value is an entity id of one of these types; otherwise free text."
    )


class Predicate(BaseModel):
    """One relation a fact can state, with the shapes its subject and object may take."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    template: str = Field(description="English sentence with {subject}, {object}, {quantity}, {text} slots.")
    description: str
    subject_types: tuple[EntityType, ...]
    object_types: tuple[EntityType, ...] = Field(default=(), description="Empty: the fact has no object.")
    value: ValueKind | None = Field(default=None, description="A quantity or a text the fact must carry.")
    triggers: tuple[str, ...] = Field(
        default=(),
        description="Words that signal the predicate in a sentence (lower case, without diacritics): "
        "`build.py draft` proposes it where one occurs between a subject and an object of its types.",
    )
    received_triggers: tuple[str, ...] = Field(
        default=(),
        description="Words that say the object received it from the subject ('took delivery of six vessels "
        "from Japan'): `build.py draft` takes the actor named before them as the object, the one after 'from' "
        "as the subject.",
    )
    text_is_quoted: bool = Field(
        default=False, description="The text is the speaker's own words: they must occur in a cited quote."
    )
    qualifiers: tuple[str, ...] = ()
    example: dict[str, Any] = Field(
        description="A realistic fact of this predicate as a fact file writes it (subject, object, value, "
        "qualifiers; no id, date or citations): shown by `python build.py vocabulary` and in docs/vocabulary.md."
    )

    @model_validator(mode="after")
    def _template_matches_shape(self) -> Predicate:
        slots = {name for _, name, _, _ in string.Formatter().parse(self.template) if name}
        expected = {"subject"} | ({"object"} if self.object_types else set()) | ({self.value} if self.value else set())
        if slots != expected:
            raise ValueError(f"predicate {self.id}: template slots {sorted(slots)} must be {sorted(expected)}")
        unknown = set(self.qualifiers) - QUALIFIERS.keys()
        if unknown:
            raise ValueError(f"predicate {self.id}: unknown qualifiers {sorted(unknown)}")
        return self


_STATE = ("country", "organization")
_ACTOR = ("person", "country", "organization", "group")

QUALIFIERS: dict[str, Qualifier] = {
    q.id: q
    for q in [
        Qualifier(id="kind", description="What kind of visit, meeting or agreement, in the source's words."),
        Qualifier(id="ordinal", description="Where this stands in a series, e.g. 'first since 2011'."),
        Qualifier(id="purpose", description="What the action was for, as the source states it."),
        Qualifier(id="topic", description="What the statement or action is about."),
        Qualifier(id="field", description="The area of cooperation, trade or aid concerned."),
        Qualifier(id="with", description="A further party to the fact.", entity_types=_ACTOR),
        Qualifier(id="occasion", description="The event during which it happened.", entity_types=("event",)),
        Qualifier(id="rank", description="A position in a ranking, e.g. 'largest', 'second largest'."),
        Qualifier(id="term", description="The period a seat or office is sought or held for."),
        Qualifier(id="audience", description="Who the statement was made to.", entity_types=_ACTOR),
    ]
}

PREDICATES: dict[str, Predicate] = {
    p.id: p
    for p in [
        Predicate(
            id="visited",
            triggers=("visiting", "visit", "visited", "visit to", "visits", "trip to", "arrived in", "tour of"),
            template="{subject} visited {object}",
            description="A person or delegation travelled to a country or place.",
            subject_types=("person", "group"),
            object_types=("country", "place"),
            qualifiers=("kind", "ordinal", "purpose"),
            example={
                "subject": "person:pham-minh-chinh",
                "object": "country:japan",
                "qualifiers": {"kind": "official"},
            },
        ),
        Predicate(
            id="met",
            triggers=(
                "met",
                "meet with",
                "meet",
                "meets",
                "meeting with",
                "meeting between",
                "meeting",
                "courtesy call",
                "received",
                "receives",
                "hosted",
                "hosts",
            ),
            template="{subject} met {object}",
            description="Two people met in person.",
            subject_types=("person",),
            object_types=("person", "group"),
            qualifiers=("kind", "occasion", "topic"),
            example={
                "subject": "person:nguyen-phu-trong",
                "object": "person:barack-obama",
                "place": "place:washington-dc",
            },
        ),
        Predicate(
            id="held_talks_with",
            triggers=("held talks", "hold talks", "had talks", "talks with", "talks between", "discussed", "discuss"),
            template="{subject} held talks with {object}",
            description="Formal talks between leaders or officials.",
            subject_types=("person", "group"),
            object_types=("person", "group"),
            qualifiers=("kind", "topic", "occasion"),
            example={
                "subject": "person:pham-minh-chinh",
                "object": "person:fumio-kishida",
                "place": "place:government-office-hanoi",
                "qualifiers": {"kind": "bilateral"},
            },
        ),
        Predicate(
            id="holds_office",
            triggers=("becoming", "became", "was elected", "was appointed"),
            template="{subject} holds the office of {object}",
            description="A person holds an office at the fact's date (Wikidata P39).",
            subject_types=("person",),
            object_types=("office",),
            example={"subject": "person:pham-minh-chinh", "object": "office:prime-minister-of-vietnam"},
        ),
        Predicate(
            id="held_press_conference_with",
            triggers=("press conference", "co-host", "co-chaired"),
            template="{subject} held a joint press conference with {object}",
            description="Two leaders jointly hosted or chaired a press conference.",
            subject_types=("person",),
            object_types=("person",),
            qualifiers=("topic", "occasion"),
            example={
                "subject": "person:tran-dai-quang",
                "object": "person:shinzo-abe",
                "qualifiers": {"topic": "the results of their talks"},
            },
        ),
        Predicate(
            id="serves_as",
            triggers=("serves as", "serving as", "coordinating country", "coordinator", "chair of"),
            template="{subject} serves as {object}",
            description="A country or organization holds a role (an office-like position) in a group.",
            subject_types=_STATE,
            object_types=("office",),
            example={"subject": "country:vietnam", "object": "office:asean-japan-coordinator"},
        ),
        Predicate(
            id="outranks",
            triggers=("outranks", "outrank", "ranks above"),
            template="{subject} outranks {object}",
            description="One person stands above another in a leadership hierarchy.",
            subject_types=("person",),
            object_types=("person",),
            example={"subject": "person:nguyen-phu-trong", "object": "person:nguyen-tan-dung"},
        ),
        Predicate(
            id="stated",
            triggers=("said:", "noted:", "stressed:", "said", "told"),
            template="{subject} said: {text}",
            description="A statement in the speaker's own words, as the source quotes them; a paraphrase is "
            "position_on.",
            subject_types=_ACTOR,
            value="text",
            text_is_quoted=True,
            qualifiers=("topic", "audience", "occasion"),
            example={
                "subject": "person:tran-dai-quang",
                "text": "We will step up cooperation and exchanges between the two ruling parties.",
                "qualifiers": {"topic": "Vietnam-Japan political trust"},
            },
        ),
        Predicate(
            id="position_on",
            triggers=(
                "said",
                "affirmed",
                "stressed",
                "noted",
                "believe",
                "welcomed",
                "appreciated",
                "expressed",
                "reiterated",
                "highlighted",
                "emphasised",
                "emphasized",
                "hailed",
                "voiced",
                "voicing",
                "told",
                "pointed out",
                "added",
                "underlined",
                "according to",
                "say",
                "says",
                "believes",
                "argue",
                "argues",
                "warned",
                "warns",
                "lauded",
                "praised",
                "applauded",
                "spoke highly of",
                "wished",
                "hoped",
                "stated",
            ),
            template="{subject} holds that {text}",
            description="A stance, assessment or belief of an actor; the topic qualifier says what about.",
            subject_types=_ACTOR,
            value="text",
            qualifiers=("topic", "occasion", "with"),
            example={
                "subject": "group:analysts",
                "text": "Japan is Vietnam's most important partner in Asia",
                "qualifiers": {"topic": "Vietnam-Japan relations"},
            },
        ),
        Predicate(
            id="requested",
            triggers=(
                "asked",
                "requested",
                "called on",
                "called for",
                "urged",
                "proposed",
                "recommended",
                "suggested",
                "seeking",
                "seek",
                "seeks",
                "sought",
            ),
            template="{subject} asked {object} for {text}",
            description="An actor asked another for help, support or action.",
            subject_types=_ACTOR,
            object_types=_ACTOR,
            value="text",
            qualifiers=("field", "occasion"),
            example={
                "subject": "person:pham-minh-chinh",
                "object": "country:japan",
                "text": "new-generation ODA loans",
                "qualifiers": {"field": "infrastructure"},
            },
        ),
        Predicate(
            id="thanked",
            triggers=("thanked", "thanks", "gratitude", "grateful"),
            template="{subject} thanked {object} for {text}",
            description="An actor thanked another, for what the text says.",
            subject_types=_ACTOR,
            object_types=_ACTOR,
            value="text",
            qualifiers=("occasion",),
            example={
                "subject": "person:nguyen-phu-trong",
                "object": "country:japan",
                "text": "being Vietnam's biggest aid benefactor",
            },
        ),
        Predicate(
            id="agreed_with",
            triggers=("agreed", "agree", "concurred", "consented", "shared intention", "joint intention"),
            template="{subject} and {object} agreed: {text}",
            description="Two parties agreed on a course of action.",
            subject_types=_ACTOR,
            object_types=_ACTOR,
            value="text",
            qualifiers=("field", "occasion"),
            example={
                "subject": "person:pham-minh-chinh",
                "object": "person:fumio-kishida",
                "text": "to mark the 50th anniversary of diplomatic relations in 2023",
            },
        ),
        Predicate(
            id="committed_to",
            triggers=("committed", "commit to", "commitment to", "vowed"),
            template="{subject} committed to {text}",
            description="A pledge or commitment of one party, without a single recipient.",
            subject_types=_ACTOR,
            value="text",
            qualifiers=("field", "occasion", "with"),
            example={
                "subject": "country:vietnam",
                "text": "net zero emissions by 2050",
                "qualifiers": {"field": "climate change"},
            },
        ),
        Predicate(
            id="pledged_to",
            triggers=(
                "pledged",
                "promised",
                "will continue its",
                "will continue to",
                "will provide",
                "offered",
                "offer",
                "support",
                "willingness to",
            ),
            template="{subject} pledged to {object}: {text}",
            description="A promise of support, goods or action to a recipient.",
            subject_types=_ACTOR,
            object_types=_ACTOR,
            value="text",
            qualifiers=("field", "occasion"),
            example={
                "subject": "country:japan",
                "object": "country:vietnam",
                "text": "to continue assisting the Vietnamese community in Japan",
            },
        ),
        Predicate(
            id="provides_aid_to",
            triggers=("aid", "grant", "loans", "oda", "assistance"),
            received_triggers=("received", "receives", "receiving"),
            template="{subject} provides {quantity} in aid to {object}",
            description="An amount of aid, a grant or loan given by one party to another.",
            subject_types=_STATE,
            object_types=_ACTOR,
            value="quantity",
            qualifiers=("field", "purpose", "with"),
            example={
                "subject": "country:vietnam",
                "object": "country:ukraine",
                "quantity": {"amount": 500000, "unit": "USD"},
                "qualifiers": {"field": "humanitarian aid"},
            },
        ),
        Predicate(
            id="delivered_to",
            triggers=("delivered", "handed over", "donated", "donates", "gave"),
            received_triggers=("taken delivery of", "took delivery of", "received", "receives"),
            template="{subject} delivered {quantity} to {object}",
            description="Goods or equipment handed over, counted in units.",
            subject_types=_STATE,
            object_types=_STATE,
            value="quantity",
            qualifiers=("field", "ordinal"),
            example={
                "subject": "country:japan",
                "object": "country:vietnam",
                "quantity": {"amount": 1, "unit": "patrol vessel"},
                "qualifiers": {"ordinal": "first of six"},
            },
        ),
        Predicate(
            id="trade_with",
            triggers=("trade", "turnover"),
            template="Trade between {subject} and {object} amounted to {quantity}",
            description="Bilateral trade volume in a period.",
            subject_types=("country",),
            object_types=("country",),
            value="quantity",
            example={
                "subject": "country:vietnam",
                "object": "country:russia",
                "quantity": {"amount": 3500000000, "unit": "USD"},
            },
        ),
        Predicate(
            id="trade_growth_with",
            triggers=("grew", "grown", "increased by", "rose", "up"),
            template="Trade between {subject} and {object} grew by {quantity}",
            description="Growth of bilateral trade over the fact's period.",
            subject_types=("country",),
            object_types=("country",),
            value="quantity",
            example={
                "subject": "country:vietnam",
                "object": "country:russia",
                "quantity": {"amount": 30, "unit": "percent", "approximately": True},
            },
        ),
        Predicate(
            id="ranks_as_partner_of",
            triggers=("largest", "biggest", "leading", "top"),
            template="{subject} ranks among the partners of {object}",
            description="A ranking, such as largest aid donor or second largest investor; see qualifiers.",
            subject_types=_STATE,
            object_types=("country",),
            qualifiers=("rank", "field"),
            example={
                "subject": "country:japan",
                "object": "country:vietnam",
                "qualifiers": {"rank": "second largest", "field": "investor"},
            },
        ),
        Predicate(
            id="diplomatic_relations_with",
            triggers=("diplomatic relations", "diplomatic ties"),
            template="{subject} established diplomatic relations with {object}",
            description="The start of diplomatic relations between two states (the fact's date).",
            subject_types=("country",),
            object_types=("country",),
            example={"subject": "country:vietnam", "object": "country:japan"},
        ),
        Predicate(
            id="partnership_with",
            triggers=("strategic partnership", "comprehensive partnership"),
            template="{subject} has the partnership {object}",
            description="A named bilateral framework (e.g. a strategic partnership) a party belongs to.",
            subject_types=_STATE,
            object_types=("agreement",),
            qualifiers=("with", "kind", "occasion"),
            example={
                "subject": "country:vietnam",
                "object": "agreement:vietnam-japan-extensive-strategic-partnership",
                "qualifiers": {"with": "country:japan"},
            },
        ),
        Predicate(
            id="signed",
            triggers=("signed", "signing"),
            template="{subject} was signed",
            description="An agreement or treaty was signed (the fact's date).",
            subject_types=("agreement",),
            qualifiers=("with", "occasion"),
            example={"subject": "agreement:japan-vietnam-patrol-vessels-2014", "qualifiers": {"with": "country:japan"}},
        ),
        Predicate(
            id="took_effect",
            triggers=("took effect", "came into force", "entered into force"),
            template="{subject} took effect",
            description="An agreement came into force (the fact's date).",
            subject_types=("agreement",),
            example={"subject": "agreement:vietnam-eaeu-fta"},
        ),
        Predicate(
            id="anniversary",
            triggers=("anniversary",),
            template="{subject} marks its anniversary: {quantity}",
            description="An anniversary of an agreement, relation or event, falling on the fact's date.",
            subject_types=("agreement", "event", "programme"),
            value="quantity",
            example={
                "subject": "event:vietnam-japan-diplomatic-relations",
                "quantity": {"amount": 50, "unit": "years"},
            },
        ),
        Predicate(
            id="in_dispute_with",
            triggers=(
                "dispute",
                "disputes",
                "disputed",
                "territorial rows",
                "rows with",
                "row with",
                "row over",
                "territorial claims",
                "sovereignty claims",
                "competing claims",
                "tensions with",
                "at odds with",
                "standoff",
            ),
            template="{subject} is in dispute with {object}",
            description="A territorial or other dispute between two parties.",
            subject_types=_STATE,
            object_types=_STATE,
            qualifiers=("topic",),
            example={
                "subject": "country:china",
                "object": "country:japan",
                "place": "place:east-china-sea",
                "qualifiers": {"topic": "islands in the East China Sea"},
            },
        ),
        Predicate(
            id="supports_candidacy_of",
            triggers=("candidacy", "bid for"),
            template="{subject} supports the candidacy of {object}",
            description="Support for a candidacy to a seat or office.",
            subject_types=_STATE,
            object_types=_STATE,
            qualifiers=("term", "field"),
            example={
                "subject": "country:japan",
                "object": "country:vietnam",
                "qualifiers": {"field": "a non-permanent seat in the UN Security Council", "term": "2020-2021"},
            },
        ),
        Predicate(
            id="gave_interview_to",
            triggers=("interview",),
            template="{subject} gave an interview to {object}",
            description="A person answered questions from a news organization or a journalist.",
            subject_types=("person",),
            object_types=("organization", "person"),
            qualifiers=("topic", "occasion"),
            example={
                "subject": "person:nguyen-phu-trong",
                "object": "organization:tass",
                "qualifiers": {"topic": "his plans for the visit to Russia"},
            },
        ),
        Predicate(
            id="exchanged_documents_with",
            triggers=("exchanged", "exchange of", "documents"),
            template="{subject} and {object} exchanged {quantity}",
            description="Two parties signed or exchanged a number of cooperation documents (agreements, "
            "memorandums) on the fact's date; the kind qualifier says between whom or which.",
            subject_types=_ACTOR,
            object_types=_ACTOR,
            value="quantity",
            qualifiers=("kind", "field", "occasion"),
            example={
                "subject": "country:vietnam",
                "object": "country:japan",
                "quantity": {"amount": 22, "unit": "cooperation documents"},
                "qualifiers": {"kind": "between ministries, agencies and localities"},
            },
        ),
        Predicate(
            id="allied_with",
            triggers=("ally", "allies", "alliance", "allied"),
            template="{subject} is an ally of {object}",
            description="Two states are allies (a military alliance, or a close political alignment the source "
            "calls an alliance); the kind qualifier says what kind, in the source's words.",
            subject_types=_STATE,
            object_types=_STATE,
            qualifiers=("kind",),
            example={
                "subject": "country:japan",
                "object": "country:united-states",
                "qualifiers": {"kind": "military alliance"},
            },
        ),
        Predicate(
            id="strengthens_ties_with",
            triggers=(
                "step up",
                "stepping up",
                "strengthen",
                "boost",
                "deepen",
                "enhance",
                "intensify",
                "promote",
                "tighten",
                "bolster",
                "closer ties",
                "upgrade",
                "upgraded",
            ),
            template="{subject} is strengthening its ties with {object}",
            description="An actor is stepping up, expanding or seeking to strengthen its cooperation or ties with "
            "another party or a region; field names the area, kind says how the source puts it.",
            subject_types=_ACTOR,
            object_types=(*_ACTOR, "place"),
            qualifiers=("field", "kind", "purpose"),
            example={"subject": "country:india", "object": "country:vietnam", "qualifiers": {"field": "defence"}},
        ),
        Predicate(
            id="carried_out",
            triggers=(
                "deployment",
                "deployed",
                "built",
                "patrols",
                "conducted",
                "muscle-flexing",
                "reclamation",
                "island-building",
                "militarisation",
                "militarization",
                "exercises",
                "drills",
                "incursions",
            ),
            template="{subject} carried out {text}",
            description="An action or activity of an actor that no more specific predicate fits (a deployment, "
            "construction, a show of force, a response); the text names it as a noun phrase, place says where.",
            subject_types=_ACTOR,
            value="text",
            qualifiers=("purpose", "field", "with"),
            example={
                "subject": "country:china",
                "text": "the deployment of a drilling rig in disputed waters",
                "place": "place:south-china-sea",
            },
        ),
        Predicate(
            id="participates_in",
            triggers=(
                "member of",
                "joined",
                "attending",
                "attended",
                "attend",
                "participate",
                "take part",
                "within the framework",
                "implement",
                "implementing",
                "implementation of",
            ),
            template="{subject} takes part in {object}",
            description="Membership in or participation in an organization, programme or agreement.",
            subject_types=_ACTOR,
            object_types=("organization", "programme", "agreement", "event"),
            qualifiers=("kind", "with"),
            example={"subject": "country:vietnam", "object": "agreement:cptpp"},
        ),
    ]
}
