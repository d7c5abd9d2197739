"""The pure planner: which message goes to whom, with which prompt, for one cohort in one window."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from circles.domain.planning import CircleIn, CohortIn, PairIn, Person, Planned, plan_cohort, zone_for
from circles.domain.schedule import Cadence, Timing, Window
from circles.domain.vocabulary import MemberStatus
from prompts.tracks import Prompt

START = date(2026, 2, 2)  # a Monday
BEFORE = datetime(2026, 1, 1, tzinfo=UTC)
RHYTHM = Cadence(0, time(9, 0), "UTC", 2, START, None, anchor=START)
UNTIL_MARCH = Window(BEFORE, BEFORE, datetime(2026, 3, 3, tzinfo=UTC))  # check-ins on 16 Feb and 2 March


def prompts(audience: str, count: int) -> tuple[Prompt, ...]:
    return tuple(Prompt(f"{audience}-{i}", f"Theme {i}", audience, f"Text {i}") for i in range(1, count + 1))


def person(member_id: int, zone: str = "UTC", **changes: object) -> Person:
    base = Person(member_id, f"U{member_id}", MemberStatus.ACTIVE, None, zone)
    return replace(base, **changes)  # type: ignore[arg-type]


def cohort(circles: list[CircleIn] | None = None, pairs: list[PairIn] | None = None) -> CohortIn:
    return CohortIn(
        workspace_id=1,
        name="Nights",
        cadence=RHYTHM,
        circle_prompts=prompts("circle", 3),
        pair_prompts=prompts("pair", 3),
        coach_prompts=prompts("coach", 2),
        circles=circles or [],
        pairs=pairs or [],
    )


def circle(*people: Person, created_at: datetime = BEFORE) -> CircleIn:
    return CircleIn(10, "C10", created_at, people)


def pair(first: Person, second: Person, pid: int = 20, **changes: object) -> PairIn:
    return replace(PairIn(pid, True, f"G{pid}", BEFORE, first, second), **changes)  # type: ignore[arg-type]


def weeks(first: int, last: int) -> Window:
    """From 9:00 of one week of the cohort to just after 9:00 of another, everything due."""
    start = datetime(2026, 2, 2, 9, tzinfo=UTC) + timedelta(weeks=first - 1)
    return Window(start, start, start + timedelta(weeks=last - first, minutes=1))


def by_template(planned: list[Planned], template: str) -> list[Planned]:
    return [p for p in planned if p.template == template]


def test_week_n_gets_the_nth_circle_prompt_and_the_track_starts_again_after_the_last() -> None:
    planned = plan_cohort(cohort([circle(person(1))]), weeks(1, 5))
    assert [p.args["prompt_id"] for p in planned] == [
        "circle-1",
        "circle-2",
        "circle-3",
        "circle-1",
        "circle-2",
    ]
    assert [p.args["week"] for p in planned] == [1, 2, 3, 4, 5]
    assert planned[0].key == "circle_prompt:10:2026-02-02"
    assert planned[0].channel == "C10"
    assert planned[0].args["cohort_name"] == "Nights"


def test_a_circle_formed_mid_way_gets_no_prompts_for_the_weeks_before_it() -> None:
    late = circle(person(1), created_at=datetime(2026, 2, 10, tzinfo=UTC))
    assert [p.args["week"] for p in plan_cohort(cohort([late]), weeks(1, 4))] == [3, 4]


def test_a_circle_whose_members_are_all_away_gets_nothing() -> None:
    away = circle(person(1, status=MemberStatus.PAUSED), person(2, status=MemberStatus.LEFT))
    assert plan_cohort(cohort([away]), weeks(1, 3)) == []


def test_check_ins_come_every_n_weeks_to_both_partners_in_their_own_time_zones() -> None:
    coach, learner = person(1, "America/Chicago"), person(2, "Asia/Singapore")
    planned = plan_cohort(cohort(pairs=[pair(coach, learner)]), UNTIL_MARCH)
    checkins = by_template(planned, "checkin")
    assert sorted({c.args["partner_user_id"] for c in checkins}) == ["U1", "U2"]
    assert sorted(c.key for c in checkins) == [
        "checkin:20:1:2026-02-16",
        "checkin:20:1:2026-03-02",
        "checkin:20:2:2026-02-16",
        "checkin:20:2:2026-03-02",
    ]
    due = {(c.channel, c.key[-10:]): c.due_at for c in checkins}
    assert due[("U1", "2026-02-16")] == datetime(2026, 2, 16, 15, tzinfo=UTC)
    assert due[("U2", "2026-02-16")] == datetime(2026, 2, 16, 1, tzinfo=UTC)
    assert all(c.checkin is not None for c in checkins)


def test_pair_prompts_follow_the_check_ins_after_the_one_the_kickoff_used() -> None:
    planned = plan_cohort(
        cohort(pairs=[pair(person(1), person(2))]), Window(BEFORE, BEFORE, datetime(2026, 3, 17, tzinfo=UTC))
    )
    pair_prompts = by_template(planned, "pair_prompt")
    assert [(p.args["prompt_id"], p.args["week"]) for p in pair_prompts] == [
        ("pair-2", 3),
        ("pair-3", 5),
        ("pair-1", 7),
    ]
    assert {p.channel for p in pair_prompts} == {"G20"}


def test_a_coach_with_several_partners_gets_one_session_idea_per_check_in_day() -> None:
    coach = person(1, "Europe/Paris")
    pairs = [
        pair(coach, person(2), 20),
        pair(coach, person(3), 21),
        pair(person(4), person(5), 22, guided=False),
    ]
    planned = plan_cohort(cohort(pairs=pairs), UNTIL_MARCH)
    ideas = by_template(planned, "coach_idea")
    assert [(i.channel, i.args["prompt_id"], i.key) for i in ideas] == [
        ("U1", "coach-1", "coach_idea:1:2026-02-16"),
        ("U1", "coach-2", "coach_idea:1:2026-03-02"),
    ]
    assert ideas[0].due_at == datetime(2026, 2, 16, 8, tzinfo=UTC)


def test_a_partnership_is_on_hold_while_either_partner_is_away() -> None:
    window = UNTIL_MARCH
    pause_ends = datetime(2026, 2, 20, tzinfo=UTC)
    paused_for_now = pair(person(1), person(2, status=MemberStatus.PAUSED, paused_until=pause_ends))
    planned = plan_cohort(cohort(pairs=[paused_for_now]), window)
    assert {p.key[-10:] for p in planned} == {"2026-03-02"}  # the pause ended by itself on 20 February
    gone = pair(person(1), person(2, status=MemberStatus.LEFT))
    assert plan_cohort(cohort(pairs=[gone]), window) == []
    not_yet = pair(person(1), person(2), started_at=datetime(2026, 2, 17, tzinfo=UTC))
    assert {p.key[-10:] for p in plan_cohort(cohort(pairs=[not_yet]), window)} == {"2026-03-02"}


def test_a_missed_check_in_is_recorded_without_a_check_in_row() -> None:
    window = Window(BEFORE, datetime(2026, 2, 20, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC))
    planned = by_template(plan_cohort(cohort(pairs=[pair(person(1), person(2))]), window), "checkin")
    assert {(p.key[-10:], p.timing, p.checkin) for p in planned} == {
        ("2026-02-16", Timing.MISSED, None),
        ("2026-03-02", Timing.DUE, (20, 1)),
        ("2026-03-02", Timing.DUE, (20, 2)),
    }


def test_without_prompts_for_an_audience_only_the_check_ins_remain() -> None:
    bare = replace(
        cohort([circle(person(1))], [pair(person(1), person(2))]),
        circle_prompts=(),
        pair_prompts=(),
        coach_prompts=(),
    )
    planned = plan_cohort(bare, UNTIL_MARCH)
    assert {p.template for p in planned} == {"checkin"}


def test_a_persons_own_time_zone_is_used_when_slack_gave_a_real_one() -> None:
    assert zone_for("Asia/Kolkata", "Europe/London") == "Asia/Kolkata"
    assert zone_for(None, "Europe/London") == "Europe/London"
    assert zone_for("Mars/Olympus_Mons", "Europe/London") == "Europe/London"
    assert zone_for("", "nowhere") == "UTC"
