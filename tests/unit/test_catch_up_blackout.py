"""A return that falls on a blackout date: the catch-up waits for the first day after it, never lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from circles.domain.blackouts import Blackout
from circles.domain.catch_up import catch_ups
from circles.domain.plan_due import LATEST_RECHECK, blocks_read, circle_blocks_read, next_plan_at
from circles.domain.planning import CircleIn, CohortIn, Person
from circles.domain.schedule import Cadence, Timing, Window
from tests.unit.test_planning import START, circle, cohort, pair, person
from tests.unit.test_planning_away import utc

AWAY = ((utc(2, 3), utc(2, 25, 9)),)  # back on Wednesday 25 February, 9:00
EXAMS = (Blackout(date(2026, 2, 24), date(2026, 2, 26)),)  # Tuesday to Thursday


def world(blackouts: tuple[Blackout, ...] = EXAMS, ends_on: date | None = None) -> CohortIn:
    away = person(2, away=AWAY)
    base = cohort([circle(person(1), away)], [pair(person(1), away)])
    return replace(base, blackouts=blackouts, cadence=replace(base.cadence, ends_on=ends_on))


def test_a_return_on_a_blackout_date_gets_its_catch_up_on_the_first_day_after_the_blackout() -> None:
    assert catch_ups(world(), Window(utc(2, 24), utc(2, 25), utc(2, 26))) == []  # nothing on a blackout date
    planned = catch_ups(world(), Window(utc(2, 27), utc(2, 27), utc(2, 27, 10)))
    assert [(p.template, p.key, p.channel, p.due_at, p.timing) for p in planned] == [
        ("checkin", "checkin:20:2:back:2026-02-16", "U2", utc(2, 27, 9), Timing.DUE),
        ("circle_prompt_catch_up", "circle_prompt_catch_up:10:2:2026-02-23", "U2", utc(2, 27, 9), Timing.DUE),
    ]
    assert planned[1].args["prompt_id"] == "circle-1"  # the latest prompt missed, as on any return
    # Planned again over the return and the day after (another pass, a wider window): the same keys.
    again = catch_ups(world(), Window(utc(2, 20), utc(2, 25), utc(2, 28)))
    assert [p.key for p in again] == [p.key for p in planned]


def test_planning_wakes_on_the_first_day_after_the_blackout_for_a_return_inside_it() -> None:
    assert next_plan_at(world(), utc(2, 24)) == utc(2, 27, 9)


def test_the_catch_up_after_a_blackout_is_at_the_prompt_time_in_the_partners_own_time_zone() -> None:
    weekly = Cadence(0, time(9, 0), "America/New_York", 2, START, None, anchor=START)
    away = person(2, "Asia/Tokyo", away=((utc(2, 3), utc(2, 25, 1)),))  # 10:00 on the 25th in Tokyo
    base = replace(cohort(pairs=[pair(person(1), away)]), cadence=weekly, blackouts=EXAMS)
    planned = catch_ups(base, Window(utc(2, 20), utc(2, 20), utc(3, 1)))
    # 9:00 on the 27th in Tokyo.
    assert [(p.template, p.due_at) for p in planned] == [("checkin", utc(2, 27, 0))]


def test_no_check_in_catch_up_when_the_regular_one_comes_just_after_the_blackout() -> None:
    # The next day is Sunday 1 March; the regular check-in comes on Monday.
    to_saturday = (Blackout(date(2026, 2, 24), date(2026, 2, 28)),)
    planned = catch_ups(world(to_saturday), Window(utc(2, 20), utc(2, 20), utc(3, 2)))
    assert [(p.template, p.due_at) for p in planned] == [("circle_prompt_catch_up", utc(3, 1, 9))]


def test_no_catch_up_when_the_blackout_lasts_past_the_cohorts_end() -> None:
    past_the_end = (Blackout(date(2026, 2, 24), date(2026, 3, 6)),)
    ended = world(past_the_end, ends_on=date(2026, 3, 3))
    assert catch_ups(ended, Window(utc(2, 20), utc(2, 20), utc(3, 10))) == []


def only_read(cohort: CohortIn, window: Window) -> CohortIn:
    """The cohort as planning loads it for the window: each person with the away blocks it reads."""
    since, until = blocks_read(cohort.blackouts, cohort.cadence.checkin_every_weeks, window)

    def read(p: Person, since: datetime = since) -> Person:
        return replace(p, away=tuple((s, b) for s, b in p.away if b >= since and s < until))

    def read_circles(since: datetime) -> list[CircleIn]:
        return [replace(c, people=tuple(read(p, since) for p in c.people)) for c in cohort.circles]

    pairs = [replace(pr, first=read(pr.first), second=read(pr.second)) for pr in cohort.pairs]
    circles = read_circles(circle_blocks_read(read_circles(since), since, window))
    return replace(cohort, pairs=pairs, circles=circles)


def test_planning_with_only_the_blocks_it_reads_plans_what_it_would_with_every_block() -> None:
    # Months of history: days off in February, weekly rotations touching one another from March to the
    # return on 13 April, which a long blackout holds back, and time away booked for June and the summer.
    days_off = tuple((utc(2, d, 8), utc(2, d, 20)) for d in range(3, 28, 2))
    rotations = tuple((utc(3, 2) + timedelta(weeks=n), utc(3, 9) + timedelta(weeks=n)) for n in range(6))
    later = ((utc(6, 16, 8), utc(6, 16, 14)), (utc(7, 1), utc(7, 20)))
    coming_back = person(2, away=(*days_off, *rotations, *later))
    base = cohort([circle(person(1), coming_back)], [pair(person(1), coming_back)])
    base = replace(base, cadence=replace(base.cadence, checkin_every_weeks=4))
    for blackouts in (
        (),
        (Blackout(date(2026, 4, 10), date(2026, 5, 1)), Blackout(date(2026, 5, 2), date(2026, 6, 10))),
    ):
        whole = replace(base, blackouts=blackouts)
        for hours in range(0, 24 * 110, 7):
            now = utc(3, 1) + timedelta(hours=hours)
            window = Window(now - timedelta(weeks=2), now - timedelta(hours=6), now + timedelta(hours=1))
            read = only_read(whole, window)
            assert catch_ups(read, window) == catch_ups(whole, window)
            latest = window.until + LATEST_RECHECK
            assert min(next_plan_at(read, window.until) or latest, latest) == min(
                next_plan_at(whole, window.until) or latest, latest
            )


def test_a_return_to_a_circle_away_together_names_the_last_prompt_the_circle_was_sent() -> None:
    # Two on rotations: one away from 3 February to Wednesday 1 April; the other away from 10 February,
    # back for a weekend on 24 February, away again until April. The circle was last prompted on 9 February.
    rotations = ((utc(2, 10), utc(2, 24)), (utc(3, 1), utc(4, 10)))
    whole = cohort([circle(person(2, away=((utc(2, 3), utc(4, 1, 9)),)), person(3, away=rotations))])
    window = Window(utc(3, 18), utc(4, 1), utc(4, 1, 10))
    assert [p.key for p in catch_ups(whole, window)] == ["circle_prompt_catch_up:10:2:2026-02-09"]
    assert catch_ups(only_read(whole, window), window) == catch_ups(whole, window)
