"""Score one person's answers to an instrument, and describe its variables for a codebook.

A subscale's score is the mean of its answered items after reverse scoring (min + max - x), or None when
fewer than its `min_answered` items were answered. The total is the same over every scored item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from instruments.model import Instrument, Item

Answers = Mapping[str, int | None]


class ScoringError(ValueError):
    """An answer does not fit the instrument; the message names the instrument and the item."""


@dataclass(frozen=True)
class Scores:
    subscales: dict[str, float | None]
    total: float | None
    answered: int  # scored items answered


@dataclass(frozen=True)
class CodebookRow:
    variable: str
    type: str
    meaning: str
    allowed: str


def scored_value(item: Item, value: int) -> int:
    """The value counted in a score: reverse-scored items count min + max - value."""
    assert item.scale is not None  # only numeric items reach here
    return item.scale.min + item.scale.max - value if item.reverse else value


def check_answers(instrument: Instrument, answers: Answers) -> dict[str, int]:
    """The answered numeric items, each checked against its item's scale."""
    checked: dict[str, int] = {}
    for item_id, value in answers.items():
        where = f"{instrument.name}: item {item_id}"
        try:
            item = instrument.item(item_id)
        except KeyError:
            raise ScoringError(f"{where}: not an item of this instrument") from None
        if value is None:
            continue
        if item.scale is None:
            raise ScoringError(f"{where}: free text has no numeric answer")
        if not isinstance(value, int) or isinstance(value, bool):
            raise ScoringError(f"{where}: {value!r} is not a whole number")
        if not item.scale.min <= value <= item.scale.max:
            raise ScoringError(f"{where}: {value} is outside {item.scale.min}..{item.scale.max}")
        checked[item_id] = value
    return checked


def score(instrument: Instrument, answers: Answers) -> Scores:
    """Every subscale's score and the total; an item left out counts as not answered."""
    checked = check_answers(instrument, answers)
    subscales = {
        subscale.id: _mean(instrument, checked, subscale.items, subscale.min_answered)
        for subscale in instrument.subscales
    }
    every = tuple(item.id for item in instrument.scored_items)
    total = _mean(instrument, checked, every, instrument.min_answered)
    return Scores(subscales, total, len(checked))


def codebook_rows(instrument: Instrument) -> list[CodebookRow]:
    """One row per variable an instrument gives: each item's answer, each subscale score, the total."""
    prefix = instrument.name
    rows = [_item_row(prefix, item) for item in instrument.items]
    for subscale in instrument.subscales:
        scale = instrument.item(subscale.items[0]).scale
        assert scale is not None  # subscales hold numeric items only
        rows.append(
            CodebookRow(
                f"{prefix}_{subscale.id}_score",
                "number",
                f"{subscale.title}: mean of items {', '.join(subscale.items)} after reverse scoring",
                f"{scale.min} to {scale.max}; empty when fewer than {subscale.min_answered} items answered",
            )
        )
    scored = instrument.scored_items
    if scored:
        low = min(item.scale.min for item in scored if item.scale is not None)
        high = max(item.scale.max for item in scored if item.scale is not None)
        rows.append(
            CodebookRow(
                f"{prefix}_total",
                "number",
                f"{instrument.title}: mean of all scored items after reverse scoring",
                f"{low} to {high}; empty when fewer than {instrument.min_answered} items answered",
            )
        )
    return rows


def _item_row(prefix: str, item: Item) -> CodebookRow:
    if item.scale is None:
        return CodebookRow(f"{prefix}_{item.id}", "string", item.text, "free text; empty when not answered")
    values = "; ".join(f"{v} = {item.scale.label(v)}" for v in range(item.scale.min, item.scale.max + 1))
    reverse = " (reverse-scored in scores)" if item.reverse else ""
    return CodebookRow(
        f"{prefix}_{item.id}", "integer", item.text + reverse, f"{values}; empty when not answered"
    )


def _mean(
    instrument: Instrument, checked: dict[str, int], item_ids: tuple[str, ...], least: int
) -> float | None:
    values = [scored_value(instrument.item(i), checked[i]) for i in item_ids if i in checked]
    if not values or len(values) < least:
        return None
    return sum(values) / len(values)
