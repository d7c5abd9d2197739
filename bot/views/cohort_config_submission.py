"""Read a submitted cohort settings form: every field may be missing, odd or out of range."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date, time
from enum import Enum
from typing import Any, TypeVar

from bot import ids
from bot.views.care import submitted_wording
from bot.views.cohort_config import ACTION, BLOCK_OF
from bot.views.cohort_research import RESEARCH_BLOCKS, submitted_research
from bot.views.form_values import element, user_ids
from circles.domain.availability import QuietHours
from circles.domain.availability.blackout_dates import Blackout, InvalidBlackouts, parse_blackouts
from circles.domain.availability.quiet import DEFAULT_QUIET_HOURS, NAMES
from circles.domain.cohort_rules import WEEKDAYS, CohortSettings
from circles.domain.cohort_settings import HealthThresholds
from circles.domain.text import clean_typed
from circles.domain.vocabulary import MeetingPlace, PairingMode

OUT_OF_DATE = "This form is out of date. Close it and open the cohort's settings again."
# Blocks a settings form always has: one sent without any of them (forged, or opened before the block was
# added) would save a default over what is stored. The research blocks alone may be missing, all of a
# part at once (an older form, or no surveys to offer): those settings are kept as stored.
ALWAYS_SENT = tuple(block for name, block in BLOCK_OF.items() if name not in RESEARCH_BLOCKS)
SURVEY_BLOCKS = tuple(block for name, block in RESEARCH_BLOCKS.items() if name.startswith("survey_"))
TIME_OF_DAY = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Choice = TypeVar("Choice", bound=Enum)


def submitted_values(body: Any) -> dict[str, Any]:
    """The form's `view.state.values`; empty when the submission lacks them."""
    view = body.get("view") if isinstance(body, dict) else None
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    return values if isinstance(values, dict) else {}


def out_of_date(values: Any) -> dict[str, str]:
    """OUT_OF_DATE, on a block the form has, when it lacks a block it always has or some of its surveys;
    empty when the form is whole."""
    sent = values if isinstance(values, dict) else {}
    surveys = sum(block in sent for block in SURVEY_BLOCKS)
    if all(block in sent for block in ALWAYS_SENT) and surveys in (0, len(SURVEY_BLOCKS)):
        return {}
    return {next((block for block in sent if isinstance(block, str)), "name"): OUT_OF_DATE}


def read_submission(values: Any) -> tuple[CohortSettings, list[str], dict[str, str]]:
    """Turn the submitted form into settings and facilitators, plus errors for fields that do not parse."""
    form = _Form(values if isinstance(values, dict) else {})
    plan, statement = submitted_research(form.values)
    defaults = CohortSettings(name="")
    thresholds = HealthThresholds(
        **{
            f.name: form.number(f"health_{f.name}", getattr(HealthThresholds(), f.name))
            for f in fields(HealthThresholds)
        }
    )
    settings = CohortSettings(
        name=clean_typed(form.text("name") or "").strip(),
        circle_min_size=form.number("circle_min_size", defaults.circle_min_size),
        circle_max_size=form.number("circle_max_size", defaults.circle_max_size),
        pairing_mode=form.choice("pairing_mode", PairingMode, defaults.pairing_mode),
        meeting_place=form.choice("meeting_place", MeetingPlace, defaults.meeting_place),
        prompt_weekday=form.weekday("prompt_weekday"),
        prompt_local_time=form.time_of_day("prompt_local_time", defaults.prompt_local_time),
        checkin_every_weeks=form.number("checkin_every_weeks", defaults.checkin_every_weeks),
        match_look_back_rounds=form.number("match_look_back_rounds", defaults.match_look_back_rounds),
        prompt_track=clean_typed(form.text("prompt_track") or defaults.prompt_track),
        timezone=clean_typed(form.text("timezone") or "UTC").strip(),
        starts_on=form.day("starts_on"),
        ends_on=form.day("ends_on"),
        thresholds=thresholds,
        quiet_hours=form.quiet_hours(ids.COHORT_QUIET_HOURS),
        blackout_dates=form.blackouts(ids.COHORT_BLACKOUT_DATES),
        **submitted_wording(form.values),
        survey_plan=plan,
        research_statement=statement,
    )
    return settings, form.users("facilitators"), form.errors


