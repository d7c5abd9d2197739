"""When a cohort's surveys are due, reminded and closed (pure; instants in UTC, days in the cohort's zone).

Baseline goes at the cohort's start, or at a member's join when later; midpoint half-way between its start
and end dates; end a few days before its end date. Each goes at the cohort's prompt time on its day, in
the cohort's time zone. A cohort without dates has a baseline only (at its start or each member's join).
A member who joins after a phase's day gets no request for it, except the baseline, which waits for them.
When the cohort's dates move, a request follows its phase as circles.domain.surveys_moved says.
A request takes answers for OPEN_FOR after its invitation reached the member (after it was due, while it
has not: an invitation still held back then is dropped), and is reminded once, REMIND_AFTER after it is due
and at least that long after its invitation. A member takes part while active, or paused with an end date
that has passed (such a pause ends by itself, as it does for prompts); the messages of someone not taking
part wait for their return, and go if the request is still open then. A cohort archived gets nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from circles.domain.presence import taking_part
from circles.domain.vocabulary import MemberStatus, SurveyPhase

OPEN_FOR = timedelta(days=14)
REMIND_AFTER = timedelta(days=3)
END_BEFORE = timedelta(days=3)  # the end survey goes this long before the cohort's last day
LOOK_AGAIN = timedelta(days=1)  # a message for someone out with no return date is looked at again this later


@dataclass(frozen=True)
class SurveyCalendar:
    """What the due times depend on: the cohort's dates, its time zone and the time its prompts go."""

    starts_on: date | None
    ends_on: date | None
    timezone: str
    local_time: time


@dataclass(frozen=True)
class DueSurvey:
    """One instrument a member is due at one phase."""

    phase: SurveyPhase
    instrument: str
    due_at: datetime


def _at(calendar: SurveyCalendar, day: date) -> datetime:
    """The cohort's prompt time on a day in its zone, in UTC (the zone's own offset that day)."""
    local = datetime.combine(day, calendar.local_time, tzinfo=ZoneInfo(calendar.timezone))
    return local.astimezone(UTC)


def phase_day(calendar: SurveyCalendar, phase: SurveyPhase) -> datetime | None:
    """The cohort's own instant for a phase; None when its dates leave the phase out."""
    start, end = calendar.starts_on, calendar.ends_on
    if phase is SurveyPhase.BASELINE:
        return None if start is None else _at(calendar, start)
    if start is None or end is None or end <= start:
        return None
    middle = start + timedelta(days=(end - start).days // 2)
    if phase is SurveyPhase.MIDPOINT:
        return _at(calendar, middle)
    return _at(calendar, max(end - END_BEFORE, middle + timedelta(days=1)))


def due_at(calendar: SurveyCalendar, phase: SurveyPhase, joined_at: datetime) -> datetime | None:
    """When a member is due a phase: None when it does not apply to them (they joined after it)."""
    instant = phase_day(calendar, phase)
    if phase is SurveyPhase.BASELINE:
        last = phase_day(calendar, SurveyPhase.END)
        if last is not None and joined_at >= last:
            return None  # too late for a "before": the end survey would be their first
        return joined_at if instant is None else max(instant, joined_at)
    return instant if instant is not None and instant >= joined_at else None


def due_surveys(
    plan: Mapping[str, Sequence[str]], calendar: SurveyCalendar, joined_at: datetime, until: datetime
) -> list[DueSurvey]:
    """Every instrument of the plan a member is due by `until` whose request would still be open then."""
    found = []
    for phase in SurveyPhase:
        instant = due_at(calendar, phase, joined_at)
        if instant is None or instant > until or is_closed(instant, until):
            continue
        found += [DueSurvey(phase, name, instant) for name in dict.fromkeys(plan.get(phase.value) or ())]
    return found


def next_due(plan: Mapping[str, Sequence[str]], calendar: SurveyCalendar, after: datetime) -> datetime | None:
    """The cohort's next phase instant after `after` with something planned (late joiners replan at join)."""
    upcoming = [
        instant
        for phase in SurveyPhase
        if plan.get(phase.value) and (instant := phase_day(calendar, phase)) is not None and instant > after
    ]
    return min(upcoming, default=None)


@dataclass(frozen=True)
class RequestState:
    """Where a request stands as one of its messages is about to go."""

    due_at: datetime
    invited_at: datetime | None  # when its invitation reached Slack; None: not yet
    answered_at: datetime | None
    status: MemberStatus
    paused_until: datetime | None
    archived_at: datetime | None  # its cohort's: an archived cohort gets nothing


def closes_at(due: datetime, invited_at: datetime | None = None) -> datetime:
    """When a request stops taking answers: OPEN_FOR after its invitation reached the member (held back
    while they were away or out of hours, it still gets its full time), or after it was due until then."""
    return max(due, _minute_of(invited_at) or due) + OPEN_FOR


def _minute_of(invited_at: datetime | None) -> datetime | None:
    """The minute the invitation went. A pass records it the moments after its own instant that sending
    took, and the pass a day or fourteen later claims moments after its own: counted from the minute, a day
    after is a day after, however long either pass took."""
    return invited_at.replace(second=0, microsecond=0) if invited_at is not None else None


def is_closed(due: datetime, now: datetime, invited_at: datetime | None = None) -> bool:
    return now >= closes_at(due, invited_at)


def message_dropped(state: RequestState | None, now: datetime) -> bool:
    """Whether a survey message has nothing left to ask: its request is gone (erased), answered or closed, or
    its cohort archived."""
    if state is None or state.answered_at is not None or state.archived_at is not None:
        return True
    return is_closed(state.due_at, now, state.invited_at)


def message_held_until(state: RequestState, now: datetime, *, reminder: bool) -> datetime | None:
    """When a survey message that still asks something may go, if not now: once its member takes part
    again (the end of their pause, else looked at again a day on), and a reminder a while after its
    invitation reached them. A request re-timed to a later day since its messages were written (its
    cohort's dates moved) holds them until that day."""
    if state.invited_at is None and now < state.due_at:
        return state.due_at
    if not taking_part(state.status, state.paused_until, now):
        ends = state.paused_until if state.status is MemberStatus.PAUSED else None
        return ends if ends is not None and ends > now else now + LOOK_AGAIN
    return reminder_too_early(state.invited_at, now) if reminder else None


def reminder_at(due: datetime) -> datetime:
    """When the one reminder goes, if the request is still unanswered and open then."""
    return due + REMIND_AFTER


def reminder_too_early(invited_at: datetime | None, now: datetime) -> datetime | None:
    """When a reminder may go, if not now: REMIND_AFTER after its invitation reached the person (from now,
    when it has not yet: an invitation held back while they were away goes with its reminder otherwise)."""
    reached = _minute_of(invited_at)
    after = (reached or now) + REMIND_AFTER
    return None if reached is not None and now >= after else after


def reminder_wanted(due: datetime, answered_at: datetime | None, member_active: bool, now: datetime) -> bool:
    """Whether the reminder should go now: unanswered, still open, and the member still taking part."""
    return answered_at is None and member_active and now >= reminder_at(due) and not is_closed(due, now)
