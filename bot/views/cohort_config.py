"""The cohort settings modal (its submission is read back in bot.views.cohort_config_submission)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.care import wording_blocks
from bot.views.cohort_config_start import START, start_word
from bot.views.cohort_research import RESEARCH_BLOCKS, research_blocks
from bot.views.forms import form_modal, pick_one, room_for
from bot.views.quiet_hours import quiet_hours_input
from bot.views.text import clip_mrkdwn, fit_plain
from circles.domain.availability.blackout_dates import TEXT_MAX, blackouts_text
from circles.domain.cohort_rules import NAME_MAX, THRESHOLD_LIMITS, WEEKDAYS, CohortSettings
from circles.domain.cohort_rules.start import StartKept, start_hint
from circles.domain.vocabulary import MeetingPlace, PairingMode
from instruments.catalog import catalogue
from instruments.model import Instrument

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
    "quiet_hours": ids.COHORT_QUIET_HOURS,
    "blackout_dates": ids.COHORT_BLACKOUT_DATES,
    **{name: f"health_{name}" for name in THRESHOLD_LIMITS},
    **RESEARCH_BLOCKS,
}
ACTION = ids.INPUT  # every input's action_id; blocks tell them apart
NOTE_BLOCK = ids.COHORT_CONFIG_NOTE


def config_modal(
    slug: str,
    settings: CohortSettings,
    facilitators: list[str],
    tracks: list[str],
    surveys: dict[str, Instrument] | None = None,
    digest: str = "",
    note: str | None = None,
    start_kept: StartKept | None = None,
) -> View:
    """All of a cohort's settings on one form, filled with the current values; `digest`, of the settings
    it was opened with, comes back with the form (see `opened_with`), as does `start_kept`, the start of a
    cohort whose rhythm has begun (`kept_start`), which its start date says. A `note` at the top says why
    the form is shown again as it was sent."""
    blocks: list[Block] = []
    if note:  # our own words, naming people by mention: not escaped
        blocks.append(
            SectionBlock(block_id=NOTE_BLOCK, text=MarkdownTextObject(text=clip_mrkdwn(note, 3000)))
        )
    blocks += [
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
        _date("starts_on", "Starts on", settings.starts_on, hint=start_hint(start_kept)),
        _date("ends_on", "Ends on", settings.ends_on),
        quiet_hours_input(
            ids.COHORT_QUIET_HOURS,
            "Quiet hours, for members who chose none of their own",
            settings.quiet_hours,
            ACTION,
        ),
        InputBlock(
            block_id=ids.COHORT_BLACKOUT_DATES,
            label="Blackout dates (exam weeks, holidays)",
            hint="One range per line, e.g. 2027-03-01..2027-03-05, in the cohort's time zone. No prompts "
            "or check-ins on those days; the rhythm resumes after.",
            optional=True,
            element=PlainTextInputElement(
                action_id=ACTION,
                multiline=True,
                initial_value=blackouts_text(settings.blackout_dates) or None,
                max_length=TEXT_MAX,
            ),
        ),
        InputBlock(
            block_id="facilitators",
            label="Facilitators (they alone see health and alerts)",
            element=UserMultiSelectElement(action_id=ACTION, initial_users=facilitators),
        ),
        *wording_blocks(settings),
        *research_blocks(settings, catalogue() if surveys is None else surveys),
        DividerBlock(),
        HeaderBlock(text="When a partnership needs attention"),
        SectionBlock(text="Sensible defaults are set; change them only if your programme needs to."),
    ]
    blocks += [
        _number(f"health_{f.name}", THRESHOLD_WORDS[f.name], getattr(settings.thresholds, f.name))
        for f in fields(settings.thresholds)
    ]
    return form_modal(
        ids.COHORT_CONFIG_VIEW,
        fit_plain(f"Settings: {slug}", 24),
        "Save",
        blocks,
        private_metadata=" ".join(filter(None, (slug, digest, start_word(start_kept)))),
    )


def opened_with(private_metadata: str) -> tuple[str, str | None]:
    """The cohort slug a settings form is about, and the digest of the settings it was opened with (None
    from a form that carried none)."""
    slug, *rest = private_metadata.split() or [""]
    return slug, next((word for word in rest if not word.startswith(START)), None)


def _text(block: str, label: str, initial: str, max_length: int) -> InputBlock:
    longest = room_for(initial, max_length)
    element = PlainTextInputElement(action_id=ACTION, initial_value=initial or None, max_length=longest)
    return InputBlock(block_id=block, label=label, element=element)


def _number(block: str, label: str, initial: int) -> InputBlock:
    element = NumberInputElement(action_id=ACTION, is_decimal_allowed=False, initial_value=str(initial))
    return InputBlock(block_id=block, label=label, element=element)


def _select(block: str, label: str, choices: dict[Any, str], current: Any) -> InputBlock:
    options = [Option(value=str(getattr(key, "value", key)), text=text) for key, text in choices.items()]
    initial = next((o for o in options if o.value == str(getattr(current, "value", current))), None)
    return pick_one(block, ACTION, label, options, initial=initial)


def _date(block: str, label: str, initial: date | None, hint: str | None = None) -> InputBlock:
    element = DatePickerElement(action_id=ACTION, initial_date=initial.isoformat() if initial else None)
    return InputBlock(block_id=block, label=label, element=element, optional=True, hint=hint)
