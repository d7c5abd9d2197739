"""The check-in's own questions, kept as the instrument `checkin`: its rating item and "did you meet"."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from instruments.model import Instrument, InstrumentError, Item

CHECKIN = "checkin"  # reserved: the check-in's instrument, never offered as a survey
RATING_ITEM, MET_ITEM = "rating", "met"
# Health reads ratings 1..5 and a yes/no meeting: a programme may reword, not rescale.
RATING_RANGE, MET_RANGE = (1, 5), (0, 1)
RATING_LABEL_MOST = 70  # shown as "5 · <label>" on a button, which holds 75 characters


@dataclass(frozen=True)
class CheckInWords:
    """What a check-in asks, as its instrument file words it."""

    rating_question: str
    rating_labels: dict[int, str]
    met_question: str
    met_yes: str
    met_no: str


def check_checkin(where: Path | str, found: Instrument) -> None:
    """The check-in instrument holds exactly a 1..5 rating and a 0..1 "did you meet", in that order."""
    ids = [item.id for item in found.items]
    if ids != [RATING_ITEM, MET_ITEM]:
        raise InstrumentError(f"{where}: items: the check-in has exactly `{RATING_ITEM}` then `{MET_ITEM}`")
    for item, (low, high) in ((found.items[0], RATING_RANGE), (found.items[1], MET_RANGE)):
        _check_range(where, item, low, high)
    scale = found.items[0].scale
    if scale is not None and any(len(label) > RATING_LABEL_MOST for label in scale.labels):
        raise InstrumentError(
            f"{where}: item {RATING_ITEM}: labels: at most {RATING_LABEL_MOST} characters each"
        )


def _check_range(where: Path | str, item: Item, low: int, high: int) -> None:
    if item.scale is None or (item.scale.min, item.scale.max) != (low, high):
        raise InstrumentError(f"{where}: item {item.id}: must be on a scale from {low} to {high}")


def words_of(found: Instrument) -> CheckInWords:
    """The check-in's questions and labels from its instrument."""
    rating, met = found.item(RATING_ITEM), found.item(MET_ITEM)
    assert rating.scale is not None  # check_checkin made sure of both
    assert met.scale is not None
    labels = {value: rating.scale.label(value) for value in range(rating.scale.min, rating.scale.max + 1)}
    return CheckInWords(rating.text, labels, met.text, met.scale.label(1), met.scale.label(0))


@cache
def checkin_words() -> CheckInWords:
    """The shipped check-in's words, read once per process."""
    from instruments.catalog import load_instrument  # the catalogue checks this module's rules

    return words_of(load_instrument(CHECKIN))
