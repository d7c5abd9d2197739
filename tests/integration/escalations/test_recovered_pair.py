"""A pair that recovers while its alert is unresolved: what comes back to the facilitators says so."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from circles.persistence.db import Database
from circles.persistence.models import Escalation, Member, Partnership
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.snooze import snooze_escalation
from circles.services.health.watch import watch
from tests import escalation_world as w
from tests import factories
from tests.factories import NOW
from tests.integration.test_watch import coach_and_learner

LOW = "(1 and 1 of 5)"  # how the reasons name both partners rating it 1


def seeded(db: Database) -> int:
    """A coach and learner who said steady a week ago and both rate it 1 now; their pair's id."""
    with db.unit_of_work() as uow:
        pair = coach_and_learner(uow.session)
        uow.commit()
    rated(db, pair.id, NOW + timedelta(weeks=1), 4)
    rated(db, pair.id, NOW + timedelta(weeks=2), 1)
    return pair.id


def rated(db: Database, partnership_id: int, due: datetime, rating: int) -> None:
    """Both partners answer the check-in due then, two hours later, with this rating."""
    with db.unit_of_work() as uow:
        pair = uow.session.get_one(Partnership, partnership_id)
        partners = select(Member).where(Member.slack_user_id.in_(["U0COACH", "U0LEARN"]))
        for member in uow.session.scalars(partners):
            uow.session.add(factories.checkin(pair, member.id, due, rating, after=timedelta(hours=2)))
        uow.commit()


def tick(db: Database, now: datetime) -> None:
    with db.unit_of_work() as uow:
        watch(uow.session, now, admins={"U0ADMIN"})
        uow.commit()


def sent_on(db: Database, occasion: str) -> dict[str, str]:
    """Recipient → what they will see, for the alert's DMs of one occasion (`back`, `reminder`, `admins`)."""
    with db.unit_of_work() as uow:
        rows = w.outbox(uow.session)
        return {row.channel or "": w.rendered(row) for row in rows if f":{occasion}" in row.idempotency_key}


def opened(db: Database) -> Escalation:
    with db.unit_of_work() as uow:
        return uow.session.scalars(select(Escalation)).one()


def test_a_snoozed_alert_whose_pair_recovered_comes_back_saying_it_improved_not_that_it_struggles(
    db: Database,
) -> None:
    partnership_id = seeded(db)
    tick(db, NOW + timedelta(weeks=2, hours=3))
    alert = opened(db)
    assert alert.state == "struggling"
    snoozed_at = NOW + timedelta(weeks=2, days=1)
    act = EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", alert.id, is_admin=False, now=snoozed_at)
    snooze_escalation(act, 7)  # by a facilitator, the day after it opened
    rated(db, partnership_id, NOW + timedelta(weeks=3), 5)
    tick(db, NOW + timedelta(weeks=3, hours=3))  # the board now says thriving
    tick(db, NOW + timedelta(weeks=3, days=1))  # the snooze has run out
    back = sent_on(db, "back")
    assert set(back) == {"U0FAC1", "U0FAC2"}
    card = back["U0FAC1"]
    assert "health is *thriving*" in card
    assert "both partners rate it well (5 and 5 of 5)" in card
    assert "health is *struggling*" not in card
    assert LOW not in card
    assert "Back from snooze: this partnership has improved since the alert opened" in card
    assert "may need you" not in card
    assert opened(db).state == "thriving"


def test_a_reminder_and_the_admins_copy_of_an_alert_whose_pair_recovered_show_how_it_stands_now(
    db: Database,
) -> None:
    partnership_id = seeded(db)
    sent_at = NOW + timedelta(weeks=2, hours=3)
    tick(db, sent_at)
    assert LOW in sent_on(db, "opened")["U0FAC1"]
    rated(db, partnership_id, NOW + timedelta(weeks=2, days=1), 5)
    tick(db, NOW + timedelta(weeks=2, days=1, hours=3))
    tick(db, sent_at + timedelta(hours=48))  # nobody said they would reach out
    reminder = sent_on(db, "reminder")["U0FAC1"]
    assert "health is *thriving*" in reminder
    assert LOW not in reminder
    assert "Still open: this partnership has improved since the alert opened" in reminder
    assert "*Resolve…* it" in reminder
    assert "may need you" not in reminder
    tick(db, sent_at + timedelta(hours=96))
    to_admins = sent_on(db, "admins")["U0ADMIN"]
    assert "health is *thriving*" in to_admins
    assert "may need you" not in to_admins
    assert LOW not in to_admins
