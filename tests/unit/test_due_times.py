"""When planning and digests are next worth a look: never later than the next message, never much sooner."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from circles.domain.digests import WORKING_WEEK, digest_day, next_digest_window
from circles.domain.nudges import PairActivity, next_nudge_at
from circles.domain.plan_due import next_plan_at, recheck_at
from circles.domain.planning import CohortIn, PairIn, Person, plan_cohort
from circles.domain.schedule import Cadence, Timing, Window, next_occurrence
from circles.domain.vocabulary import MemberStatus

NEW_YORK = Cadence(
    weekday=0,
    local_time=time(9, 0),
    timezone="America/New_York",
    checkin_every_weeks=2,
    starts_on=date(2026, 3, 2),
    ends_on=date(2026, 6, 29),
    anchor=date(2026, 1, 5),
)


def utc(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def person(member_id: int, zone: str) -> Person:
    return Person(member_id, f"U{member_id}", MemberStatus.ACTIVE, None, zone)


def cohort(*zones: str) -> CohortIn:
    pairs = [
        PairIn(n, True, f"G{n}", utc(1, 5), person(2 * n, "America/New_York"), person(2 * n + 1, zone))
        for n, zone in enumerate(zones, start=1)
    ]
    return CohortIn(1, "PGY-1", NEW_YORK, (), (), (), (), pairs, cohort_id=1)


def test_the_next_occurrence_is_strictly_after_the_instant_given() -> None:
    monday = utc(3, 16, 13)  # 9:00 in New York, on daylight time
    assert next_occurrence(NEW_YORK, monday - timedelta(seconds=1), timezone="America/New_York") == monday
    assert next_occurrence(NEW_YORK, monday, timezone="America/New_York") == utc(3, 23, 13)
    assert next_occurrence(NEW_YORK, monday, timezone="Asia/Tokyo", every_weeks=2, skip=1) == utc(3, 30, 0)
    assert next_occurrence(NEW_YORK, utc(6, 29, 14), timezone="America/New_York") is None  # ended


def test_a_cohort_is_next_due_at_the_earliest_message_of_any_partners_time_zone() -> None:
    # Check-ins fall every other Monday from 16 March; 9:00 in Tokyo comes 13 hours before New York's.
    after = utc(3, 16, 14)
    assert next_plan_at(cohort("America/New_York"), after) == utc(3, 23, 13)  # the weekly prompt
    assert next_plan_at(cohort("America/New_York", "Asia/Tokyo"), utc(3, 23, 14)) == utc(3, 30, 0)


def test_planning_at_the_due_instant_finds_the_message_that_made_it_due() -> None:
    tokyo = cohort("Asia/Tokyo")
    due = next_plan_at(tokyo, utc(3, 23, 14))
    assert due is not None
    window = Window.around(
        due - timedelta(hours=1),
        grace=timedelta(hours=6),
        horizon=timedelta(hours=1),
        look_back=timedelta(weeks=2),
    ).beyond(utc(3, 23, 14))
    found = [p for p in plan_cohort(tokyo, window) if p.due_at == due]
    assert [(p.template, p.channel, p.timing) for p in found] == [("checkin", "U3", Timing.DUE)]


def test_a_window_already_written_is_not_planned_again() -> None:
    window = Window.around(
        utc(3, 16, 12), grace=timedelta(hours=6), horizon=timedelta(hours=1), look_back=timedelta(weeks=2)
    )
    beyond = window.beyond(utc(3, 16, 11))
    assert beyond.timing(utc(3, 16, 11)) is None  # written by the last pass
    assert beyond.timing(utc(3, 16, 13)) is Timing.DUE
    assert window.beyond(None) == window


def test_every_cohort_is_looked_at_again_within_a_day_at_spread_out_moments() -> None:
    until = utc(3, 16, 12)
    later = [recheck_at(cohort_id, until) for cohort_id in range(1, 50)]
    assert all(until + timedelta(hours=12) <= at < until + timedelta(hours=24) for at in later)
    assert len(set(later)) == 49


def test_the_next_digest_window_opens_on_the_next_working_morning_after_the_instant() -> None:
    chicago = "America/Chicago"  # 9:00 there is 15:00 UTC in late November
    friday_morning = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
    opens = next_digest_window(chicago, [time(9)], WORKING_WEEK, friday_morning)
    assert opens == datetime(2026, 11, 30, 15, tzinfo=UTC)  # Monday
    assert digest_day(chicago, [time(9)], WORKING_WEEK, opens) == date(2026, 11, 30)
    before = next_digest_window(
        chicago, [time(9), time(7)], WORKING_WEEK, friday_morning - timedelta(hours=3)
    )
    assert before == datetime(2026, 11, 27, 13, tzinfo=UTC)  # the earliest cohort's 7:00, that same Friday


def test_the_next_nudge_is_when_a_pair_reaches_the_days_without_meeting_or_a_check_in_goes_unanswered() -> (
    None
):
    now = utc(3, 16, 14)
    quiet = PairActivity("U1", started_at=utc(3, 1), last_met_at=utc(3, 10, 12), unanswered_checkins=0)
    waiting = PairActivity("U2", utc(3, 1), now, 0, next_unanswered_at=utc(3, 17, 13))
    assert next_nudge_at([quiet], now, days_without_meeting=7) == utc(3, 17, 12)
    assert next_nudge_at([quiet, waiting], now, days_without_meeting=14) == utc(3, 17, 13)
    assert next_nudge_at([], now, days_without_meeting=14) is None
