"""A coach whose dated pause (`/circles pause 1`) runs out by itself gets their digest again from the next
working morning, as the planner's passes find it, without anyone resuming them. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.nudges.digests import plan_nudges
from circles.services.people.membership.leaving import pause
from tests import factories

MONDAY = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)  # 09:30 in Chicago, the coach's zone


def test_a_coach_gets_their_digest_again_once_their_dated_pause_runs_out(db: Database) -> None:
    with db.unit_of_work() as uow:
        workspace = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, workspace, "pgy1", "PGY-1")
        cohort.prompt_local_time, cohort.timezone = time(9), "America/Chicago"
        factories.profile(uow.session, workspace, "U0COACH", timezone="America/Chicago")
        coach = factories.member(uow.session, cohort, "U0COACH", Role.COACH)
        factories.pair(uow.session, coach, factories.member(uow.session, cohort, "U0LEARN"))  # never met
        uow.commit()
    pause(db.unit_of_work(), "T0001", "U0COACH", 1, MONDAY)  # until next Monday, 09:30 Chicago

    for day in range(10):  # each morning, and at the instant the pause runs out
        for now in (MONDAY + timedelta(days=day), MONDAY + timedelta(days=day, hours=1)):
            with db.unit_of_work() as uow:
                plan_nudges(uow.session, now)
                uow.commit()

    with db.reading() as reading:
        keys = sorted(reading.session.scalars(select(OutboxMessage.idempotency_key)))
    # None while paused; from the Monday it ran out, one each working morning (before: none ever again).
    assert keys == [f"digest:U0COACH:2026-12-0{day}" for day in (7, 8, 9)]
