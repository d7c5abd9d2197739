"""The pure planner: a pair's conversation starters and a coach's session ideas run through their tracks from
when the relationship began, whichever week of the cohort that was."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

from circles.domain.blackouts import Blackout
from circles.domain.planning import CohortIn, PairIn, Person, Planned, plan_cohort
from circles.domain.schedule import Cadence, Window
from circles.domain.vocabulary import MemberStatus
from prompts.tracks import Prompt

START = date(2026, 2, 2)  # a Monday; check-ins every other Monday from 16 February, at 9:00 UTC
BEFORE = datetime(2026, 1, 1, tzinfo=UTC)
WEEK_5 = datetime(2026, 3, 4, 12, tzinfo=UTC)  # a Wednesday, after the check-ins of 16 Feb and 2 March
UNTIL_APRIL = Window(BEFORE, BEFORE, datetime(2026, 4, 1, tzinfo=UTC))  # check-in days 16/2, 2/3, 16/3, 30/3


def prompts(audience: str) -> tuple[Prompt, ...]:
    return tuple(Prompt(f"{audience}-{i}", f"Theme {i}", audience, f"Text {i}") for i in range(1, 7))


def cohort(*pairs: PairIn, blackouts: tuple[Blackout, ...] = ()) -> CohortIn:
    return CohortIn(
        workspace_id=1,
        name="Nights",
        cadence=Cadence(0, time(9, 0), "UTC", 2, START, None, anchor=START),
        circle_prompts=prompts("circle"),
        pair_prompts=prompts("pair"),
        coach_prompts=prompts("coach"),
        circles=[],
        pairs=list(pairs),
        blackouts=blackouts,
    )


def person(member_id: int) -> Person:
    return Person(member_id, f"U{member_id}", MemberStatus.ACTIVE, None, "UTC")


def pair(pid: int, coach: int, started_at: datetime, **changes: object) -> PairIn:
    made = PairIn(pid, True, f"G{pid}", started_at, person(coach), person(coach + 1))
    return replace(made, **changes)  # type: ignore[arg-type]


def sent(planned: list[Planned], template: str, channel: str) -> list[tuple[str, str]]:
    """(day, prompt) of each message of a kind to one conversation or person, in order."""
    found = [p for p in planned if p.template == template and p.channel == channel]
    return [(p.due_at.date().isoformat(), p.args["prompt_id"]) for p in sorted(found, key=lambda p: p.due_at)]


def test_a_pair_formed_in_week_5_gets_the_starter_after_its_kickoffs_on_its_first_check_in_day() -> None:
    planned = plan_cohort(cohort(pair(20, 1, BEFORE), pair(30, 3, WEEK_5)), UNTIL_APRIL)

    assert sent(planned, "pair_prompt", "G30") == [("2026-03-16", "pair-2"), ("2026-03-30", "pair-3")]
    assert sent(planned, "pair_prompt", "G20") == [
        ("2026-02-16", "pair-2"),
        ("2026-03-02", "pair-3"),
        ("2026-03-16", "pair-4"),
        ("2026-03-30", "pair-5"),
    ]
    weeks = [p.args["week"] for p in planned if p.template == "pair_prompt" and p.channel == "G30"]
    assert weeks == [7, 9]  # the heading keeps the cohort's week


def test_a_pair_begun_on_a_check_in_day_counts_it_only_when_it_began_before_its_hour() -> None:
    early = pair(20, 1, datetime(2026, 3, 2, 8, tzinfo=UTC))
    late = pair(30, 3, datetime(2026, 3, 2, 10, tzinfo=UTC))
    planned = plan_cohort(cohort(early, late), UNTIL_APRIL)

    assert sent(planned, "pair_prompt", "G20")[0] == ("2026-03-02", "pair-2")
    assert sent(planned, "pair_prompt", "G30")[0] == ("2026-03-16", "pair-2")


def test_a_blacked_out_check_in_day_of_a_later_pair_holds_its_next_starter_back() -> None:
    blackout = (Blackout(date(2026, 3, 14), date(2026, 3, 20)),)
    planned = plan_cohort(cohort(pair(30, 3, WEEK_5), blackouts=blackout), UNTIL_APRIL)

    assert sent(planned, "pair_prompt", "G30") == [("2026-03-30", "pair-2")]


def test_a_new_coachs_session_ideas_start_at_the_top_of_the_track() -> None:
    planned = plan_cohort(cohort(pair(30, 3, WEEK_5, guiding_since=WEEK_5)), UNTIL_APRIL)

    assert sent(planned, "coach_idea", "U3") == [("2026-03-16", "coach-1"), ("2026-03-30", "coach-2")]


def test_a_coach_with_an_earlier_pair_goes_on_with_their_ideas_for_a_new_learner() -> None:
    planned = plan_cohort(cohort(pair(30, 3, WEEK_5, guiding_since=BEFORE)), UNTIL_APRIL)

    assert sent(planned, "coach_idea", "U3") == [("2026-03-16", "coach-3"), ("2026-03-30", "coach-4")]
