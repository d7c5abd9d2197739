"""Week by week trends of a cohort: engagement, mean rating and how soon escalations were taken up (pure)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from circles.queries.reports.facts import CheckInFact, EscalationFact
from circles.services.reports.figures import rate
from circles.services.reports.outcomes import median
from circles.services.reports.weeks import Calendar


@dataclass(frozen=True)
class TrendWeek:
    """A week: check-ins due in it and answered (by now), their mean rating, escalations opened in it."""

    week: date
    due: int
    answered: int
    mean_rating: float | None  # over the answers with a rating; None when there were none
    opened: int
    claimed: int  # of those opened this week, taken up by now
    median_claim: timedelta | None  # from opening to being taken up, over the claimed ones

    @property
    def engagement(self) -> float | None:
        return rate(self.answered, self.due)


def trends(
    calendar: Calendar, checkins: Iterable[CheckInFact], escalations: Iterable[EscalationFact], now: datetime
) -> tuple[TrendWeek, ...]:
    """Each week of the calendar; weeks with nothing to count keep None rather than zero."""
    due: list[list[CheckInFact]] = [[] for _ in calendar.weeks]
    for checkin in checkins:
        if checkin.asked_by(now) and (index := calendar.index(checkin.due_at)) is not None:
            due[index].append(checkin)
    opened: list[list[EscalationFact]] = [[] for _ in calendar.weeks]
    for escalation in escalations:
        if escalation.opened_at <= now and (index := calendar.index(escalation.opened_at)) is not None:
            opened[index].append(escalation)
    weeks = []
    for index, week in enumerate(calendar.weeks):
        answers = [c for c in due[index] if c.answered_at is not None and c.answered_at <= now]
        ratings = [c.rating for c in answers if c.rating is not None]
        waits = sorted(
            e.claimed_at - e.opened_at
            for e in opened[index]
            if e.claimed_at is not None and e.claimed_at <= now
        )
        weeks.append(
            TrendWeek(
                week.start,
                due=len(due[index]),
                answered=len(answers),
                mean_rating=sum(ratings) / len(ratings) if ratings else None,
                opened=len(opened[index]),
                claimed=len(waits),
                median_claim=median(waits),
            )
        )
    return tuple(weeks)


def trend_sentence(
    what: str, values: Sequence[float | None], say: Callable[[float], str], *, nothing: str
) -> str:
    """What a weekly line shows, in words: 'Engagement rose from 40% in week 1 to 75% in week 6'."""
    known = [(number, value) for number, value in enumerate(values, start=1) if value is not None]
    if not known:
        return nothing
    (first_week, first), (last_week, last) = known[0], known[-1]
    if len(known) == 1:
        return f"{what} was {say(first)} in week {first_week}, the only week with any"
    between = _extremes_between(known, say)
    if say(first) == say(last) and not between:
        return f"{what} stayed at {say(first)} from week {first_week} to week {last_week}"
    if say(first) == say(last):
        return f"{what} was {say(first)} in week {first_week} and in week {last_week}{between}"
    verb = "rose" if last > first else "fell"
    return f"{what} {verb} from {say(first)} in week {first_week} to {say(last)} in week {last_week}{between}"


def _extremes_between(known: Sequence[tuple[int, float]], say: Callable[[float], str]) -> str:
    """A peak or a dip between the first and last weeks, which a sentence about the ends would hide."""
    ends, between = (known[0][1], known[-1][1]), known[1:-1]
    said = []
    if between and (peak := max(between, key=lambda week: week[1]))[1] > max(ends):
        said.append(f"highest {say(peak[1])} in week {peak[0]}")
    if between and (dip := min(between, key=lambda week: week[1]))[1] < min(ends):
        said.append(f"lowest {say(dip[1])} in week {dip[0]}")
    return f", {' and '.join(said)} between" if said else ""
