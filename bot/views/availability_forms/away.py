"""The Home form for going away: for some weeks, or until a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import Block, DatePickerElement, InputBlock, NumberInputElement
from slack_sdk.models.views import View

from bot import ids
from bot.views.availability import NEVER_WHY
from bot.views.availability_forms.common import either_side, small
from bot.views.form_values import element, typed
from bot.views.forms import form_modal
from circles.domain.availability.going_away import WEEKS_LIMITS, AwayRequest, away_problem
from circles.services.availability.pattern import Availability


def away_modal(availability: Availability) -> View:
    """For how many weeks, or until which date; a person already away sees their return date."""
    low, high = WEEKS_LIMITS
    back_on = availability.back_on.isoformat() if availability.back_on else None
    blocks: list[Block] = [
        InputBlock(
            block_id=ids.AWAY_WEEKS,
            label="Away for how many weeks?",
            optional=True,
            element=NumberInputElement(
                action_id=ids.INPUT, is_decimal_allowed=False, min_value=str(low), max_value=str(high)
            ),
        ),
        InputBlock(
            block_id=ids.AWAY_UNTIL,
            label="Or: the day you are back",
            optional=True,
            element=DatePickerElement(action_id=ids.INPUT, initial_date=back_on),
        ),
        small(
            "Check-ins, nudges and coach ideas wait until you are back, and nothing you miss counts "
            f"against your partnerships. {NEVER_WHY}"
        ),
    ]
    return form_modal(ids.AWAY_VIEW, "I'm away", "Save", blocks)


def away_request(values: Any, today: date) -> tuple[AwayRequest | None, dict[str, str]]:
    """The request the away form makes, or what to fix by block (`today` as the server sees it)."""
    weeks_text = (typed(values, ids.AWAY_WEEKS) or "").strip()
    day_text = element(values, ids.AWAY_UNTIL).get("selected_date")
    if weeks_text and day_text:
        return None, {ids.AWAY_UNTIL: "Fill in one of the two: weeks, or the day you are back."}
    if not weeks_text and not day_text:
        return None, {ids.AWAY_WEEKS: "Say how many weeks, or choose the day you are back."}
    if weeks_text:
        if not (weeks_text.isascii() and weeks_text.isdigit() and len(weeks_text) <= 3):
            return None, {ids.AWAY_WEEKS: "Enter a whole number of weeks."}
        request, block = AwayRequest(weeks=int(weeks_text)), ids.AWAY_WEEKS
    else:
        try:
            request, block = AwayRequest(until=date.fromisoformat(str(day_text))), ids.AWAY_UNTIL
        except ValueError:
            return None, {ids.AWAY_UNTIL: "Choose a date."}
    problem = either_side(lambda day: away_problem(request, day), today)
    return (None, {block: problem.replace("`", "")}) if problem else (request, {})
