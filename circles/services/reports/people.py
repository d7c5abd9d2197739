"""Who took part, and how many check-ins were answered: pure counts over plain rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from circles.domain.vocabulary import MemberStatus, Role
from circles.queries.reports.facts import CheckInFact, MemberFact
from circles.services.reports.figures import ParticipationWeek, ResponseWeek, RoleCount
from circles.services.reports.weeks import Calendar


def members_by_role(members: Iterable[MemberFact]) -> tuple[RoleCount, ...]:
    """Members of each role present in the cohort, by their status now."""
    counts = Counter((member.role, member.status) for member in members)
    return tuple(
        RoleCount(
            role,
            counts[role, MemberStatus.ACTIVE],
            counts[role, MemberStatus.PAUSED],
            counts[role, MemberStatus.LEFT],
        )
        for role in Role
        if any(counts[role, status] for status in MemberStatus)
    )


def participation(
    calendar: Calendar, members: Sequence[MemberFact], now: datetime
) -> tuple[ParticipationWeek, ...]:
    """Joins and leaves in each week, and how many were in the cohort when it ended."""
    joined = per_week(calendar, (at for member in members for at in member.joins()), now)
    left = per_week(calendar, (at for member in members for at in member.leaves()), now)
    weeks, running = [], 0
    for index, week in enumerate(calendar.weeks):
        running += joined[index] - left[index]
        weeks.append(ParticipationWeek(week.start, joined[index], left[index], running))
    return tuple(weeks)


def responses(calendar: Calendar, checkins: Iterable[CheckInFact], now: datetime) -> tuple[ResponseWeek, ...]:
    """Check-ins by the week they fell due (those asked by now), and how many of them are answered."""
    facts = [checkin for checkin in checkins if checkin.asked_by(now)]
    due = per_week(calendar, (checkin.due_at for checkin in facts), now)
    answered = per_week(
        calendar,
        (
            checkin.due_at
            for checkin in facts
            if checkin.answered_at is not None and checkin.answered_at <= now
        ),
        now,
    )
    return tuple(
        ResponseWeek(week.start, due[index], answered[index]) for index, week in enumerate(calendar.weeks)
    )


def mean_rating(checkins: Iterable[CheckInFact], now: datetime) -> float | None:
    """The mean rating of the check-ins `responses` counts as answered by now; None without any."""
    ratings = [
        checkin.rating
        for checkin in checkins
        if checkin.rating is not None
        and checkin.asked_by(now)
        and checkin.due_at <= now
        and checkin.answered_at is not None
        and checkin.answered_at <= now
    ]
    return sum(ratings) / len(ratings) if ratings else None


def per_week(calendar: Calendar, instants: Iterable[datetime | None], now: datetime) -> list[int]:
    """How many of the instants (up to now) fall in each week; earlier ones count in the first week."""
    counts = [0] * len(calendar.weeks)
    for instant in instants:
        if instant is not None and instant <= now:
            index = calendar.index(instant)
            if index is not None:
                counts[index] += 1
    return counts
