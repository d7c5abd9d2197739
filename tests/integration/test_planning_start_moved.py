"""A cohort's start date once its prompts have begun, on SQLite and PostgreSQL: its weeks, the places in its
prompt tracks and its "Week N" all count from it, so it stays; before anything went it moves freely."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from circles.errors import InvalidCohortSettings
from circles.persistence.db import Database
from circles.services.planning import plan
from tests.databases import raced
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE, LONG_AGO
from tests.integration.test_planning import standard, utc
from tests.integration.test_planning_weekday_moved import MONDAY, saved_with_weekday, ticks

FIRST_FOUR = ["trust-first-days", "lived-outside-work", "listening-urge-to-reply", "gratitude-quiet-work"]


def refusal(db: Database, now: datetime, starts_on: date) -> dict[str, str]:
    """What the settings form says is wrong when its start date is moved; empty when it saved."""
    try:
        saved_with_weekday(db, MONDAY, now, starts_on=starts_on)
    except InvalidCohortSettings as refused:
        return refused.problems
    return {}


def received(db: Database, template: str) -> list[tuple[str, int]]:
    """The prompt ids, with the week heading them, of the rows of this kind members are sent, in order."""
    with db.unit_of_work() as uow:
        rows = [r for r in world.outbox(uow.session) if r.payload["template"] == template]
        sent = [row.payload["args"] for row in rows if row.status != "missed"]
        return [(args["prompt_id"], args["week"]) for args in sent]


@pytest.mark.parametrize("starts_on", [date(2026, 3, 9), date(2026, 2, 23)], ids=["later", "earlier"])
def test_a_start_date_moved_after_the_first_prompt_went_is_refused_and_no_prompt_repeats_or_is_skipped(
    db: Database, starts_on: date
) -> None:
    standard(db)  # Mondays at 9:00 in New York from 2 March
    ticks(db, utc(2026, 3, 2, 14, 30), utc(2026, 3, 9, 13, 30), utc(2026, 3, 16, 13, 30))

    refused = refusal(db, utc(2026, 3, 17, 12), starts_on)
    ticks(db, utc(2026, 3, 23, 14, 30))

    assert received(db, "circle_prompt") == [(prompt, week) for week, prompt in enumerate(FIRST_FOUR, 1)]
    pair_prompts = [prompt for prompt, _ in received(db, "pair_prompt")]
    assert len(pair_prompts) == len(set(pair_prompts)) == 3  # a check-in day each from the second week
    assert refused == {
        "starts_on": "The cohort has begun: its start date stays 2026-03-02, or its prompts would repeat or "
        "be skipped. To skip weeks, add blackout dates in its settings; to run longer, move its end date."
    }


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_start_date_moved_while_a_pass_plans_the_first_prompt_waits_for_it_and_is_refused(
    db: Database,
) -> None:
    postgres = db
    standard(postgres)

    with postgres.unit_of_work() as planning:  # the first prompt, written but not yet committed
        plan(planning.session, utc(2026, 3, 2, 14, 30), grace=GRACE)
        refused = raced(
            postgres, planning, lambda: refusal(postgres, utc(2026, 3, 2, 14, 30), date(2026, 3, 9))
        )
    ticks(postgres, utc(2026, 3, 9, 13, 30), utc(2026, 3, 16, 13, 30))

    assert received(postgres, "circle_prompt") == [
        (prompt, week) for week, prompt in enumerate(FIRST_FOUR[:3], 1)
    ]
    assert isinstance(refused, dict)
    assert set(refused) == {"starts_on"}


def test_a_start_date_kept_as_it_is_saves_once_the_cohort_has_begun(db: Database) -> None:
    standard(db)
    ticks(db, utc(2026, 3, 2, 14, 30))

    saved_with_weekday(db, MONDAY, utc(2026, 3, 3, 12), starts_on=date(2026, 3, 2), ends_on=date(2026, 6, 1))
    ticks(db, utc(2026, 3, 9, 13, 30))

    assert [prompt for prompt, _ in received(db, "circle_prompt")] == FIRST_FOUR[:2]


def test_a_start_date_moves_freely_before_anything_of_the_cohort_went(db: Database) -> None:
    standard(db)
    ticks(db, utc(2026, 2, 20, 12))  # planned before the start: nothing due yet

    saved_with_weekday(db, MONDAY, utc(2026, 2, 25, 12), starts_on=date(2026, 3, 9))
    ticks(db, utc(2026, 3, 2, 14, 30), utc(2026, 3, 9, 13, 30), utc(2026, 3, 16, 13, 30))

    # Nothing on 2 March, then the track from its top, headed as the cohort's weeks from its new start.
    assert received(db, "circle_prompt") == [(FIRST_FOUR[0], 1), (FIRST_FOUR[1], 2)]


def test_a_cohort_without_a_start_date_that_has_begun_may_be_given_the_day_it_was_made(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = world.workspace(uow.session)
        co = world.cohort(uow.session, ws, starts_on=None)  # its weeks count from the day it was made
        peers = [world.member(uow.session, co, f"U0PEER{i}") for i in range(3)]
        world.circle(uow.session, co, peers)
        uow.commit()
    ticks(db, utc(2026, 3, 2, 14, 30))

    refused = refusal(db, utc(2026, 3, 3, 12), date(2026, 3, 2))
    saved_with_weekday(db, MONDAY, utc(2026, 3, 3, 12), starts_on=LONG_AGO.date())  # the day it was made

    assert refused == {
        "starts_on": "The cohort has begun, its weeks counted from 2026-01-05, the day it was made: leave "
        "its start date empty (or give it that day), or its prompts would repeat or be skipped. To skip "
        "weeks, add blackout dates in its settings; to run longer, move its end date."
    }
