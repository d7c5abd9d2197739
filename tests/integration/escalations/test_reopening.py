"""After a resolution, the tick's watch opens a new alert on a new check-in, even one that finds the pair
struggling for the same reasons (its health's history records only changes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from circles.domain.escalations import Outcome
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, Escalation, Member, Partnership
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.resolve import resolve_escalation
from circles.services.health.watch import watch
from tests import factories
from tests.factories import NOW
from tests.integration.test_watch import seeded

FIRST_ALERT = NOW + timedelta(weeks=4, days=1)
RESOLVED = NOW + timedelta(weeks=4, days=2)
NEXT_CHECKIN = NOW + timedelta(weeks=6)  # every two weeks


def run_watch(db: Database, now: datetime) -> None:
    with db.unit_of_work() as uow:
        watch(uow.session, now, admins={"U0ADMIN"})
        uow.commit()


def alerts(db: Database) -> list[EscalationStatus]:
    with db.unit_of_work() as uow:
        return [e.status for e in uow.session.scalars(select(Escalation).order_by(Escalation.id))]


def struggling_at_every_check_in_then_resolved(db: Database) -> None:
    seeded(db, coach_rating=1, learner_rating=1)
    with db.unit_of_work() as uow:  # both rate every check-in 1: the same reasons each time
        for checkin in uow.session.scalars(select(CheckIn)):
            checkin.rating = 1
        uow.commit()
    run_watch(db, FIRST_ALERT)
    with db.unit_of_work() as uow:
        first = uow.session.scalars(select(Escalation.id)).one()
    resolve_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", first, is_admin=False, now=RESOLVED),
        Outcome.RECONNECTED,
        "",
    )


def both_answer_the_next_check_in(db: Database, rating: int) -> None:
    with db.unit_of_work() as uow:
        pair = uow.session.scalars(select(Partnership)).one()
        for member in uow.session.scalars(
            select(Member).where(Member.slack_user_id.in_(["U0COACH", "U0LEARN"]))
        ):
            uow.session.add(
                factories.checkin(pair, member.id, NEXT_CHECKIN, rating, after=timedelta(hours=2))
            )
        uow.commit()


def test_a_new_check_in_still_struggling_after_the_resolution_opens_a_new_alert_at_once(db: Database) -> None:
    struggling_at_every_check_in_then_resolved(db)
    run_watch(db, RESOLVED + timedelta(hours=1))  # the same check-ins: the resolution stands
    assert alerts(db) == [EscalationStatus.RESOLVED]
    both_answer_the_next_check_in(db, rating=1)
    run_watch(db, NEXT_CHECKIN + timedelta(hours=3))  # not a whole check-in period after the resolution
    assert alerts(db) == [EscalationStatus.RESOLVED, EscalationStatus.OPEN]


def test_without_a_new_answer_the_resolution_stands_until_a_whole_check_in_period_has_passed(
    db: Database,
) -> None:
    struggling_at_every_check_in_then_resolved(db)
    run_watch(db, NEXT_CHECKIN + timedelta(hours=3))  # nobody has answered since
    assert alerts(db) == [EscalationStatus.RESOLVED]
