"""What a cohort's slug and settings may be, and which roles each pairing mode takes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass, field, fields, replace
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from circles.domain.availability.blackout_dates import Blackout, blackout_problem
from circles.domain.availability.quiet import DEFAULT_QUIET_HOURS, QuietHours
from circles.domain.care import cleaned_hint, cleaned_resources, wording_problems
from circles.domain.cohort_settings import HealthThresholds, SurveyPlan, survey_plan_problems
from circles.domain.research.consent import cleaned_statement, statement_problem
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
SLUG_RULE = (
    "2–40 characters: lowercase letters, digits and dashes, starting and ending with a letter or digit"
)
NAME_MAX = 120
CIRCLE_SIZE_LIMITS = (2, 12)
GROUP_DM_MAX = 8  # Slack's limit for a group DM, not counting the app
CHECKIN_WEEKS_LIMITS = (1, 12)
LOOK_BACK_LIMITS = (0, 52)  # 0: every earlier round
# Dates a schedule can be worked out for: far-off dates (year 9999) overflow date arithmetic later.
DATE_RANGE = (date(2000, 1, 1), date(2199, 12, 31))
YEARS_FROM_TODAY = 5  # how far before or after today a cohort may start or end
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

THRESHOLD_LIMITS: dict[str, tuple[int, int]] = {
    "low_rating": (1, 4),
    "disagreement_gap": (1, 4),
    "rating_drop": (1, 4),
    "missed_checkins": (1, 10),
    "days_without_meeting": (3, 120),
    "attention_checkins_before_escalation": (1, 10),
    "unclaimed_escalation_hours": (1, 336),
    "high_rating": (2, 5),
    "early_fit_rating": (1, 4),
    "answer_within_days": (1, 14),
}

ROLES_BY_MODE: dict[PairingMode, tuple[Role, ...]] = {
    PairingMode.NONE: (Role.PEER,),
    PairingMode.PEER: (Role.PEER,),
    PairingMode.COACH_LEARNER: (Role.LEARNER, Role.COACH),
    PairingMode.MENTOR_LEARNER: (Role.LEARNER, Role.MENTOR),
}


def slug_problem(slug: str) -> str | None:
    """Say what is wrong with a slug, or None when it is fine."""
    if len(slug) < 2 or not SLUG_PATTERN.match(slug):
        return f"`{slug[:60]}` is not a valid cohort slug: use {SLUG_RULE}, e.g. `pgy1-spring`."
    return None


def closest_slugs(wanted: str, existing: list[str], limit: int = 3) -> list[str]:
    """The existing slugs nearest to what someone typed, best first."""
    return difflib.get_close_matches(wanted.lower(), existing, n=limit, cutoff=0.5)


def roles_for(mode: PairingMode) -> tuple[Role, ...]:
    """The roles a member may choose when joining a cohort with this pairing mode."""
    return ROLES_BY_MODE[mode]


@dataclass(frozen=True)
class CohortSettings:
    """Everything a facilitator configures, as plain values."""

    name: str
    circle_min_size: int = 4
    circle_max_size: int = 6
    pairing_mode: PairingMode = PairingMode.NONE
    meeting_place: MeetingPlace = MeetingPlace.PRIVATE_CHANNEL
    prompt_weekday: int = 0
    prompt_local_time: time = time(9, 0)
    checkin_every_weeks: int = 2
    match_look_back_rounds: int = 0
    prompt_track: str = "default"
    timezone: str = "UTC"
    starts_on: date | None = None
    ends_on: date | None = None
    thresholds: HealthThresholds = field(default_factory=HealthThresholds)
    # The cohort's own words; None means the product's default wording (circles.domain.care).
    free_text_hint: str | None = None
    wellbeing_resources: str | None = None
    # Quiet hours for members who chose none of their own, and dates with no prompts or check-ins.
    quiet_hours: QuietHours = DEFAULT_QUIET_HOURS
    blackout_dates: tuple[Blackout, ...] = ()
    # Surveys at each phase, and the research statement members consent to (None: the default wording).
    survey_plan: SurveyPlan = field(default_factory=SurveyPlan)
    research_statement: str | None = None

    def __post_init__(self) -> None:
        # Stored as people will read them: stripped, and empty means "the default".
        object.__setattr__(self, "free_text_hint", cleaned_hint(self.free_text_hint))
        object.__setattr__(self, "wellbeing_resources", cleaned_resources(self.wellbeing_resources))
        object.__setattr__(self, "research_statement", cleaned_statement(self.research_statement))

    def with_changes(self, **changes: Any) -> CohortSettings:
        return replace(self, **changes)


def settings_problems(
    settings: CohortSettings,
    known_tracks: frozenset[str] | None = None,
    today: date | None = None,
    known_surveys: Collection[str] | None = None,
) -> dict[str, str]:
    """Check settings against the rules; returns {field: message}, empty when all is well.

    With `today`, the dates must also fall within a few years of it; with `known_surveys`, the plan may
    name only those.
    """
    problems: dict[str, str] = {}
    if not settings.name.strip():
        problems["name"] = "Give the cohort a name."
    elif len(settings.name) > NAME_MAX:
        problems["name"] = f"Keep the name to {NAME_MAX} characters."
    low, high = CIRCLE_SIZE_LIMITS
    for name in ("circle_min_size", "circle_max_size"):
        value = getattr(settings, name)
        if not low <= value <= high:
            problems[name] = f"A circle has between {low} and {high} people."
    sizes_valid = "circle_min_size" not in problems and "circle_max_size" not in problems
    if sizes_valid and settings.circle_min_size > settings.circle_max_size:
        problems["circle_max_size"] = "The largest circle cannot be smaller than the smallest."
    if (
        settings.meeting_place is MeetingPlace.GROUP_DM
        and settings.circle_max_size > GROUP_DM_MAX
        and "circle_max_size" not in problems
    ):
        problems["meeting_place"] = f"A group DM holds at most {GROUP_DM_MAX} people; use a private channel."
    if not 0 <= settings.prompt_weekday <= 6:
        problems["prompt_weekday"] = "Choose a day of the week."
    low, high = CHECKIN_WEEKS_LIMITS
    if not low <= settings.checkin_every_weeks <= high:
        problems["checkin_every_weeks"] = f"Check in every {low} to {high} weeks."
    low, high = LOOK_BACK_LIMITS
    if not low <= settings.match_look_back_rounds <= high:
        problems["match_look_back_rounds"] = f"Use {low} (every earlier round) up to {high} rounds."
    if known_tracks is not None and settings.prompt_track not in known_tracks:
        problems["prompt_track"] = f"There is no prompt track called `{settings.prompt_track}`."
    if not is_time_zone(settings.timezone):
        problems["timezone"] = f"`{settings.timezone}` is not a time zone; use a name like Europe/London."
    problems.update(date_problems(settings.starts_on, settings.ends_on, today))
    blackouts = blackout_problem(settings.blackout_dates, *date_range(today))
    if blackouts:
        problems["blackout_dates"] = blackouts
    problems.update(threshold_problems(settings.thresholds))
    problems.update(wording_problems(settings.free_text_hint, settings.wellbeing_resources))
    problems.update(survey_plan_problems(settings.survey_plan, known_surveys, settings.ends_on is not None))
    statement = statement_problem(settings.research_statement)
    if statement:
        problems["research_statement"] = statement
    return problems


def date_problems(starts_on: date | None, ends_on: date | None, today: date | None) -> dict[str, str]:
    """Dates within range (a few years of today, when known), and the end after the start."""
    low, high = date_range(today)
    problems = {
        name: f"Choose a date from {low.isoformat()} to {high.isoformat()}."
        for name, day in (("starts_on", starts_on), ("ends_on", ends_on))
        if day is not None and not low <= day <= high
    }
    if not problems and starts_on and ends_on and ends_on <= starts_on:
        problems["ends_on"] = "The cohort must end after it starts."
    return problems


def date_range(today: date | None) -> tuple[date, date]:
    """Dates a schedule (or a rotation block) may use: within a few years of today, when known; always
    far enough from year 1 and 9999 that a day or a year on cannot overflow."""
    low, high = DATE_RANGE
    if today is not None:
        low = max(low, _years_from(today, -YEARS_FROM_TODAY))
        high = min(high, _years_from(today, YEARS_FROM_TODAY))
    return low, high


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def threshold_problems(thresholds: HealthThresholds) -> dict[str, str]:
    problems = {}
    for item in fields(thresholds):
        low, high = THRESHOLD_LIMITS[item.name]
        if not low <= getattr(thresholds, item.name) <= high:
            problems[item.name] = f"Use a whole number from {low} to {high}."
    return problems


# In the zone database, yet naming no place: the server's own setting, and placeholders.
NO_PLACE = frozenset({"localtime", "Factory", "posixrules"})


def is_time_zone(name: str) -> bool:
    if name not in _zones() or name in NO_PLACE:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES  # computed once: listing the zone database reads many files
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES
