"""What a partnership's check-ins say, read as of one instant: ratings, silences, meetings, requests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from circles.domain.health.away import Spans, away_between, overlaps
from circles.domain.health.intervals import Intervals
from circles.domain.health.unasked import awaiting_until, unasked_time
from circles.domain.vocabulary import PartnershipKind

DAY = timedelta(days=1)
NO_TIME = timedelta(0)
# Partners are due one check-in at their own hour, time zones up to 26 hours apart: questions due within
# this long of the first are one check-in, however late each went (held for a night shift, Do Not
# Disturb); the next one is due a week or more later (a catch-up on a return at least two days before).
ONE_CHECKIN = timedelta(days=2)


# One partner's check-in as a plain tuple:
# (member_id, due_at, answered_at, rating, met, wants_support, asked_at).
# Recomputing reads half a million of them, so the service builds bare tuples; Answer names the fields.
AnswerRow = tuple[int, datetime, datetime | None, int | None, bool | None, bool, datetime | None]


class Answer(NamedTuple):
    """One partner's check-in: when it was due and asked and, once they answered, what they said."""

    member_id: int
    due_at: datetime  # the check-in it belongs to: the cohort's day, at the partner's hour
    answered_at: datetime | None
    rating: int | None
    met: bool | None
    wants_support: bool
    asked_at: datetime | None = None  # when its question went, if held for its person; None: when due


@dataclass(frozen=True)
class Pair:
    """The partnership itself; for coach and mentor pairs the first member is the coach or mentor."""

    id: int
    kind: PartnershipKind
    first_member_id: int
    second_member_id: int
    started_at: datetime
    first_away: Spans = ()  # each partner's away blocks (from, back at), earliest first
    second_away: Spans = ()
    # The cohort's check-in interval: of a gap between two check-ins asked, what is longer is no day
    # without meeting, nor is the time before a check-in can be asked (see circles.domain.health.unasked);
    # None leaves nothing out. Its earlier intervals judge the gaps they were in force in.
    checkin_every: timedelta | None = None
    earlier_every: Intervals = ()
    cohort_starts_at: datetime | None = None  # the cohort's first week: no check-in is asked before it

    @property
    def away(self) -> Spans:
        """Both partners' away blocks: time the pair is on hold."""
        return self.first_away + self.second_away


class PartnerSignals(NamedTuple):
    """One partner's side of the partnership."""

    latest_rating: int | None = None
    previous_rating: int | None = None
    missed_in_a_row: int = 0  # unanswered check-ins since their last answer, once the answer window closed
    asked_support: bool = False  # on their latest answered check-in
    # Their rating at the first check-in where a meeting was reported, while it is still their latest.
    first_meeting_rating: int | None = None

    @property
    def drop(self) -> int:
        """How far their rating fell since the check-in before (0 when it did not fall)."""
        if self.latest_rating is None or self.previous_rating is None:
            return 0
        return max(0, self.previous_rating - self.latest_rating)


class Signals(NamedTuple):
    first: PartnerSignals
    second: PartnerSignals
    met_ever: bool
    days_without_meeting: int  # since a meeting was last reported, or since the pair started
    checkins_due: int  # check-in occurrences due so far
    # The whole days since then, time left out included (None: as counted), and what was left out.
    days_since: int | None = None
    left_out_away: bool = False  # time either partner was away or paused
    left_out_unasked: bool = False  # of a gap between check-ins, what is longer than the interval
    # No check-in asked since the last meeting reported (or the pairing) was answered or missed yet: they
    # could not say they met, so no meeting reported is no concern (circles.domain.health.unasked).
    awaiting_checkin: bool = False

    @property
    def partners(self) -> tuple[PartnerSignals, PartnerSignals]:
        return self.first, self.second

    @property
    def lower_rating(self) -> int | None:
        """The lower of the two partners' latest ratings (None until one of them has rated)."""
        ratings = [r for r in (self.first.latest_rating, self.second.latest_rating) if r is not None]
        return min(ratings) if ratings else None

    def to_json(self) -> dict[str, Any]:
        """A compact record for the history table: never notes, only numbers and flags."""
        first, second = self.first, self.second
        return {
            "ratings": [first.latest_rating, second.latest_rating],
            "lower_rating": self.lower_rating,
            "previous_ratings": [first.previous_rating, second.previous_rating],
            "missed_in_a_row": [first.missed_in_a_row, second.missed_in_a_row],
            "asked_support": [first.asked_support, second.asked_support],
            "first_meeting_ratings": [first.first_meeting_rating, second.first_meeting_rating],
            "met_ever": self.met_ever,
            "days_without_meeting": self.days_without_meeting,
            "checkins_due": self.checkins_due,
        }


