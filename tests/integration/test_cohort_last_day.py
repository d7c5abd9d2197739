"""A cohort's last day, as the scheduler lives through it: its evening check-in still comes, and its pairs
are completed once that day is over in the cohort's time zone, not at midnight in UTC."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import EndReason, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Partnership
from circles.services.planning.tick import Sent, run_tick
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import utc

LAST_DAY = date(2026, 3, 30)  # a Monday


def nothing_sent() -> Sent:
    return Sent(0, 0, 0, 0, "")


def test_a_check_in_at_eight_in_the_evening_of_the_last_day_comes_before_the_pair_is_completed(
    db: Database,
) -> None:
    with db.unit_of_work() as uow:
        ws = world.workspace(uow.session)
        co = world.cohort(
            uow.session,
            ws,
            timezone="America/Chicago",
            at=time(20),
            starts_on=date(2026, 3, 2),
            ends_on=LAST_DAY,
        )
        coach = world.member(uow.session, co, "U0COACH", Role.COACH)
        learner = world.member(uow.session, co, "U0LEARN")
        world.pair(uow.session, coach, learner)
        uow.commit()
    ended_at = None
    now = utc(2026, 3, 30, 12)  # 7:00 in Chicago on the last day, then a tick every hour
    while now < utc(2026, 4, 1):
        summary = run_tick(db, now, grace=GRACE, admins=(), decrypt=None, send=nothing_sent)
        if summary.counts["partnerships completed"]:
            ended_at = now
        now += timedelta(hours=1)
    last = LAST_DAY.isoformat()
    with db.reading() as uow:
        keys = world.keys(uow.session)
        [pair] = uow.session.scalars(select(Partnership))
    assert f"checkin:{pair.id}:{coach.id}:{last}" in keys  # 20:00 in Chicago: 01:00 the next day in UTC
    assert f"checkin:{pair.id}:{learner.id}:{last}" in keys
    assert (pair.status, pair.end_reason) == (PartnershipStatus.ENDED, EndReason.COMPLETED)
    assert ended_at == utc(2026, 3, 31, 5)  # midnight in Chicago, when the last day is over
