"""The Home form for working hours: usual hours, different hours or days off for some dates, and quiet
hours (the cohort's or one's own)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.availability import hours_words
from bot.views.availability_forms.common import either_side, small
from bot.views.availability_forms.kept import kept_errors, kept_metadata
from bot.views.form_values import element, state_values, ticked, typed
from bot.views.forms import form_modal
from bot.views.quiet_hours import QUIET_WORDS
from bot.views.text import mrkdwn
from circles.domain.availability import InvalidPattern, QuietHours, RotaEntry, Shift, parse_shift
from circles.domain.availability.own_hours import HoursChoice, quiet_problem, rota_problem
from circles.domain.availability.quiet import NAMES
from circles.services.availability.pattern import Availability

PATTERN_MAX = 100
COHORTS = "cohort"  # the quiet hours option meaning "my cohort's"
ONLY_HOURS = "Days and hours only: never patient information."
WRITTEN_LIKE = "Write it like Mon-Fri 08:00-17:00 (days, then hours in 24-hour time)."


def hours_modal(availability: Availability) -> View:
    """Usual hours, one change for some dates, and quiet hours: the cohort's or one's own."""
    pattern = availability.pattern
    options = [Option(value=COHORTS, label="Use my cohort's quiet hours")]
    options += [Option(value=name, label=QUIET_WORDS[name]) for name in NAMES]
    if availability.own_quiet:
        chosen = [o for o in options[1:] if getattr(availability.quiet, str(o.value))]
    else:
        chosen = options[:1]
    blocks: list[Block] = [
        _pattern_input(
            ids.HOURS_PATTERN,
            "Your usual working hours",
            pattern.shift.describe() if pattern else None,
            "e.g. Mon-Fri 08:00-17:00, or Sun-Thu 19:00-07:00 for nights. Empty: any hour suits you. "
            + ONLY_HOURS,
        ),
        _pattern_input(
            ids.HOURS_ROTA_PATTERN,
            "This week only: different hours",
            None,
            "e.g. Mon-Sun 19:00-07:00 for a week of nights, between the dates below.",
        ),
        InputBlock(
            block_id=ids.HOURS_ROTA_OFF,
            label="Or: not working on those dates",
            optional=True,
            element=CheckboxesElement(action_id=ids.INPUT, options=[Option(value="off", label="Days off")]),
        ),
        _date(ids.HOURS_ROTA_FROM, "From"),
        _date(ids.HOURS_ROTA_UNTIL, "Until (included)"),
        InputBlock(
            block_id=ids.HOURS_QUIET,
            label="Quiet hours",
            hint="No personal messages then. Evenings 18:00–22:00, nights 22:00–07:00. Your cohort's "
            "give way in working hours they would cover whole.",
            optional=True,
            element=CheckboxesElement(action_id=ids.INPUT, options=options, initial_options=chosen or None),
        ),
        small(f"Now: {hours_words(pattern)}. Times are in your time zone ({mrkdwn(availability.timezone)})."),
    ]
    return form_modal(
        ids.HOURS_VIEW, "Working hours", "Save", blocks, private_metadata=kept_metadata(availability)
    )


def hours_submitted(view: Any, now: datetime) -> tuple[HoursChoice | None, dict[str, str]]:
    """What the sent hours form chooses, or what to fix by block: its own fields, then one's own quiet
    hours over the rota entries it was opened with (kept from before)."""
    choice, errors = hours_choice(state_values(view), now.date())
    if choice is None:
        return None, errors
    metadata = view.get("private_metadata") if isinstance(view, dict) else None
    if kept := kept_errors(choice, metadata, now):
        return None, kept
    return choice, {}


def hours_choice(values: Any, today: date) -> tuple[HoursChoice | None, dict[str, str]]:
    """What the hours form chooses, or what to fix by block."""
    errors: dict[str, str] = {}
    shift = _shift(values, ids.HOURS_PATTERN, errors)
    rota = _rota(values, today, errors)
    if rota is not None and shift is None and ids.HOURS_PATTERN not in errors:
        errors[ids.HOURS_PATTERN] = "Give your usual hours too: the change holds only on those dates."
    quiet: QuietHours | None = QuietHours(**{name: ticked(values, ids.HOURS_QUIET, name) for name in NAMES})
    if ticked(values, ids.HOURS_QUIET, COHORTS):
        if quiet != QuietHours():
            errors[ids.HOURS_QUIET] = "Tick your cohort's quiet hours, or your own, not both."
        quiet = None
    if quiet is not None and not errors:
        _never_reached(quiet, shift, rota, errors)
    return (None, errors) if errors else (HoursChoice(shift, rota, quiet), {})


def _never_reached(
    quiet: QuietHours, shift: Shift | None, rota: RotaEntry | None, errors: dict[str, str]
) -> None:
    """One's own quiet hours that cover all of the usual hours, or all of the hours for some dates."""
    if shift is not None and (problem := quiet_problem(quiet, shift)):
        errors[ids.HOURS_QUIET] = problem
    elif rota is not None and rota.shift and (problem := quiet_problem(quiet, rota.shift, usual=False)):
        errors[ids.HOURS_ROTA_PATTERN] = problem


def _rota(values: Any, today: date, errors: dict[str, str]) -> RotaEntry | None:
    shift = _shift(values, ids.HOURS_ROTA_PATTERN, errors)
    off = ticked(values, ids.HOURS_ROTA_OFF, "off")
    starts, ends = _day(values, ids.HOURS_ROTA_FROM), _day(values, ids.HOURS_ROTA_UNTIL)
    if shift is None and not off and starts is None and ends is None:
        return None
    if shift is not None and off:
        errors[ids.HOURS_ROTA_OFF] = "Give different hours, or days off, not both."
    elif shift is None and not off and ids.HOURS_ROTA_PATTERN not in errors:
        errors[ids.HOURS_ROTA_PATTERN] = "Give the hours for those dates, or tick days off."
    if starts is None or ends is None:
        errors[ids.HOURS_ROTA_FROM if starts is None else ids.HOURS_ROTA_UNTIL] = "Choose the dates."
        return None
    entry = RotaEntry(starts, ends, shift)
    if problem := either_side(lambda day: rota_problem(entry, day), today):
        errors[ids.HOURS_ROTA_UNTIL] = problem
    return entry


def _shift(values: Any, block: str, errors: dict[str, str]) -> Shift | None:
    text = (typed(values, block) or "").strip()
    if not text:
        return None
    try:
        return parse_shift(text[:PATTERN_MAX])
    except InvalidPattern as error:
        errors[block] = error.problem or WRITTEN_LIKE
        return None


def _day(values: Any, block: str) -> date | None:
    raw = element(values, block).get("selected_date")
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def _pattern_input(block_id: str, label: str, initial: str | None, hint: str) -> InputBlock:
    element = PlainTextInputElement(action_id=ids.INPUT, initial_value=initial, max_length=PATTERN_MAX)
    return InputBlock(block_id=block_id, label=label, hint=hint, optional=True, element=element)


def _date(block_id: str, label: str) -> InputBlock:
    return InputBlock(
        block_id=block_id, label=label, optional=True, element=DatePickerElement(action_id=ids.INPUT)
    )
