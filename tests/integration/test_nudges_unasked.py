"""After an outage of the worker, the digest does not call every pair one without meetings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.nudges import Nudge, NudgeKind
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import Member
from circles.services.nudges.digests import digest_now
from tests import factories

MORNING = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)
STARTED = factories.NOW  # 2026-11-02 09:00


def seeded(db: Database) -> None:
    """One pair met, then no check-in was asked for 26 days; another was asked on time and never met."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")  # check-ins every 2 weeks
        factories.member(uow.session, co, "U0COACH", Role.COACH)
        for user in ("U0LEARN", "U0STEADY"):
            factories.member(uow.session, co, user, Role.LEARNER, flush=False)
        outage = factories.partnership(uow.session, "U0COACH", "U0LEARN")
        steady = factories.partnership(uow.session, "U0COACH", "U0STEADY")
        learner, other = (
            uow.session.scalars(select(Member).where(Member.slack_user_id == user)).one()
            for user in ("U0LEARN", "U0STEADY")
        )
        uow.session.add(factories.checkin(outage, learner.id, STARTED + timedelta(days=1), rating=4))
        uow.session.add(factories.checkin(outage, learner.id, MORNING - timedelta(days=1)))
        for weeks in (2, 4):
            uow.session.add(factories.checkin(steady, other.id, STARTED + timedelta(weeks=weeks)))
        uow.commit()


def test_days_no_check_in_was_asked_do_not_count_as_days_without_a_meeting(db: Database) -> None:
    seeded(db)
    [section] = digest_now(db.unit_of_work(), "T0001", "U0COACH", MORNING)
    # U0LEARN met 26 days ago, but for 12 of them nobody was asked: 14 days, under the 21.
    assert section.nudges == (Nudge(NudgeKind.NO_MEETING, "U0STEADY", 28),)
