"""What a cohort's settings may be: each setting's limits, and the problems of settings that break them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields
from datetime import date

from circles.domain.availability.blackout_dates import blackout_problem
from circles.domain.care import wording_problems
from circles.domain.cohort_rules.dates import date_problems, date_range
from circles.domain.cohort_rules.settings import CohortSettings
from circles.domain.cohort_rules.time_zones import is_time_zone
from circles.domain.cohort_settings import NEEDS_DATES, HealthThresholds, survey_plan_problems
from circles.domain.research.consent import statement_problem
from circles.domain.tenants import meeting_place_for
from circles.domain.text import shows_nothing
from circles.domain.vocabulary import MeetingPlace

NAME_MAX = 120
CIRCLE_SIZE_LIMITS = (2, 12)
GROUP_DM_MAX = 8  # Slack's limit for a group DM, not counting the app
CHECKIN_WEEKS_LIMITS = (1, 12)
LOOK_BACK_LIMITS = (0, 52)  # 0: every earlier round
# On a date a kept survey plan needs: the plan itself is not on the form that was sent.
KEPT_PLAN_NEEDS_DATES = (
    "Half-way and end surveys are planned for this cohort, and they need both dates: "
    "set its start and end dates."
)

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


def settings_problems(
    settings: CohortSettings,
    known_tracks: frozenset[str] | None = None,
    today: date | None = None,
    known_surveys: Collection[str] | None = None,
    *,
    organisation: bool = False,
    kept: Collection[str] = (),
) -> dict[str, str]:
    """Check settings against the rules; returns {field: message}, empty when all is well.

    With `today`, the dates must also fall within a few years of it; with `known_surveys`, the plan may
    name only those; `organisation`: the tenant is an org-wide install, whose circles meet in group DMs.
    `kept`: settings kept as stored, the form or file sent without them: a kept plan is not checked
    against the catalogue again, and the dates it needs are asked for on the dates.
    """
    problems: dict[str, str] = {}
    if shows_nothing(settings.name):  # a name of invisible characters would be a blank in every message
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
    problems.update(group_dm_problem(settings, organisation, problems))
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
    if "survey_plan" in kept:
        needed = {name: KEPT_PLAN_NEEDS_DATES for name in undated_plan(settings) if name not in problems}
        problems.update(needed)
    else:
        dated = settings.starts_on is not None and settings.ends_on is not None
        problems.update(survey_plan_problems(settings.survey_plan, known_surveys, dated))
    statement = statement_problem(settings.research_statement)
    if statement:
        problems["research_statement"] = statement
    return problems


def undated_plan(settings: CohortSettings) -> tuple[str, ...]:
    """The dates (`starts_on`, `ends_on`) the survey plan needs and the settings lack: half-way and end
    surveys are timed by both, and without them would never go."""
    if not any(getattr(settings.survey_plan, phase) for phase in NEEDS_DATES):
        return ()
    return tuple(name for name in ("starts_on", "ends_on") if getattr(settings, name) is None)


def group_dm_problem(settings: CohortSettings, organisation: bool, found: dict[str, str]) -> dict[str, str]:
    """A largest circle a group DM cannot hold, where circles meet in one (chosen, or an organisation's)."""
    place = meeting_place_for(settings.meeting_place, organisation)
    if (
        place is not MeetingPlace.GROUP_DM
        or settings.circle_max_size <= GROUP_DM_MAX
        or "circle_max_size" in found
    ):
        return {}
    if settings.meeting_place is MeetingPlace.GROUP_DM:
        return {"meeting_place": f"A group DM holds at most {GROUP_DM_MAX} people; use a private channel."}
    # An organisation's circles meet in a group DM whatever was chosen: only the size can give way.
    return {
        "circle_max_size": f"Circles of an organisation-wide install meet in a group DM, which holds at most "
        f"{GROUP_DM_MAX} people: make the largest circle {GROUP_DM_MAX} or fewer."
    }


def circle_sizes(settings: CohortSettings, place: MeetingPlace) -> tuple[int, int]:
    """The smallest and largest circle a round may form where its circles meet: a cohort saved before its
    sizes were checked against its tenant still forms no group DM larger than Slack allows."""
    largest = settings.circle_max_size
    if place is not MeetingPlace.GROUP_DM or largest <= GROUP_DM_MAX:
        return settings.circle_min_size, largest
    # Capped: sizes from half the cap up let any number of people be placed (10 are two circles of 5).
    return min(settings.circle_min_size, (GROUP_DM_MAX + 1) // 2), GROUP_DM_MAX


def threshold_problems(thresholds: HealthThresholds) -> dict[str, str]:
    problems = {}
    for item in fields(thresholds):
        low, high = THRESHOLD_LIMITS[item.name]
        if not low <= getattr(thresholds, item.name) <= high:
            problems[item.name] = f"Use a whole number from {low} to {high}."
    return problems
