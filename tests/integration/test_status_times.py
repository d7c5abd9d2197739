"""`/circles status` and Home say when a member's next check-in comes: at the time it reaches them."""

from __future__ import annotations

from datetime import timedelta

from circles.persistence.db import Database
from circles.services.people.status import my_status
from circles.services.planning import plan
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import standard, utc


def test_a_member_abroad_is_told_the_check_in_comes_at_their_own_morning(db: Database) -> None:
    _, _, partnership, _, learner = standard(db)  # New York cohort, Mondays 9:00; the learner in London
    # New York is on daylight time from 8 March 2026, London only from 29 March: five hours apart.
    now = utc(2026, 3, 9, 8, 30)
    with db.unit_of_work() as uow:
        plan(uow.session, now, grace=GRACE, look_back=GRACE)
        uow.commit()
        planned = {row.idempotency_key: row.due_at for row in world.outbox(uow.session)}
    arrives = planned[f"checkin:{partnership.id}:{learner.id}:2026-03-09"]
    assert arrives == utc(2026, 3, 9, 9)

    [learner_status] = my_status(db.unit_of_work(), "T0001", "U0LEARN", now)
    [coach_status] = my_status(db.unit_of_work(), "T0001", "U0COACH", now)

    assert learner_status.next_checkin == arrives
    assert coach_status.next_checkin == utc(2026, 3, 9, 13)  # no time zone from Slack: 9:00 in New York
    # Once theirs has come, the next is a week on at their 9:00, not New York's later that day.
    [after] = my_status(db.unit_of_work(), "T0001", "U0LEARN", arrives + timedelta(minutes=1))
    assert after.next_checkin == utc(2026, 3, 16, 9)
