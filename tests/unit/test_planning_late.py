"""Occurrences a change put in the past (pure): those of the cycle under way at the change, before it, are
late (sent at once) unless their cycle has a row already; older ones, and later ones, are still missed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from circles.domain.planning import Planned
from circles.domain.planning.cycles import Written, once_a_cycle
from circles.domain.schedule import Cadence, Timing, Window, occurrences

# Mondays at 9:00 in Auckland (Sunday 20:00 UTC in March) from Monday 2 March 2026.
AUCKLAND = Cadence(0, time(9), "Pacific/Auckland", 1, date(2026, 3, 2), None, anchor=date(2026, 1, 5))
CHANGED = datetime(2026, 3, 16, 4, tzinfo=UTC)  # Monday 17:00 in Auckland
NOW = CHANGED + timedelta(minutes=1)


def window(now: datetime = NOW) -> Window:
    return Window.around(
        now, grace=timedelta(hours=6), horizon=timedelta(hours=1), look_back=timedelta(weeks=2)
    )


def test_the_changes_week_is_late_and_sent_now_the_weeks_before_missed() -> None:
    found = occurrences(AUCKLAND, window().since_change(CHANGED, NOW))
    assert [(o.day, o.timing, o.due_at) for o in found] == [
        (date(2026, 3, 9), Timing.MISSED, datetime(2026, 3, 8, 20, tzinfo=UTC)),
        (date(2026, 3, 16), Timing.LATE, NOW),
    ]
    assert found[1].at == datetime(2026, 3, 15, 20, tzinfo=UTC)  # who is there is asked at its own instant


def test_without_a_change_after_it_or_long_after_it_what_went_by_is_missed() -> None:
    assert [o.timing for o in occurrences(AUCKLAND, window())] == [Timing.MISSED, Timing.MISSED]
    # Planned from scratch a week after the change: nothing ran since, Monday's are both missed.
    later = datetime(2026, 3, 23, 4, tzinfo=UTC)
    found = occurrences(AUCKLAND, window(later).since_change(CHANGED, later))
    assert [(o.day, o.timing) for o in found] == [
        (date(2026, 3, 16), Timing.MISSED),
        (date(2026, 3, 23), Timing.MISSED),
    ]
    # Within the grace window of the change, it is as if planned at it.
    soon = CHANGED + timedelta(hours=5)
    assert occurrences(AUCKLAND, window(soon).since_change(CHANGED, soon))[-1].timing is Timing.LATE


def test_check_ins_every_two_weeks_are_late_in_the_fortnight_under_way() -> None:
    fortnightly = replace(AUCKLAND, checkin_every_weeks=2)  # check-ins on 16 and 30 March
    changed = datetime(2026, 3, 20, 4, tzinfo=UTC)
    found = occurrences(fortnightly, window(changed).since_change(changed, changed), every_weeks=2, skip=1)
    assert [(o.day, o.timing) for o in found] == [(date(2026, 3, 16), Timing.LATE)]


def test_a_late_one_goes_only_when_its_cycle_has_no_row_at_all() -> None:
    late = [Planned(1, "circle_prompt:3:2026-03-16", "C0", "circle_prompt", {}, NOW, Timing.LATE)]
    assert once_a_cycle(late, [Written("circle_prompt:3:2026-03-09")], AUCKLAND) == late  # another week's
    assert once_a_cycle(late, [Written("circle_prompt:3:2026-03-16")], AUCKLAND) == late  # the same key
    assert once_a_cycle(late, [Written("circle_prompt:3:2026-03-17")], AUCKLAND) == []  # went on Tuesday
    assert once_a_cycle(late, [Written("circle_prompt:3:2026-03-17", missed=True)], AUCKLAND) == []
