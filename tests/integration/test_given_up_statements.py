"""Alerts whose senders kept dying are given up, and their follow-ups brought forward, in as many statements
for twelve alerts as for two: a crashing dispatcher does not make the claim that gives them up grow."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Escalation, OutboxMessage
from circles.services.outbox.queue import claim_due
from tests import escalation_world as w
from tests.integration.escalations.test_follow_up_statements import FEW, LATER, MANY, costs, opened
from tests.integration.test_statements_at_scale import statements

CLAIM = timedelta(minutes=5)


def die_holding(db: Database, at: datetime) -> None:
    claim_due(db.unit_of_work(), at, limit=100, claim_for=CLAIM, max_attempts=1)


def give_up(db: Database, at: datetime) -> int:
    """Statements of the claim that finds every alert's claim expired once too often."""
    return statements(
        db,
        lambda: claim_due(
            db.unit_of_work(), at, limit=100, claim_for=CLAIM, max_attempts=1, admins=["U0ADM"]
        ),
    )


def test_twelve_alerts_given_up_together_cost_the_claim_as_many_statements_as_two(db: Database) -> None:
    opened(db, "T0001", FEW, 0)
    costs(db, 0, 0)  # looked at as they open: their follow-ups are two days on
    die_holding(db, w.at())
    few = give_up(db, w.at() + CLAIM * 2)
    many_ids = opened(db, "T0002", MANY, LATER)
    costs(db, LATER, 0)
    die_holding(db, w.at(LATER))
    many = give_up(db, w.at(LATER) + CLAIM * 2)
    assert many == few
    with db.unit_of_work() as uow:
        statuses = set(uow.session.scalars(select(OutboxMessage.status)))
        assert statuses == {OutboxStatus.FAILED}
        due = uow.session.scalars(select(Escalation.follow_up_at).where(Escalation.id.in_(many_ids))).all()
        assert set(due) == {w.at(LATER) + CLAIM * 2}
