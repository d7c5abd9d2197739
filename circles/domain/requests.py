"""A learner asking a coach or mentor to partner with them: its states and the rules around it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from circles.domain.planning import zone_for
from circles.domain.schedule import day_over
from circles.domain.vocabulary import PartnershipKind, Role

MAX_CAPACITY = 20  # partners one coach or mentor may take at once


class RequestStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # the learner left, or the request could not be delivered


def partnership_kind(guide_role: Role) -> PartnershipKind:
    """The pair a coach or mentor forms with a learner."""
    if guide_role is Role.COACH:
        return PartnershipKind.COACH_LEARNER
    if guide_role is Role.MENTOR:
        return PartnershipKind.MENTOR_LEARNER
    raise ValueError(f"{guide_role.value} members do not take learners")


def remaining_capacity(capacity: int, taken: int) -> int:
    """Room left; never negative, even when capacity was lowered below the partners already taken."""
    return max(capacity - taken, 0)


def cohort_over(ends_on: date | None, timezone: str, now: datetime) -> bool:
    """Whether the cohort's last day is over in its own time zone: from then on, nobody asks its coaches
    and mentors for a partnership (one formed then would be completed at once)."""
    return ends_on is not None and day_over(ends_on, zone_for(None, timezone), now)


def cohort_closed(archived_at: datetime | None, ends_on: date | None, timezone: str, now: datetime) -> bool:
    """Whether the cohort is archived or its last day is over: its pairs are neither paused nor resumed."""
    return archived_at is not None or cohort_over(ends_on, timezone, now)
