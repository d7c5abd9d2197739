"""A cohort's prompt day moved in mid-week, on SQLite and PostgreSQL: each week's prompt, check-ins, pair
prompt and session idea still come once, on whichever day they come first; the weeks after come on the new
day."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from circles.persistence.db import Database
from circles.services.cohorts.config import cohort_config, configure_cohort
from circles.services.planning import plan
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import standard, utc

MONDAY, WEDNESDAY = 0, 2
ADMIN = "U0ADMIN"
LONG_GRACE = timedelta(hours=72)  # CIRCLES_GRACE_HOURS allows up to a week


def saved_with_weekday(db: Database, weekday: int, now: datetime, **changes: Any) -> None:
    """An admin saves the cohort's settings (`/circles cohort config`) with this prompt weekday."""
    form = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id=ADMIN, is_admin=True)
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        form.settings.with_changes(prompt_weekday=weekday, **changes),
        form.facilitators or ["U0FAC"],
        user_id=ADMIN,
        is_admin=True,
        now=now,
        opened_as=form.digest,
    )


def ticks(db: Database, *instants: datetime, grace: timedelta = GRACE) -> None:
    """A planning pass at each instant, in turn."""
    for now in instants:
        with db.unit_of_work() as uow:
            plan(uow.session, now, grace=grace)
            uow.commit()


def week(db: Database, days: tuple[str, ...]) -> tuple[list[str], list[str], int]:
    """The keys recorded for these days, those to be sent (pending), and how many check-in rows they have."""
    with db.unit_of_work() as uow:
        rows = [row for row in world.outbox(uow.session) if row.idempotency_key.endswith(days)]
        checkins = [c for c in world.checkins(uow.session) if c.due_at.date().isoformat() in days]
        return (
            sorted(row.idempotency_key for row in rows),
            sorted(row.idempotency_key for row in rows if row.status == "pending"),
            len(checkins),
        )


def messages_of(circle: int, pair: int, coach: int, learner: int, day: str) -> list[str]:
    return sorted(
        [
            f"circle_prompt:{circle}:{day}",
            f"checkin:{pair}:{coach}:{day}",
            f"checkin:{pair}:{learner}:{day}",
            f"pair_prompt:{pair}:{day}",
            f"coach_idea:{coach}:{day}",
        ]
    )


WEEK_2 = tuple(f"2026-03-{day:02}" for day in range(9, 16))
WEEK_3 = tuple(f"2026-03-{day:02}" for day in range(16, 23))


@pytest.mark.parametrize(
    "after_the_change",
    [
        # The first pass after the change is on the new day.
        (utc(2026, 3, 11, 14, 30),),
        # A pass right after the change, then on the new day at the London learner's 9:00 and New York's.
        (utc(2026, 3, 10, 15), utc(2026, 3, 11, 9, 30), utc(2026, 3, 11, 14, 30)),
    ],
    ids=["planned-on-the-new-day", "planned-right-after-the-change"],
)
def test_a_prompt_day_moved_later_in_the_week_sends_that_weeks_messages_once(
    db: Database, after_the_change: tuple[datetime, ...]
) -> None:
    _, circle, partnership, coach, learner = standard(db)  # Mondays at 9:00, weekly check-ins
    ticks(db, utc(2026, 3, 9, 14, 30))  # Monday: week 2's messages go
    saved_with_weekday(db, WEDNESDAY, utc(2026, 3, 10, 14))

    ticks(db, *after_the_change)

    monday = messages_of(circle.id, partnership.id, coach.id, learner.id, "2026-03-09")
    assert week(db, WEEK_2) == (monday, monday, 2)  # nothing again on Wednesday, no check-in rows for it
    ticks(db, utc(2026, 3, 18, 14, 30))
    wednesday = messages_of(circle.id, partnership.id, coach.id, learner.id, "2026-03-18")
    assert week(db, WEEK_3) == (wednesday, wednesday, 2)  # the week after comes on the new day
    with db.unit_of_work() as uow:
        prompts = [row for row in world.outbox(uow.session) if row.payload["template"] == "circle_prompt"]
        assert [row.payload["args"]["week"] for row in prompts if row.status == "pending"] == [2, 3]


def test_a_prompt_day_moved_earlier_after_that_weeks_messages_went_does_not_send_them_again(
    db: Database,
) -> None:
    _, circle, partnership, coach, learner = standard(db)
    saved_with_weekday(db, WEDNESDAY, utc(2026, 3, 1))
    ticks(db, utc(2026, 3, 11, 14, 30), grace=LONG_GRACE)  # Wednesday: week 2's messages go
    saved_with_weekday(db, MONDAY, utc(2026, 3, 12, 10))

    # Three days' grace: Monday's 9:00 in New York would still go late; the learner's in London would not.
    ticks(db, utc(2026, 3, 12, 10), grace=LONG_GRACE)

    wednesday = messages_of(circle.id, partnership.id, coach.id, learner.id, "2026-03-11")
    assert week(db, WEEK_2) == (wednesday, wednesday, 2)
    ticks(db, utc(2026, 3, 16, 14, 30), grace=LONG_GRACE)
    monday = messages_of(circle.id, partnership.id, coach.id, learner.id, "2026-03-16")
    assert week(db, WEEK_3) == (monday, monday, 2)


def test_a_prompt_day_moved_before_that_weeks_messages_went_sends_them_once_on_the_new_day(
    db: Database,
) -> None:
    _, circle, partnership, coach, learner = standard(db)
    ticks(db, utc(2026, 3, 9, 14, 30))  # week 2 on Monday
    saved_with_weekday(db, WEDNESDAY, utc(2026, 3, 15, 12))  # Sunday, before week 3's Monday

    ticks(db, utc(2026, 3, 15, 12), utc(2026, 3, 16, 14, 30), utc(2026, 3, 18, 14, 30), utc(2026, 3, 18, 15))

    wednesday = messages_of(circle.id, partnership.id, coach.id, learner.id, "2026-03-18")
    assert week(db, WEEK_3) == (wednesday, wednesday, 2)


def test_check_ins_every_two_weeks_moved_later_come_once_in_their_fortnight(db: Database) -> None:
    _, circle, partnership, coach, learner = standard(db)
    saved_with_weekday(db, MONDAY, utc(2026, 3, 1), checkin_every_weeks=2)  # check-ins on 16 and 30 March
    ticks(db, utc(2026, 3, 16, 14, 30))  # week 3: the prompt and the first check-ins
    saved_with_weekday(db, WEDNESDAY, utc(2026, 3, 17, 10))

    ticks(db, utc(2026, 3, 17, 10), utc(2026, 3, 18, 14, 30), utc(2026, 3, 25, 14, 30))
    ticks(db, utc(2026, 4, 1, 14, 30))

    fortnight = tuple(f"2026-03-{day:02}" for day in range(16, 30))
    keys, _, checkins = week(db, fortnight)
    assert keys == sorted(
        [
            *messages_of(circle.id, partnership.id, coach.id, learner.id, "2026-03-16"),
            f"circle_prompt:{circle.id}:2026-03-25",  # the prompts are weekly: week 4 on the new day
        ]
    )
    assert checkins == 2
    april = messages_of(circle.id, partnership.id, coach.id, learner.id, "2026-04-01")
    assert week(db, ("2026-04-01",))[0] == april  # the next fortnight's on the new day