class _Side:
    """A partner's running totals while the check-ins are read in order."""

    __slots__ = ("latest", "latest_due", "missed", "previous", "support")

    def __init__(self) -> None:
        self.latest: int | None = None
        self.previous: int | None = None
        self.latest_due: datetime | None = None
        self.missed = 0
        self.support = False

    def signals(self, first_meeting_due: datetime | None) -> PartnerSignals:
        early = (
            self.latest if first_meeting_due is not None and self.latest_due == first_meeting_due else None
        )
        return PartnerSignals(self.latest, self.previous, self.missed, bool(self.support), early)


def read_signals(
    pair: Pair, answers: Sequence[AnswerRow], as_of: datetime, answer_within: timedelta
) -> Signals:
    """Read the signals as they stood at `as_of`; `answers` are ordered by due_at.

    Only what had happened by `as_of` counts: check-ins asked by then and answers given by then. Each
    belongs to the check-in it was due for, however late its question went. An unanswered check-in
    counts as missed once `answer_within` has passed since it was asked (one held for its person's hours
    or absence counts from when it goes), unless either partner was away during that time (the pair on
    hold); days without meeting leave out the time either was away and, of each gap between two
    check-ins, what is longer than the cohort's interval (nobody could report a meeting), and the pair
    awaits a check-in until one asked since the last meeting reported is answered or missed.
    """
    closed_before = as_of - answer_within
    first, second = _Side(), _Side()
    held = pair.away  # either partner away puts the pair on hold: neither's question is missed then
    first_id, second_id = pair.first_member_id, pair.second_member_id
    first_meeting_due: datetime | None = None
    last_meeting_at: datetime | None = None
    reported: datetime | None = None  # the check-in that reported it
    settled: datetime | None = None  # the latest check-in answered or missed
    occurrence: datetime | None = None  # when the check-in this row belongs to was first due
    last_due: datetime | None = None
    starts: list[datetime] = []
    # This loop reads every check-in of a cohort on each recompute: plain tuple unpacking keeps it quick.
    for member, due, answered_at, rating, met, wants_support, asked_at in answers:
        asked = due if asked_at is None else asked_at
        if asked > as_of:
            continue  # its question had not gone yet (held, or due later)
        if due != last_due:
            last_due = due
            if occurrence is None or due - occurrence >= ONE_CHECKIN:
                occurrence = due
                starts.append(due)
        side = first if member == first_id else second if member == second_id else None
        if side is None:
            continue
        if answered_at is not None and answered_at <= as_of:
            side.missed, side.support, settled = 0, wants_support, occurrence
            if rating is not None:
                side.previous, side.latest, side.latest_due = side.latest, rating, occurrence
            if met:
                if first_meeting_due is None:
                    first_meeting_due = occurrence
                if last_meeting_at is None or answered_at > last_meeting_at:
                    last_meeting_at, reported = answered_at, occurrence
        elif asked <= closed_before and not (held and overlaps(held, asked, asked + answer_within)):
            side.missed, settled = side.missed + 1, occurrence
    since = last_meeting_at if last_meeting_at is not None else pair.started_at
    unasked = unasked_time(pair, starts, since)
    away = away_between(held, since, as_of) if held else NO_TIME
    left_out = away_between(held + unasked, since, as_of) if unasked else away
    elapsed = as_of - since
    days = (elapsed - left_out).days
    awaiting = awaiting_until(pair, starts, since, reported, settled, answer_within)
    return Signals(
        first.signals(first_meeting_due),
        second.signals(first_meeting_due),
        last_meeting_at is not None,
        days if days > 0 else 0,
        len(starts),
        elapsed.days if elapsed > NO_TIME else 0,
        away > NO_TIME,
        left_out > away,
        awaiting is not None and as_of < awaiting,
    )


def checkin_starts(answers: Iterable[AnswerRow], as_of: datetime) -> list[datetime]:
    """When each check-in asked by `as_of` was first due, oldest first: one check-in per run of due times
    within ONE_CHECKIN of its first, however late each question went (as `read_signals` counts them)."""
    starts: list[datetime] = []
    for due in sorted({row[1] for row in answers if (row[1] if row[6] is None else row[6]) <= as_of}):
        if not starts or due - starts[-1] >= ONE_CHECKIN:
            starts.append(due)
    return starts
