"""A learner's dated pause (`/circles pause 2`) ends by itself on its date: the planner then plans their
pairs' conversation starters again, and a sender taking one posts it, as it would for any running pair.
One still running on the day is dropped at claim. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Member
from tests.integration.test_starters_at_claim import MONDAY_9, claimed_channels, pairs, statuses


def paused_until(db: Database, user_id: str, until: datetime) -> None:
    """Their pause has a date; nothing sets them active when it passes (a dated pause ends by itself)."""
    with db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member).where(Member.slack_user_id == user_id)).one()
        member.status, member.paused_until = MemberStatus.PAUSED, until
        uow.commit()


def test_a_starter_after_a_dated_pause_ended_goes_and_one_during_a_pause_still_running_is_dropped(
    db: Database,
) -> None:
    pairs(db, 3)
    paused_until(db, "U0L001", MONDAY_9 - timedelta(days=1))  # back since yesterday
    paused_until(db, "U0L002", MONDAY_9 + timedelta(days=6))  # away until Sunday

    assert claimed_channels(db) == {"T0001-C0PAIR000", "T0001-C0PAIR001"}
    assert statuses(db)["T0001-C0PAIR002"] == OutboxStatus.SUPERSEDED
