"""What a coach or mentor is reminded of in their daily digest: only things they can act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from circles.domain.health.away import Spans, away_between, away_until, present_time_reached
from circles.domain.health.unasked import concern_from


class NudgeKind(StrEnum):
    NO_MEETING = "no_meeting"
    CHECKIN_WAITING = "checkin_waiting"
    REQUEST_WAITING = "request_waiting"


@dataclass(frozen=True)
class PairActivity:
    """One of the guide's running partnerships, as far as the guide may know it."""

    partner_user_id: str
    started_at: datetime
    last_met_at: datetime | None  # the latest meeting either partner reported
    unanswered_checkins: int  # the guide's own check-ins past due and unanswered
    next_unanswered_at: datetime | None = None  # when the next of theirs counts as unanswered, if any
    # Gaps between check-ins asked longer than the interval the cohort had then, and the time before its
    # first week (circles.domain.health.unasked): nobody could report a meeting then, so they are no days
    # without meeting, as in health.
    unasked: Spans = ()
    # Either partner's time away (a rotation, leave, `/circles away`) or paused (`/circles pause`): the pair
    # is on hold then, as in health.
    away: Spans = ()
    # Until when the pair awaits a check-in (None: it does not): none asked since the last meeting reported
    # (or the pairing) has been answered or missed, so they could not say they met (as in health).
    awaiting_until: datetime | None = None

    def days_without_meeting(self, now: datetime) -> int:
        """Whole days since the latest meeting (or the start) while check-ins were being asked and neither
        partner was away."""
        since, held = self.last_met_at or self.started_at, self.unasked + self.away
        left_out = away_between(held, since, now) if held else timedelta(0)
        return max(0, (now - since - left_out).days)

    def awaits_checkin(self, now: datetime) -> bool:
        """Whether the pair awaits a check-in at `now`: no meeting reported is nothing to nudge about then."""
        return self.awaiting_until is not None and now < self.awaiting_until

    def on_hold_until(self, now: datetime) -> datetime | None:
        """When the pair, on hold now (either partner away or paused), runs again; None when it is not."""
        return away_until(self.away, now)

    def reaches(self, days: int) -> datetime:
        """When the days without meeting reach `days` and the pair awaits no check-in, with nothing else
        changing."""
        since = self.last_met_at or self.started_at
        reached = present_time_reached(self.unasked + self.away, since, timedelta(days=days))
        return concern_from(reached, self.awaiting_until)


@dataclass(frozen=True)
class Nudge:
    kind: NudgeKind
    partner_user_id: str | None = None
    count: int = 0  # days without a meeting, check-ins waiting or requests waiting


def nudges_for(
    pairs: list[PairActivity], open_requests: int, now: datetime, days_without_meeting: int
) -> list[Nudge]:
    """Each pair without a meeting for too long, each check-in left unanswered, requests awaiting an answer.

    Nothing here reveals a partner's answers: "no meeting" counts the meetings either partner reported,
    which both of them know about; ratings and notes never appear. A pair on hold now (a partner away or
    paused) is named for nothing: there is nobody to restart things with until they are back, and its
    check-ins wait as the planner's do (an unanswered one is not missed then, circles.domain.health.away).
    A pair awaiting a check-in is not named for no meeting: they could not have said they met.
    """
    found: list[Nudge] = []
    for pair in sorted(pairs, key=lambda p: p.partner_user_id):
        if pair.on_hold_until(now) is not None:
            continue
        days = pair.days_without_meeting(now)
        if days >= days_without_meeting and not pair.awaits_checkin(now):
            found.append(Nudge(NudgeKind.NO_MEETING, pair.partner_user_id, days))
        if pair.unanswered_checkins:
            found.append(Nudge(NudgeKind.CHECKIN_WAITING, pair.partner_user_id, pair.unanswered_checkins))
    if open_requests:
        found.append(Nudge(NudgeKind.REQUEST_WAITING, None, open_requests))
    return found


def next_nudge_at(pairs: list[PairActivity], now: datetime, days_without_meeting: int) -> datetime | None:
    """The first instant after `now` at which `nudges_for` finds something new with nothing else changing:
    a pair reaching the days without a meeting (or, past them, ceasing to await a check-in), a pair past
    them or with check-ins waiting coming off hold, or a check-in counting as unanswered."""
    found = [p.reaches(days_without_meeting) for p in pairs]
    found += [
        back
        for p in pairs
        if (back := p.on_hold_until(now)) is not None
        and (
            (p.days_without_meeting(now) >= days_without_meeting and not p.awaits_checkin(back))
            or p.unanswered_checkins
        )
    ]
    found += [p.next_unanswered_at for p in pairs if p.next_unanswered_at is not None]
    return min((at for at in found if at > now), default=None)
