"""The coaches' daily digest: once a day in their morning, only with something to act on, muted on request."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.messages import render
from circles.domain.vocabulary import Role
from circles.errors import NotAMember
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Member, OutboxMessage
from circles.services.nudges import mute_nudges, plan_nudges
from tests import factories

MORNING = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)  # 09:30 in Chicago, the coach's zone


def seeded(db: Database) -> int:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.prompt_local_time, co.timezone = time(9), "America/New_York"
        factories.profile(uow.session, ws, "U0COACH", timezone="America/Chicago")
        factories.member(uow.session, co, "U0COACH", Role.COACH)
        factories.member(uow.session, co, "U0LEARN", Role.LEARNER)
        factories.member(uow.session, co, "U0QUIET", Role.COACH)  # nothing to act on
        pair = factories.partnership(uow.session, "U0COACH", "U0LEARN")  # started 2026-11-02, never met
        coach = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0COACH")).one()
        uow.session.add(
            CheckIn(
                workspace_id=ws.id,
                partnership_id=pair.id,
                member_id=coach.id,
                due_at=MORNING - timedelta(days=3),
            )
        )
        uow.commit()
        return coach.id


def digests(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage)))


def test_one_digest_a_day_in_the_coachs_morning_with_what_to_act_on(db: Database) -> None:
    seeded(db)
    for now in (MORNING - timedelta(hours=1), MORNING, MORNING + timedelta(hours=2)):
        with db.unit_of_work() as uow:
            plan_nudges(uow.session, now)
            uow.commit()
    [row] = digests(db)  # 08:30 Chicago is too early; 09:30 and 11:30 are the same day
    assert row.channel == "U0COACH"
    message = render(row.payload["template"], row.payload["args"])
    text = json.dumps(message.block_dicts())
    assert "No meeting with <@U0LEARN> reported for 28 days" in text
    assert "still wait for an answer" in text
    with db.unit_of_work() as uow:
        plan_nudges(uow.session, MORNING + timedelta(days=1))
        uow.commit()
    assert len(digests(db)) == 2


def test_a_muted_coach_gets_nothing_until_the_mute_ends(db: Database) -> None:
    coach = seeded(db)
    until = mute_nudges(db.unit_of_work(), "T0001", "U0COACH", coach, 2, MORNING - timedelta(days=1))
    with db.unit_of_work() as uow:
        plan_nudges(uow.session, MORNING)
        plan_nudges(uow.session, until.replace(hour=15, minute=30) + timedelta(days=1))
        uow.commit()
    assert len(digests(db)) == 1


def test_only_the_coach_can_mute_their_own_digest(db: Database) -> None:
    coach = seeded(db)
    with pytest.raises(NotAMember):
        mute_nudges(db.unit_of_work(), "T0001", "U0LEARN", coach, 2, MORNING)
