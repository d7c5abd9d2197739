"""A cohort archived (by hand: the app never archives one) while one of its alerts has no follow-up left,
claimed long ago or followed up twice: it is resolved as ended at the next follow-up pass all the same,
every copy redrawn, and nobody asked of it. Finding them costs a pass with nothing due no statement more."""

from __future__ import annotations

from collections.abc import Callable

from circles.domain.escalations import Outcome
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.follow_up import follow_up_unclaimed
from tests import escalation_world as w
from tests.escalation_world import FACILITATORS, SHARED_NOTE, World
from tests.integration.test_statements_at_scale import statements

ADMIN = "U0ADMIN"


def follow_up(db: Database, *days: float) -> Callable[[], None]:
    def following_up() -> None:
        with db.unit_of_work() as uow:
            for day in days:
                follow_up_unclaimed(uow.session, w.at(day), [ADMIN], decrypt=w.unseal)
            uow.commit()

    return following_up


def archive(db: Database, world: World, days: float) -> None:
    with db.unit_of_work() as uow:
        uow.session.get_one(Cohort, world.cohort_id).archived_at = w.at(days)
        uow.commit()


def stored(db: Database, escalation_id: int) -> Escalation:
    with db.reading() as unit:
        escalation = unit.session.get_one(Escalation, escalation_id)
        unit.session.expunge(escalation)
        return escalation


def messages(db: Database, method: str, since: float) -> list[tuple[str, str]]:
    with db.reading() as unit:
        at = w.at(since)
        rows = [row for row in w.outbox(unit.session) if row.created_at.replace(tzinfo=at.tzinfo) >= at]
        return [(row.channel or "", w.rendered(row)) for row in rows if row.method == method]


def test_a_claimed_alert_with_no_follow_up_left_is_resolved_as_ended_at_the_next_pass(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, False, w.at(1)))
    follow_up(db, 3)()  # past its first follow-up's time: claimed, so nothing more is planned
    assert stored(db, escalation_id).follow_up_at is None
    archive(db, world, 10)
    follow_up(db, 11)()

    escalation = stored(db, escalation_id)
    assert (escalation.status, escalation.outcome) == (EscalationStatus.RESOLVED, Outcome.ENDED.value)
    assert messages(db, "chat.postMessage", 10) == []  # nobody is reminded or asked
    redrawn = messages(db, "chat.update", 10)
    assert sorted(who for who, _ in redrawn) == sorted(f"D0{user}" for user in FACILITATORS)
    assert all("is reaching out" not in text and SHARED_NOTE not in text for _, text in redrawn)


def test_an_open_alert_followed_up_twice_is_resolved_as_ended_without_asking_the_admins_again(
    db: Database, world: World, escalation_id: int
) -> None:
    follow_up(db, 2, 4, 6)()  # reminded, then the admins asked: nothing more follows
    assert stored(db, escalation_id).follow_up_at is None
    archive(db, world, 10)
    follow_up(db, 10.01, 20)()

    assert stored(db, escalation_id).status is EscalationStatus.RESOLVED
    assert messages(db, "chat.postMessage", 10) == []


def test_a_pass_with_nothing_due_costs_as_much_beside_an_archived_cohorts_closed_alerts(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, False, w.at(1)))
    follow_up(db, 3)()
    idle = statements(db, follow_up(db, 5))
    archive(db, world, 10)
    follow_up(db, 11)()  # closes it

    assert statements(db, follow_up(db, 12)) == idle
    assert stored(db, escalation_id).status is EscalationStatus.RESOLVED