class _Form:
    """The submitted values, read one field at a time; what does not parse is noted against its block."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.errors: dict[str, str] = {}

    def raw(self, block: str) -> Any:
        found = self.values.get(block)
        element = found.get(ACTION) if isinstance(found, dict) else None
        if not isinstance(element, dict):
            return None
        for key in ("value", "selected_option", "selected_time", "selected_date", "selected_users"):
            if key in element:
                value = element[key]
                return value.get("value") if isinstance(value, dict) else value
        return None

    def text(self, block: str) -> str | None:
        value = self.raw(block)
        if value is not None and not isinstance(value, str):
            self.fail(block, "Enter some text.")
            return None
        return value

    def fail(self, block: str, message: str) -> None:
        self.errors[BLOCK_OF.get(block, block)] = message

    def number(self, block: str, default: int) -> int:
        raw = self.text(block)
        if raw is None or not raw.strip():
            return default
        if not re.fullmatch(r"-?\d{1,6}", raw.strip()):
            self.fail(block, "Enter a whole number.")
            return default
        return int(raw)

    def choice(self, block: str, kind: type[Choice], default: Choice) -> Choice:
        raw = self.text(block)
        if raw is None or raw == "":
            return default
        try:
            return kind(raw)
        except ValueError:
            self.fail(block, "Choose one of the options.")
            return default

    def weekday(self, block: str) -> int:
        raw = self.text(block)
        if raw is None or raw == "":
            return 0
        if raw not in [str(day) for day in range(len(WEEKDAYS))]:
            self.fail(block, "Choose a day of the week.")
            return 0
        return int(raw)

    def time_of_day(self, block: str, default: time) -> time:
        raw = self.text(block)
        if raw is None or raw == "":
            return default
        found = TIME_OF_DAY.match(raw)
        if found is None:
            self.fail(block, "Choose a time of day, from 00:00 to 23:59.")
            return default
        return time(int(found[1]), int(found[2]))

    def day(self, block: str) -> date | None:
        raw = self.text(block)
        if raw is None or raw == "":
            return None
        try:
            if DAY.match(raw):
                return date.fromisoformat(raw)
        except ValueError:
            pass
        self.fail(block, "Choose a date.")
        return None

    def quiet_hours(self, block: str) -> QuietHours:
        """The ticked boxes; a form without the block (sent before it existed) keeps the default."""
        if block not in self.values:
            return DEFAULT_QUIET_HOURS
        return ticked_quiet_hours(self.values, block)

    def blackouts(self, block: str) -> tuple[Blackout, ...]:
        try:
            return parse_blackouts(clean_typed(self.text(block) or ""))
        except InvalidBlackouts as unreadable:
            self.fail(block, str(unreadable))
            return ()

    def users(self, block: str) -> list[str]:
        raw = self.raw(block)
        if raw is None:
            return []
        chosen = user_ids(raw)
        if chosen is None:
            self.fail(block, "Choose the facilitators from the list.")
            return []
        return chosen


def ticked_quiet_hours(values: Any, block: str) -> QuietHours:
    """Evenings, nights and weekends as ticked; anything else among the options is ignored."""
    options = element(values, block).get("selected_options")
    ticked = {o.get("value") for o in options if isinstance(o, dict)} if isinstance(options, list) else set()
    return QuietHours(**{name: name in ticked for name in NAMES})


def errors_by_block(problems: dict[str, str]) -> dict[str, str]:
    """Each settings problem against the block that holds the setting."""
    return {BLOCK_OF.get(name, "name"): message for name, message in problems.items()}
