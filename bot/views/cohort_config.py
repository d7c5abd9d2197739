"""The cohort settings modal, and reading its submission back into settings."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import fields
from datetime import date, time
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.care import submitted_wording, wording_blocks
from bot.views.form_values import element
from bot.views.text import fit_plain, slack_length
from circles.domain.cohort_rules import NAME_MAX, THRESHOLD_LIMITS, WEEKDAYS, CohortSettings
from circles.domain.cohort_settings import HealthThresholds
from circles.domain.vocabulary import MeetingPlace, PairingMode

PAIRING_WORDS = {
    PairingMode.NONE: "Circles only",
    PairingMode.PEER: "Peer pairs",
    PairingMode.COACH_LEARNER: "Coach and learner",
    PairingMode.MENTOR_LEARNER: "Mentor and learner",
}
PLACE_WORDS = {MeetingPlace.PRIVATE_CHANNEL: "A private channel", MeetingPlace.GROUP_DM: "A group DM"}
THRESHOLD_WORDS = {
    "low_rating": "A rating at or below this is low (1–5 scale)",
    "disagreement_gap": "Partners' ratings this far apart count as disagreement",
    "rating_drop": "A fall this large since the last check-in counts as a drop",
    "missed_checkins": "Unanswered check-ins in a row before it matters",
    "days_without_meeting": "Days without a reported meeting before it matters",
    "attention_checkins_before_escalation": "Check-ins in 'needs attention' before facilitators are alerted",
    "unclaimed_escalation_hours": "Hours before an unclaimed alert is sent again",
    "high_rating": "Both partners rating at or above this (and meeting) is thriving",
    "early_fit_rating": "After the first meeting, a rating at or below this is a poor early fit",
    "answer_within_days": "Days to answer a check-in before it counts as missed",
}
# Which block holds each setting, so errors land on the right field.
BLOCK_OF = {
    "name": "name",
    "circle_min_size": "circle_min_size",
    "circle_max_size": "circle_max_size",
    "pairing_mode": "pairing_mode",
    "meeting_place": "meeting_place",
    "prompt_weekday": "prompt_weekday",
    "prompt_local_time": "prompt_local_time",
    "checkin_every_weeks": "checkin_every_weeks",
    "match_look_back_rounds": "match_look_back_rounds",
    "prompt_track": "prompt_track",
    "timezone": "timezone",
    "starts_on": "starts_on",
    "ends_on": "ends_on",
    "facilitators": "facilitators",
    "free_text_hint": ids.COHORT_FREE_TEXT_HINT,
    "wellbeing_resources": ids.COHORT_WELLBEING_RESOURCES,
    **{name: f"health_{name}" for name in THRESHOLD_LIMITS},
}
ACTION = "value"  # every input's action_id; blocks tell them apart
PLAIN_INPUT_MAX = 3000  # the most a plain-text input takes


def config_modal(slug: str, settings: CohortSettings, facilitators: list[str], tracks: list[str]) -> View:
    """All of a cohort's settings on one form, filled with the current values."""
    blocks: list[Block] = [
        _text("name", "Name", settings.name, max_length=NAME_MAX),
        _number("circle_min_size", "Smallest circle", settings.circle_min_size),
        _number("circle_max_size", "Largest circle", settings.circle_max_size),
        _select("pairing_mode", "Partnerships", PAIRING_WORDS, settings.pairing_mode),
        _select("meeting_place", "Circles meet in", PLACE_WORDS, settings.meeting_place),
        _select("prompt_weekday", "Prompt day", dict(enumerate(WEEKDAYS)), settings.prompt_weekday),
        InputBlock(
            block_id="prompt_local_time",
            label="Prompt time (each person's local time)",
            element=TimePickerElement(
                action_id=ACTION, initial_time=settings.prompt_local_time.strftime("%H:%M")
            ),
        ),
        _number("checkin_every_weeks", "Check in every … weeks", settings.checkin_every_weeks),
        _number(
            "match_look_back_rounds",
            "Avoid repeating groupings from the last … rounds (0: all)",
            settings.match_look_back_rounds,
        ),
        _select("prompt_track", "Prompt track", {t: t for t in tracks}, settings.prompt_track),
        _text("timezone", "Default time zone (e.g. America/Chicago)", settings.timezone, max_length=64),
        _date("starts_on", "Starts on", settings.starts_on),
        _date("ends_on", "Ends on", settings.ends_on),
        InputBlock(
            block_id="facilitators",
            label="Facilitators (they alone see health and alerts)",
            element=UserMultiSelectElement(action_id=ACTION, initial_users=facilitators),
        ),
        *wording_blocks(settings),
        DividerBlock(),
        HeaderBlock(text="When a partnership needs attention"),
        SectionBlock(text="Sensible defaults are set; change them only if your programme needs to."),
    ]
    blocks += [
        _number(f"health_{f.name}", THRESHOLD_WORDS[f.name], getattr(settings.thresholds, f.name))
        for f in fields(settings.thresholds)
    ]
    return View(
        type="modal",
        callback_id=ids.COHORT_CONFIG_VIEW,
        private_metadata=slug,
        title=fit_plain(f"Settings: {slug}", 24),
        submit="Save",
        close="Cancel",
        blocks=blocks,
    )


