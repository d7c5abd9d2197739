"""A cohort's settings, as plain values, and which roles each pairing mode takes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Any

from circles.domain.availability.blackout_dates import Blackout
from circles.domain.availability.quiet import DEFAULT_QUIET_HOURS, QuietHours
from circles.domain.care import cleaned_hint, cleaned_resources
from circles.domain.cohort_settings import HealthThresholds, SurveyPlan
from circles.domain.research.consent import cleaned_statement
from circles.domain.text import one_line
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

ROLES_BY_MODE: dict[PairingMode, tuple[Role, ...]] = {
    PairingMode.NONE: (Role.PEER,),
    PairingMode.PEER: (Role.PEER,),
    PairingMode.COACH_LEARNER: (Role.LEARNER, Role.COACH),
    PairingMode.MENTOR_LEARNER: (Role.LEARNER, Role.MENTOR),
}


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
        # Stored as people will read them: the name on one line, as the settings form's box holds it (a
        # line break or tab typed after `/circles cohort create` would break it in every message)...
        object.__setattr__(self, "name", one_line(self.name))
        # ...and the wordings stripped, empty meaning "the default".
        object.__setattr__(self, "free_text_hint", cleaned_hint(self.free_text_hint))
        object.__setattr__(self, "wellbeing_resources", cleaned_resources(self.wellbeing_resources))
        object.__setattr__(self, "research_statement", cleaned_statement(self.research_statement))

    def with_changes(self, **changes: Any) -> CohortSettings:
        return replace(self, **changes)
