"""Facts as English sentences, for people reading the published database."""

from __future__ import annotations

from collections.abc import Mapping

from schema.dates import date_text
from schema.models import Entity, Fact, Quantity
from schema.vocabulary import PREDICATES


def quantity_text(quantity: Quantity) -> str:
    amount = quantity.amount
    number = f"{int(amount):,}" if amount == int(amount) else f"{amount:,}"
    bounds = ""
    if quantity.lower is not None or quantity.upper is not None:
        low, high = ("?" if bound is None else f"{bound:g}" for bound in (quantity.lower, quantity.upper))
        bounds = f" (between {low} and {high})"
    return f"{'about ' if quantity.approximately else ''}{number} {quantity.unit}{bounds}"


def statement(fact: Fact, entities: Mapping[str, Entity]) -> str:
    """Fill the predicate's template with names, then add date, modality and claimant."""

    def name(entity_id: str | None) -> str:
        entity = entities.get(entity_id) if entity_id else None
        return entity.name if entity else "(unspecified)"

    predicate = PREDICATES[fact.predicate]
    sentence = predicate.template.format(
        subject=name(fact.subject),
        object=name(fact.object),
        quantity=quantity_text(fact.quantity) if fact.quantity else "",
        text=f"“{fact.text}”" if predicate.id == "stated" else (fact.text or ""),
    )
    details = [fact.modality] if fact.modality != "actual" else []
    details += [
        f"{key}: {name(value) if value in entities else value}" for key, value in sorted(fact.qualifiers.items())
    ]
    if fact.date:
        details.append(date_text(fact.date))  # as precise as it is known: never a day nobody knows
    if details:
        sentence += f" ({'; '.join(details)})"
    if fact.attributed_to:
        sentence = f"According to {name(fact.attributed_to)}: {sentence}"
    return sentence + "."


def correction_text(fact: Fact) -> str:
    return "; ".join(
        f"{c.source} says “{c.source_says}”, correct: “{c.correct}” ({c.reason})" for c in fact.corrections
    )
