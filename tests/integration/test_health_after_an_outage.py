"""After the app was down for weeks, the silence nobody was asked about is not read as pairs not meeting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, HealthRecord
from circles.services.health.watch import watch
from circles.services.planning import plan
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE

START = datetime(2026, 3, 2, 15, tzinfo=UTC)  # after the first Monday's check-ins went


def seeded(db: Database) -> tuple[int, int]:
    """Two pairs checking in weekly: one reports meeting every time, the other never does."""
    with db.unit_of_work() as uow:
        s = uow.session
        co = world.cohort(s, world.workspace(s))
        people = [world.member(s, co, f"U0COACH{i}", Role.COACH) for i in range(2)]
        people += [world.member(s, co, f"U0LEARN{i}") for i in range(2)]
        meeting, silent = world.pair(s, people[0], people[2]), world.pair(s, people[1], people[3])
        uow.commit()
        return meeting.id, silent.id


def tick(db: Database, now: datetime, meeting: int) -> None:
    """One pass of the tick, then every question asked so far answered: meeting or not."""
    with db.unit_of_work() as uow:
        plan(uow.session, now, grace=GRACE)
        watch(uow.session, now, admins=set(), full=True)
        for row in uow.session.scalars(select(CheckIn).where(CheckIn.answered_at.is_(None))):
            row.answered_at, row.rating, row.met = now, 4, row.partnership_id == meeting
        uow.commit()


def latest_reasons(db: Database, partnership_id: int) -> str:
    with db.unit_of_work() as uow:
        query = select(HealthRecord.reason_keys).where(HealthRecord.partnership_id == partnership_id)
        return str(uow.session.scalars(query.order_by(HealthRecord.id.desc())).first() or "")


def test_pairs_meeting_before_a_six_week_outage_are_not_flagged_as_not_meeting_on_the_first_tick_after(
    db: Database,
) -> None:
    meeting, silent = seeded(db)
    for week in range(5):
        tick(db, START + timedelta(weeks=week), meeting)
    assert "no_meeting" in latest_reasons(db, silent)  # silent while asked, before the outage
    with db.unit_of_work() as uow:
        back = START + timedelta(weeks=4 + 6)
        plan(uow.session, back, grace=GRACE)
        watch(uow.session, back, admins=set(), full=True)
        uow.commit()
    assert "no_meeting" not in latest_reasons(db, meeting)
    assert "no_meeting" in latest_reasons(db, silent)