CHOOSE = "Choose one of the options."
DAY = "Choose a day."


def read_submission(values: Any) -> tuple[CohortSettings, list[str], dict[str, str]]:
    """Turn the submitted form into settings and facilitators, plus errors for fields that do not parse.

    The values are hostile input: a field of an unexpected shape is an error on that field, never a crash.
    """
    errors: dict[str, str] = {}

    def value(block: str) -> Any:
        found = element(values, block)
        for key in ("value", "selected_option", "selected_time", "selected_date", "selected_users"):
            if key in found:
                given = found[key]
                return given.get("value") if isinstance(given, dict) else given
        return None

    def text(block: str) -> str:
        raw = value(block)
        return raw if isinstance(raw, str) else ""

    def number(block: str, default: int) -> int:
        raw = value(block)
        if raw is None or raw == "":
            return default
        if isinstance(raw, str) and raw.isascii():  # int() also reads other scripts' digits
            with contextlib.suppress(ValueError):
                return int(raw)
        errors[block] = "Enter a whole number."
        return default

    def parsed(block: str, parse: Callable[[str], Any], default: Any, problem: str) -> Any:
        raw = text(block)
        try:
            return parse(raw) if raw else default
        except ValueError:
            errors[block] = problem
            return default

    defaults = CohortSettings(name="")
    thresholds = HealthThresholds(
        **{
            f.name: number(f"health_{f.name}", getattr(HealthThresholds(), f.name))
            for f in fields(HealthThresholds)
        }
    )
    settings = CohortSettings(
        name=text("name").strip(),
        circle_min_size=number("circle_min_size", defaults.circle_min_size),
        circle_max_size=number("circle_max_size", defaults.circle_max_size),
        pairing_mode=parsed("pairing_mode", PairingMode, defaults.pairing_mode, CHOOSE),
        meeting_place=parsed("meeting_place", MeetingPlace, defaults.meeting_place, CHOOSE),
        prompt_weekday=number("prompt_weekday", 0),
        prompt_local_time=parsed("prompt_local_time", time.fromisoformat, time(9), "Choose a time."),
        checkin_every_weeks=number("checkin_every_weeks", defaults.checkin_every_weeks),
        match_look_back_rounds=number("match_look_back_rounds", defaults.match_look_back_rounds),
        prompt_track=text("prompt_track") or defaults.prompt_track,
        timezone=text("timezone").strip() or "UTC",
        starts_on=parsed("starts_on", date.fromisoformat, None, DAY),
        ends_on=parsed("ends_on", date.fromisoformat, None, DAY),
        thresholds=thresholds,
        **submitted_wording(values),
    )
    chosen = value("facilitators")
    facilitators = [user for user in chosen if isinstance(user, str)] if isinstance(chosen, list) else []
    return settings, facilitators, errors


def errors_by_block(problems: dict[str, str]) -> dict[str, str]:
    return {BLOCK_OF.get(name, "name"): message for name, message in problems.items()}


def _text(block: str, label: str, initial: str, max_length: int) -> InputBlock:
    # Slack refuses a form whose value is longer than its maximum: an older, longer value still opens
    # (and is pointed out on saving), and an emoji may count twice.
    longest = min(max(max_length, slack_length(initial)), PLAIN_INPUT_MAX)
    element = PlainTextInputElement(action_id=ACTION, initial_value=initial or None, max_length=longest)
    return InputBlock(block_id=block, label=label, element=element)


def _number(block: str, label: str, initial: int) -> InputBlock:
    element = NumberInputElement(action_id=ACTION, is_decimal_allowed=False, initial_value=str(initial))
    return InputBlock(block_id=block, label=label, element=element)


def _select(block: str, label: str, choices: dict[Any, str], current: Any) -> InputBlock:
    options = [Option(value=str(getattr(key, "value", key)), text=text) for key, text in choices.items()]
    initial = next((o for o in options if o.value == str(getattr(current, "value", current))), None)
    return InputBlock(
        block_id=block,
        label=label,
        element=StaticSelectElement(action_id=ACTION, options=options, initial_option=initial),
    )


def _date(block: str, label: str, initial: date | None) -> InputBlock:
    element = DatePickerElement(action_id=ACTION, initial_date=initial.isoformat() if initial else None)
    return InputBlock(block_id=block, label=label, element=element, optional=True)
