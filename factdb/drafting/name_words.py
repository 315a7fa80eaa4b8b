"""The words that say what a capitalised name is, for factdb/drafting/names.py: a title before a
person, a word of an organisation's, agreement's, event's, programme's or place's name, and the
words that open a sentence or join names rather than name anything. Compared as written, except
the title words (in lower case)."""

from __future__ import annotations

import calendar

from factdb.evidence import MONTHS

# Words of a title, before a person's name ("Foreign Minister Bui Thanh Son", "his Russian
# counterpart X"); compared in lower case.
TITLE_WORDS = {
    "mr", "mrs", "ms", "dr", "president", "prime", "minister", "pm", "fm", "foreign", "deputy", "vice",
    "secretary", "general", "chairman", "chairwoman", "chairperson", "speaker", "chancellor", "premier",
    "ambassador", "envoy", "consul", "chief", "governor", "mayor", "director", "commander", "spokesperson",
    "spokesman", "spokeswoman", "defence", "defense", "trade", "party", "senior", "lieutenant", "colonel",
    "admiral", "marshal", "marshall", "king", "queen", "emperor", "prince", "princess", "crown", "sultan",
    "emir", "counterpart", "affairs", "counsellor", "councillor", "councilor", "state", "gen", "lieut", "lt",
    "col", "maj", "sen", "brig", "counselor", "head", "charge", "chargé", "ceo", "comrade", "madam", "madame",
    "professor", "prof",
    # the portfolio a minister's title ends with ("Minister of Planning and Investment X")
    "investment", "planning", "industry", "energy", "finance", "education", "training", "health", "justice",
    "labour", "labor", "transport", "construction", "agriculture", "environment", "tourism", "culture",
    "science", "technology", "communications", "manpower", "commerce",
}  # fmt: skip
# Lower-case words that say the name next to them is a place's: "Hoanh Mo border gate", "Binh Lieu
# district", "the northern province of Quang Ninh".
PLACE_NOUNS = (
    "border gate", "gate", "province", "district", "commune", "city", "town", "township", "village", "county",
    "prefecture", "port", "island", "islands", "region", "ward",
)  # fmt: skip
ORGANISATION_WORDS = {
    "Ministry", "Agency", "Party", "Committee", "Council", "Association", "Bank", "Group", "Corporation",
    "University", "News", "Post", "Times", "Forces", "Navy", "Army", "Union", "Organisation", "Organization",
    "Assembly", "Institute", "Fund", "Office", "Department", "Company", "Duma", "Parliament", "Congress",
    "Senate", "Diet", "Government", "Cabinet", "Politburo", "Commission", "Secretariat", "Chamber", "Court",
    "Bureau", "Authority", "Academy", "Cooperation", "Embassy", "Consulate",
}  # fmt: skip
AGREEMENT_WORDS = {
    "Convention", "Treaty", "Agreement", "Declaration", "Charter", "Protocol", "Accord", "Memorandum", "Pact",
    "Partnership",  # (the registry names a strategic partnership as an agreement)
}  # fmt: skip
EVENT_WORDS = {
    "Forum", "Summit", "Conference", "Expo", "Festival", "Dialogue", "Year", "Games", "Fair", "Exhibition",
    "Meeting", "War",
}  # fmt: skip
PROGRAMME_WORDS = {"Programme", "Program", "Project", "Initiative", "Plan", "Strategy", "Framework", "Railway"}
OF_A_COUNTRY = ("person", "office", "organization", "group", "place")  # (schema.models.Entity.country)
PLACE_FIRST = {"Saint", "St", "St."}
PLACE_LAST = {
    "City", "Province", "Prefecture", "District", "Region", "Island", "Islands", "Sea", "Ocean", "Strait", "Bay",
    "River", "Delta", "Peninsula", "Port", "Airport", "Asia", "Europe", "Africa", "America", "Pacific",
}  # fmt: skip
# Adjectives that end a run before a noun in lower case ("Southeast Asian nations"): not a name.
ADJECTIVES = {
    "Asian",
    "European",
    "African",
    "American",
    "Pacific",
    "Atlantic",
    "Arab",
    "Nordic",
    "Western",
    "Eastern",
}
POSSESSIVE = {"'s", "'"}  # (in the folded text: "’s" as "'s")
CONNECTORS = {"of", "the", "for", "and", "on", "de"}
NOT_NAMES = {
    "The", "A", "An", "In", "On", "At", "For", "But", "And", "Or", "However", "Meanwhile", "According",
    "During", "While", "Since", "After", "Before", "Following", "Regarding", "This", "That", "These",
    "Those", "It", "He", "She", "They", "We", "I", "His", "Her", "Their", "Its", "Our", "Both", "As", "By",
    # participles opening a clause before a name ("Welcoming Vietnamese Ambassador X, Macron ...")
    "Welcoming", "Receiving", "Visiting", "Hosting", "Speaking", "Expressing", "Voicing", "Stressing", "Attending",
} | {name.title() for name in MONTHS} | set(calendar.day_name)  # fmt: skip
