"""When a due message goes: in its person's window, a circle's when most can read, one catch-up only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from circles.domain.availability import Absence, AbsenceKind, QuietHours, Reach, WorkPattern, parse_shift
from circles.domain.delivery import (
    CAN_WAIT,
    CIRCLE_WAITS_AT_MOST,
    LOOK_AGAIN,
    Unsent,
    circle_hold,
    personal_hold,
    superseded,
)

MONDAY_9 = datetime(2027, 1, 11, 9, tzinfo=UTC)  # a Monday, 09:00 UTC
NIGHTS = QuietHours(nights=True)


def night_shift(zone: str = "UTC") -> Reach:
    return Reach(zone, NIGHTS, WorkPattern(parse_shift("Sun-Thu 19:00-07:00")))


def anytime(zone: str = "UTC") -> Reach:
    return Reach(zone, QuietHours())


def away_for_good() -> Reach:
    return Reach(
        "UTC", QuietHours(), absences=(Absence(MONDAY_9 - timedelta(days=1), None, AbsenceKind.AWAY),)
    )


def test_a_person_who_can_be_reached_now_gets_the_message_now() -> None:
    assert personal_hold(anytime(), MONDAY_9) is None


def test_a_night_shift_workers_check_in_waits_for_their_shift_to_start() -> None:
    assert personal_hold(night_shift(), MONDAY_9) == MONDAY_9.replace(hour=19)


def test_a_night_shift_in_new_york_opens_at_seven_pm_local_across_the_dst_change() -> None:
    before_dst = datetime(2027, 3, 14, 9, tzinfo=UTC)  # Sunday: clocks went forward at 02:00 local
    assert personal_hold(night_shift("America/New_York"), before_dst) == datetime(2027, 3, 14, 23, tzinfo=UTC)
    assert personal_hold(night_shift("America/New_York"), before_dst - timedelta(days=7)) == datetime(
        2027, 3, 8, 0, tzinfo=UTC
    )


def test_a_shift_running_past_midnight_is_a_window_until_quiet_hours_begin() -> None:
    late = MONDAY_9.replace(hour=21, minute=30)
    assert personal_hold(night_shift(), late) is None
    assert personal_hold(night_shift(), late + timedelta(hours=1)) == MONDAY_9.replace(day=12, hour=19)


def test_a_message_to_someone_away_with_no_end_is_looked_at_again_a_day_later() -> None:
    away = Reach(
        "UTC", QuietHours(), absences=(Absence(MONDAY_9 - timedelta(days=1), None, AbsenceKind.AWAY),)
    )
    assert personal_hold(away, MONDAY_9) == MONDAY_9 + LOOK_AGAIN


def test_do_not_disturb_holds_a_message_until_it_ends() -> None:
    until = MONDAY_9 + timedelta(minutes=45)
    dnd = Reach(
        "UTC", QuietHours(), absences=(Absence(MONDAY_9 - timedelta(hours=1), until, AbsenceKind.DND),)
    )
    assert personal_hold(dnd, MONDAY_9) == until


def test_a_circle_prompt_goes_when_more_than_half_of_its_members_can_be_reached() -> None:
    assert circle_hold([anytime(), anytime(), night_shift()], MONDAY_9, MONDAY_9) is None


def test_a_circle_prompt_waits_for_most_of_its_members_shifts() -> None:
    assert circle_hold([night_shift(), night_shift(), anytime()], MONDAY_9, MONDAY_9) == MONDAY_9.replace(
        hour=19
    )


def test_a_circle_prompt_never_waits_more_than_two_days_past_its_first_due_time() -> None:
    away = Reach(
        "UTC", QuietHours(), absences=(Absence(MONDAY_9 - timedelta(days=1), None, AbsenceKind.AWAY),)
    )
    first_due = MONDAY_9 - timedelta(days=1)
    assert circle_hold([away, away, anytime()], MONDAY_9, first_due) == first_due + CIRCLE_WAITS_AT_MOST
    assert circle_hold([away, away, anytime()], first_due + CIRCLE_WAITS_AT_MOST, first_due) is None


def checkin(message_id: int, days_ago: int, partnership: int = 7, user: str = "U1") -> Unsent:
    key = f"checkin:{partnership}:3:{days_ago}"
    return Unsent(message_id, 1, user, key, "checkin", MONDAY_9 - timedelta(days=days_ago))


def test_a_released_check_in_supersedes_only_older_ones_of_the_same_pair_and_person() -> None:
    latest, older, oldest = checkin(1, 0), checkin(2, 7), checkin(3, 14)
    other_pair, other_person = checkin(4, 7, partnership=8), checkin(5, 7, user="U2")
    newer = checkin(6, -7)

    unsent = [latest, older, oldest, other_pair, other_person, newer]
    assert superseded([latest], unsent, held_back={1}) == {2, 3}


def test_two_released_rows_of_one_kind_keep_only_the_newest() -> None:
    latest, older = checkin(1, 0), checkin(2, 7)
    assert superseded([older, latest], [older, latest], held_back={2}) == {2}


def test_a_message_never_held_back_replaces_nothing() -> None:
    latest, older = checkin(1, 0), checkin(2, 7)
    assert superseded([older, latest], [older, latest], held_back=set()) == set()


def test_digests_of_one_person_supersede_each_other_whatever_their_day() -> None:
    def digest(message_id: int, day: int) -> Unsent:
        return Unsent(message_id, 1, "U1", f"digest:U1:{day}", "coach_digest", MONDAY_9 + timedelta(days=day))

    assert superseded([digest(1, 0)], [digest(1, 0), digest(2, -1), digest(3, -2)], held_back={1}) == {2, 3}


def test_a_held_back_digest_going_with_a_newer_one_gives_way_to_it() -> None:
    def digest(message_id: int, day: int) -> Unsent:
        return Unsent(message_id, 1, "U1", f"digest:U1:{day}", "coach_digest", MONDAY_9 + timedelta(days=day))

    held, today = digest(1, -1), digest(2, 0)
    assert superseded([held, today], [held, today], held_back={1}) == {1}


def test_notices_about_two_partners_away_are_both_held_and_neither_replaces_the_other() -> None:
    def notice(message_id: int, partner: str, day: int) -> Unsent:
        key = f"partner_away:{partner}:{day}"
        return Unsent(message_id, 1, "U1", key, "partner_away", MONDAY_9 + timedelta(days=day))

    first, second = notice(1, "U7", -1), notice(2, "U8", 0)
    assert personal_hold(night_shift(), MONDAY_9) is not None  # a notice waits for the window like the rest
    assert superseded([first, second], [first, second], held_back={1, 2}) == set()


@pytest.mark.parametrize(
    ("frozen", "opens"),
    [
        # The Saturday night before New York's spring change: the Sunday shift opens at 19:00 EDT.
        ("2027-03-14 03:30:00", datetime(2027, 3, 14, 23, tzinfo=UTC)),
        # Monday 06:59 in New York after it: Sunday's shift is still running past midnight.
        ("2027-03-15 10:59:00", None),
        # Monday 07:00: the shift is over and the next starts at 19:00.
        ("2027-03-15 11:00:00", datetime(2027, 3, 15, 23, tzinfo=UTC)),
    ],
)
def test_the_clock_read_at_the_edge_decides_the_hold_across_dst_and_midnight(
    frozen: str, opens: datetime | None
) -> None:
    with freeze_time(frozen):
        now = datetime.now(UTC)
        assert personal_hold(Reach("America/New_York", QuietHours(), night_shift().pattern), now) == opens


def test_notices_about_two_rerouted_support_requests_are_both_held_and_neither_replaces_the_other() -> None:
    def notice(message_id: int, request: str, day: int) -> Unsent:
        key = f"rerouted:support:7:{request}"
        return Unsent(message_id, 1, "U1", key, "support_rerouted", MONDAY_9 + timedelta(days=day))

    first, second = notice(1, "1.1.a", -1), notice(2, "1.2.a", 0)
    assert "support_rerouted" in CAN_WAIT
    assert superseded([first, second], [first, second], held_back={1, 2}) == set()
