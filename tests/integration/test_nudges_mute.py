"""Muting the digest mutes the person's digest, not some of their memberships: a cohort they coach in
from after the mute stays quiet too until the mute ends, and a digest waiting for their hours is not sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.vocabulary import OutboxStatus, Role
from circles.errors import NotAMember
from circles.persistence.db import Database
from circles.persistence.models import Member, OutboxMessage, Profile, Workspace
from circles.services.nudges.digests import mute_nudges
from circles.services.outbox.queue import claim_due
from tests import factories
from tests.integration.test_nudges import MORNING, plan_at, seeded


def coaches_in_a_new_cohort(db: Database) -> None:
    """The coach joins a second cohort, with a learner there who has reported no meeting for 28 days."""
    with db.unit_of_work() as uow:
        ws = uow.session.get_one(Workspace, 1)
        co = factories.cohort(uow.session, ws, "pgy2", "PGY-2")
        coach = factories.member(uow.session, co, "U0COACH", Role.COACH)
        factories.pair(uow.session, coach, factories.member(uow.session, co, "U0NEW", Role.LEARNER))
        uow.commit()


def sections(db: Database) -> list[list[str]]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.idempotency_key))
        return [[s["cohort_name"] for s in row.payload["args"]["sections"]] for row in rows]


def test_a_cohort_joined_while_muted_brings_no_digest_before_the_mute_ends(db: Database) -> None:
    coach = seeded(db)
    until = mute_nudges(db.unit_of_work(), "T0001", "U0COACH", coach, 2, MORNING - timedelta(days=1))
    coaches_in_a_new_cohort(db)
    plan_at(db, MORNING, MORNING + timedelta(days=1))
    assert sections(db) == []
    plan_at(db, until.replace(hour=15, minute=30) + timedelta(days=1))
    assert sections(db) == [["PGY-1", "PGY-2"]]


def test_a_digest_held_for_the_coachs_night_shift_is_not_sent_after_they_muted(db: Database) -> None:
    coach = seeded(db)
    with db.unit_of_work() as uow:
        profile = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0COACH")).one()
        profile.work_pattern = WorkPattern(parse_shift("Sun-Thu 19:00-07:00")).to_json()
        uow.commit()
    plan_at(db, MORNING)  # 09:30 in Chicago, asleep after a night shift: held until 19:00
    assert claim_due(db.unit_of_work(), MORNING, limit=10, claim_for=timedelta(minutes=5)) == []
    mute_nudges(db.unit_of_work(), "T0001", "U0COACH", coach, 2, MORNING + timedelta(hours=3))
    evening = MORNING + timedelta(hours=10)  # 19:30 in Chicago
    assert claim_due(db.unit_of_work(), evening, limit=10, claim_for=timedelta(minutes=5)) == []
    with db.unit_of_work() as uow:
        [row] = uow.session.scalars(select(OutboxMessage)).all()
        assert row.status is OutboxStatus.SUPERSEDED


def test_a_mute_button_from_another_workspace_or_replayed_mutes_nobody_else(db: Database) -> None:
    coach = seeded(db)
    with db.unit_of_work() as uow:  # the same Slack user id, coaching in a second workspace
        ws = factories.workspace(uow.session, "T0002")
        factories.member(
            uow.session, factories.cohort(uow.session, ws, "pgy1", "PGY-1"), "U0COACH", Role.COACH
        )
        uow.commit()
    with pytest.raises(NotAMember):
        mute_nudges(db.unit_of_work(), "T0002", "U0COACH", coach, 2, MORNING)
    with db.unit_of_work() as uow:
        assert uow.session.scalars(select(Member.nudges_muted_until)).all() == [None] * 4
    first = mute_nudges(db.unit_of_work(), "T0001", "U0COACH", coach, 2, MORNING)
    again = mute_nudges(db.unit_of_work(), "T0001", "U0COACH", coach, 99, MORNING + timedelta(hours=1))
    assert first == MORNING + timedelta(weeks=2)
    assert again == MORNING + timedelta(weeks=12, hours=1)  # at most twelve weeks from the last press
