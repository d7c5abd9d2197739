"""The tick's watch step: low and diverging check-ins lead to one private alert per facilitator, once."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from bot.messages import render
from circles.domain.vocabulary import Role
from circles.persistence.db import Database, Session
from circles.persistence.models import Escalation, Member, OutboxMessage, Partnership
from circles.services.health.watch import watch
from tests import factories
from tests.factories import NOW


def coach_and_learner(session: Session) -> Partnership:
    """Cohort pgy1 with facilitators U0FAC1 and U0FAC2, and the pair of coach U0COACH and learner U0LEARN."""
    ws = factories.workspace(session)
    co = factories.cohort(session, ws, "pgy1", "PGY-1")
    for facilitator in ("U0FAC1", "U0FAC2"):
        factories.facilitator(session, co, facilitator, flush=False)
    factories.member(session, co, "U0COACH", Role.COACH, flush=False)
    factories.member(session, co, "U0LEARN", Role.LEARNER, flush=False)
    return factories.partnership(session, "U0COACH", "U0LEARN")


def seeded(db: Database, coach_rating: int, learner_rating: int) -> None:
    with db.unit_of_work() as uow:
        pair = coach_and_learner(uow.session)
        members = {m.slack_user_id: m.id for m in uow.session.scalars(select(Member))}
        for weeks, ratings in ((2, (4, 4)), (4, (coach_rating, learner_rating))):
            due, later = NOW + timedelta(weeks=weeks), timedelta(hours=2)
            for user, rating in zip(("U0COACH", "U0LEARN"), ratings, strict=True):
                uow.session.add(factories.checkin(pair, members[user], due, rating, after=later, met=False))
        uow.commit()


def alerts(db: Database) -> dict[str, list[str]]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.payload["template"].as_string() == "escalation")
        )
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(row.channel or "", []).append(
                json.dumps(render("escalation", row.payload["args"]).block_dicts())
            )
    return found


def test_both_partners_rating_it_low_alerts_each_facilitator_once_and_nobody_else(db: Database) -> None:
    seeded(db, coach_rating=1, learner_rating=1)
    later = NOW + timedelta(weeks=4, days=1)
    for now in (later, later + timedelta(hours=1)):
        with db.unit_of_work() as uow:
            summary = watch(uow.session, now, admins={"U0ADMIN"})
            uow.commit()
    assert summary.partnerships == 1
    sent = alerts(db)
    assert set(sent) == {"U0FAC1", "U0FAC2"}
    assert all(len(copies) == 1 for copies in sent.values())
    assert "U0COACH" in sent["U0FAC1"][0]
    with db.unit_of_work() as uow:
        assert len(uow.session.scalars(select(Escalation)).all()) == 1


def test_diverging_ratings_are_watched_and_reach_facilitators_only(db: Database) -> None:
    seeded(db, coach_rating=5, learner_rating=1)
    with db.unit_of_work() as uow:
        summary = watch(uow.session, NOW + timedelta(weeks=4, days=1), admins=set())
        uow.commit()
    assert summary.needing_care == 1
    with db.unit_of_work() as uow:
        channels = {row.channel for row in uow.session.scalars(select(OutboxMessage))}
    assert channels <= {"U0FAC1", "U0FAC2"}
