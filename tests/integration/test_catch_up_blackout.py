"""A return that falls inside the cohort's blackout dates, as the scheduler lives through it: nothing on the
blackout, the catch-up on the first day after it, even when the blackout outlasts planning's look-back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.planning import plan
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import utc
from tests.integration.test_planning_away import BACK, away_learner

# Back on Tuesday 24 March, on the first day of an exam blackout of two and a half weeks.
EXAMS = [{"from": "2026-03-24", "until": "2026-04-10"}]


def test_a_return_inside_a_blackout_gets_its_catch_up_on_the_first_day_after_it(db: Database) -> None:
    circle, pair, _, learner = away_learner(db)
    with db.unit_of_work() as uow:
        cohort = uow.session.query(Cohort).one()
        cohort.blackout_dates = EXAMS
        uow.commit()
    with freeze_time("2026-03-20 00:00:00") as clock:
        while (now := datetime.now(UTC)) < utc(2026, 4, 12):
            with db.unit_of_work() as uow:
                plan(uow.session, now, grace=GRACE)
                uow.commit()
            clock.tick(timedelta(hours=5))
    with db.unit_of_work() as uow:
        rows = world.outbox(uow.session)
    assert not [row for row in rows if BACK <= row.due_at < utc(2026, 4, 11)]  # nothing on the blackout
    catch_ups = [
        (row.idempotency_key, row.channel, row.due_at, row.status)
        for row in rows
        if row.idempotency_key.startswith(("circle_prompt_catch_up", f"checkin:{pair}:{learner}:back"))
    ]
    # Saturday 11 April at the prompt time, 9:00: in London for the learner's check-in, in New York for
    # the circle's prompt they missed on 23 March.
    assert catch_ups == [
        (f"checkin:{pair}:{learner}:back:2026-03-23", "U0LEARN", utc(2026, 4, 11, 8), "pending"),
        (f"circle_prompt_catch_up:{circle}:{learner}:2026-03-23", "U0LEARN", utc(2026, 4, 11, 13), "pending"),
    ]
