"""A return that falls on a blackout date: the catch-up waits for the first day after it, never lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from circles.domain.blackouts import Blackout
from circles.domain.catch_up import catch_ups
from circles.domain.plan_due import next_plan_at
from circles.domain.planning import CohortIn
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
