"""What a report holds: counts per week and per kind, exact and anonymous; its rows (circles, and individual
partnerships only on request) are in circles.services.reports.rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from circles.domain.vocabulary import Role
from circles.services.reports.rows import CircleRow, PartnershipRow

if TYPE_CHECKING:
    from circles.services.reports.trends import TrendWeek


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there was nothing to count."""
    return part / whole if whole else None


def standing_now(circles: list[tuple[int, bool]]) -> list[bool]:
    """Which circles, each as (round, dissolved), are the cohort's now: its latest round's not dissolved, as
    prompts go (a new round leaves earlier ones standing; a dissolved circle leaves its round the latest)."""
    latest = max((number for number, _ in circles), default=None)
    return [number == latest and not dissolved for number, dissolved in circles]


@dataclass(frozen=True)
class RoleCount:
    """Members of one role now, by status."""

    role: Role
    active: int
    paused: int
    left: int

    @property
    def total(self) -> int:
        return self.active + self.paused + self.left


@dataclass(frozen=True)
class ParticipationWeek:
    week: date
    joined: int
    left: int
    members: int  # in the cohort (active or paused) at the end of the week, or now for this week


@dataclass(frozen=True)
class ResponseWeek:
    """Check-ins falling due in the week, and how many of those were answered (by now)."""

    week: date
    due: int
    answered: int

    @property
    def rate(self) -> float | None:
        return rate(self.answered, self.due)


@dataclass(frozen=True)
class StatesWeek:
    """Partnerships running at the end of the week (or now), by the health state they were in then."""

    week: date
    thriving: int
    steady: int
    needs_attention: int
    struggling: int
    not_assessed: int  # running, but no health recorded for them yet by then

    @property
    def total(self) -> int:
        return self.thriving + self.steady + self.needs_attention + self.struggling + self.not_assessed


@dataclass(frozen=True)
class EscalationWeek:
    week: date
    opened: int
    claimed: int
    resolved: int


@dataclass(frozen=True)
class EscalationFigures:
    opened: int
    claimed: int  # a facilitator said they would reach out
    resolved: int
    still_open: int  # not resolved yet
    # From opening to the first "I'll reach out", over the claimed ones.
    median_first_response: timedelta | None
    mean_first_response: timedelta | None
    weeks: tuple[EscalationWeek, ...]


@dataclass(frozen=True)
class Endings:
    """Every partnership of the cohort once: still running, or how it ended."""

    active: int
    paused: int
    completed: int
    no_fault: int
    member_left: int
    rematched: int
    facilitator: int
    unrecorded: int  # ended without a recorded reason

    @property
    def ended_early(self) -> int:
        return self.no_fault + self.member_left + self.rematched + self.facilitator + self.unrecorded

    @property
    def total(self) -> int:
        return self.active + self.paused + self.completed + self.ended_early


@dataclass(frozen=True)
class Report:
    slug: str
    cohort_name: str
    timezone: str
    generated_at: datetime
    members: tuple[RoleCount, ...]
    participation: tuple[ParticipationWeek, ...]
    checkins: tuple[ResponseWeek, ...]
    states: tuple[StatesWeek, ...]
    escalations: EscalationFigures
    endings: Endings
    circles: tuple[CircleRow, ...]
    individual: tuple[PartnershipRow, ...] | None = None  # None unless asked for, by a facilitator
    trends: tuple[TrendWeek, ...] = ()  # engagement, ratings and escalations week by week
    left_out: int = 0  # partnerships the person it was made for is one of: not in any figure or row
    mean_rating: float | None = None  # of the check-ins answered by then, as `checkins` counts them
    seated_now: int | None = None  # members active in the circles now, each once, as `assemble` counts them

    @property
    def circle_members_active(self) -> int:
        """Members active in the circles now, each once; from the rows when `seated_now` was not counted."""
        if self.seated_now is not None:
            return self.seated_now
        standing = standing_now([(row.round, row.dissolved_on is not None) for row in self.circles])
        return sum(row.active for row, now in zip(self.circles, standing, strict=True) if now)

    @property
    def notes_unavailable(self) -> int:
        """Shared notes in the individual rows that the notes key did not open."""
        return sum(row.notes_unavailable for row in self.individual or ())

    @property
    def members_joined(self) -> int:
        return sum(count.total for count in self.members)

    @property
    def members_left(self) -> int:
        return sum(count.left for count in self.members)

    @property
    def retention(self) -> float | None:
        """Members still in the cohort, of all who ever joined it."""
        return rate(self.members_joined - self.members_left, self.members_joined)

    @property
    def checkins_due(self) -> int:
        return sum(week.due for week in self.checkins)

    @property
    def checkins_answered(self) -> int:
        return sum(week.answered for week in self.checkins)

    @property
    def response_rate(self) -> float | None:
        return rate(self.checkins_answered, self.checkins_due)
