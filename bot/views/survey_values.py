"""A submitted part of a survey's form, read back into answers checked against the instrument's scales."""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.views.form_values import element, selected, ticked, typed
from bot.views.survey_form import CHOSEN, parts
from circles.services.surveys.answers import GivenSurvey
from instruments.model import Instrument


def submitted_survey(
    values: Any, survey: Instrument, part: int = 0, nothing_before: bool = False
) -> tuple[GivenSurvey | None, dict[str, str]]:
    """Read one submitted part against its instrument; the errors map block_ids to what to fix. A survey
    is not sent empty: a one-part form, or the last part when `nothing_before` was answered, needs an
    answer."""
    given_values: dict[str, int | None] = {}
    texts: dict[str, str] = {}
    research: set[str] = set()
    errors: dict[str, str] = {}
    shown = parts(survey)[part]
    for item in shown:
        block_id = ids.SURVEY_ITEM + item.id
        if item.scale is None:
            words = typed(values, block_id)
            if words and words.strip():
                texts[item.id] = words
                if ticked(values, ids.SURVEY_RESEARCH + item.id, CHOSEN):
                    research.add(item.id)
            continue
        raw = selected(values, block_id) or element(values, block_id).get("value")
        if raw is None or raw == "":
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            errors[block_id] = "Choose one of the answers offered."
            continue
        if not item.scale.min <= value <= item.scale.max:
            errors[block_id] = f"Choose a value from {item.scale.min} to {item.scale.max}."
            continue
        given_values[item.id] = value
    # The last part sends the survey: sent empty with nothing before, it would count as answered.
    sends_nothing = part == len(parts(survey)) - 1 and (len(parts(survey)) == 1 or nothing_before)
    if not errors and not given_values and not texts and sends_nothing:
        first = shown[0]
        errors[ids.SURVEY_ITEM + first.id] = (
            "Answer at least one question, or close the form to answer later."
        )
    given = GivenSurvey(given_values, texts, frozenset(research))
    return (None if errors else given), errors
