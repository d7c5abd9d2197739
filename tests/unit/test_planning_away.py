"""Planning with away blocks, blackout dates and the one catch-up after a return."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

from circles.domain.blackouts import Blackout, parse_blackouts
from circles.domain.catch_up import catch_ups
from circles.domain.plan_due import next_plan_at
from circles.domain.planning import plan_cohort
from circles.domain.schedule import Cadence, Timing, Window
from tests.unit.test_planning import UNTIL_MARCH, by_template, circle, cohort, pair, person, weeks


def utc(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


AWAY_FEBRUARY = ((utc(2, 10), utc(2, 25, 9)),)  # two weeks, back on a Wednesday morning


def test_a_pair_is_on_hold_while_a_partner_is_inside_an_away_block() -> None:
    away = pair(person(1), person(2, away=AWAY_FEBRUARY))
    planned = plan_cohort(cohort(pairs=[away]), UNTIL_MARCH)
    assert {p.template for p in planned} == {"checkin", "pair_prompt", "coach_idea"}
    assert {p.key[-10:] for p in planned} == {"2026-03-02"}  # 16 February fell inside the block


def test_a_circle_carries_on_while_anyone_in_it_is_present() -> None:
    one_away = circle(person(1, away=AWAY_FEBRUARY), person(2))
    assert len(by_template(plan_cohort(cohort([one_away]), weeks(1, 5)), "circle_prompt")) == 5
    all_away = circle(person(1, away=AWAY_FEBRUARY))
    days = [p.key[-10:] for p in plan_cohort(cohort([all_away]), weeks(1, 5))]
    assert days == ["2026-02-02", "2026-02-09", "2026-03-02"]


def test_nothing_falls_on_blackout_dates_and_the_track_keeps_its_place() -> None:
    exams = (Blackout(date(2026, 2, 9), date(2026, 2, 15)),)
    planned = plan_cohort(replace(cohort([circle(person(1))]), blackouts=exams), weeks(1, 5))
    shown = [(p.key[-10:], p.args["prompt_id"], p.args["week"]) for p in planned]
    assert shown == [
        ("2026-02-02", "circle-1", 1),
        (
            "2026-02-16",
            "circle-2",
            3,
        ),  # the prompt of the blacked-out week comes next; the week is the calendar's
        ("2026-02-23", "circle-3", 4),
        ("2026-03-02", "circle-1", 5),
    ]


def test_blackouts_hold_check_ins_and_ideas_and_the_cadence_resumes_across_a_daylight_saving_change() -> None:
    # New York moves to daylight time on 8 March 2026; London only on 29 March.
    weekly = Cadence(0, time(9, 0), "America/New_York", 1, date(2026, 2, 23), None, anchor=date(2026, 2, 23))
    exams = parse_blackouts([{"from": "2026-03-02", "until": "2026-03-15"}, {"from": "bad"}])
    base = cohort(pairs=[pair(person(1, "America/New_York"), person(2, "Europe/London"))])
    planned = plan_cohort(
        replace(base, cadence=weekly, blackouts=exams), Window(utc(2, 1), utc(2, 1), utc(3, 24))
    )
    checkins = sorted((p.channel, p.due_at) for p in by_template(planned, "checkin"))
    assert checkins == [
        ("U1", utc(3, 16, 13)),
        ("U1", utc(3, 23, 13)),
        ("U2", utc(3, 16, 9)),
        ("U2", utc(3, 23, 9)),
    ]
    ideas = [p.args["prompt_id"] for p in sorted(by_template(planned, "coach_idea"), key=lambda p: p.due_at)]
    assert ideas == ["coach-1", "coach-2"]  # the first idea after the blackout is the first of the track
    assert parse_blackouts("nonsense") == ()


def test_a_return_brings_one_check_in_and_the_latest_circle_prompt_however_much_was_missed() -> None:
    away = person(2, away=((utc(2, 3), utc(2, 25, 9)),))
    world = cohort([circle(person(1), away)], [pair(person(1), away)])
    window = Window(utc(2, 25), utc(2, 25), utc(2, 25, 10))
    planned = catch_ups(world, window)
    assert [(p.template, p.key, p.channel, p.due_at, p.timing) for p in planned] == [
        ("checkin", "checkin:20:2:back:2026-02-16", "U2", utc(2, 25, 9), Timing.DUE),
        ("circle_prompt_catch_up", "circle_prompt_catch_up:10:2:2026-02-23", "U2", utc(2, 25, 9), Timing.DUE),
    ]
    assert planned[0].checkin == (20, 2)
    assert planned[1].args["prompt_id"] == "circle-1"  # the prompt of week 4, the latest missed
    # Planned again over a wider window (another replica, a later pass): the same keys, nothing more.
    again = catch_ups(world, Window(utc(2, 20), utc(2, 24), utc(2, 26)))
    assert [p.key for p in again] == [p.key for p in planned]
    assert catch_ups(world, Window(utc(2, 26), utc(2, 26), utc(3, 10))) == []


def test_no_catch_up_when_nothing_was_missed_or_the_regular_check_in_is_about_to_come() -> None:
    short = person(2, away=((utc(2, 17), utc(2, 20)),))  # no check-in fell inside
    assert catch_ups(cohort(pairs=[pair(person(1), short)]), Window(utc(2, 1), utc(2, 1), utc(3, 1))) == []
    back_sunday = person(2, away=((utc(2, 10), utc(3, 1, 12)),))  # the check-in of 2 March is the catch-up
    planned = catch_ups(cohort(pairs=[pair(person(1), back_sunday)]), Window(utc(2, 1), utc(2, 1), utc(3, 2)))
    assert planned == []


def test_planning_wakes_for_a_return_before_the_next_occurrence() -> None:
    world = cohort(pairs=[pair(person(1), person(2, away=AWAY_FEBRUARY))])
    assert next_plan_at(world, utc(2, 24)) == utc(2, 25, 9)
    assert next_plan_at(world, utc(2, 25, 9)) == utc(3, 2, 9)


def test_touching_blocks_are_one_absence_with_one_return() -> None:
    rotation_then_leave = ((utc(2, 3), utc(2, 17)), (utc(2, 17), utc(2, 25, 9)))
    world = cohort(pairs=[pair(person(1), person(2, away=rotation_then_leave))])
    planned = catch_ups(world, Window(utc(2, 1), utc(2, 1), utc(3, 1)))
    assert [(p.key, p.due_at) for p in planned] == [("checkin:20:2:back:2026-02-16", utc(2, 25, 9))]
