"""A facilitator who said "I'll reach out" and is then taken off the cohort (a new chief resident, a
rota change): the alert does not stay "reaching out" forever with nobody reaching out. It is open again,
before the facilitators who stay, and followed up like any alert nobody has."""

from __future__ import annotations

from sqlalchemy import select

from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Database
from circles.persistence.models import Escalation, EscalationEvent
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.snooze import snooze_escalation
from circles.services.people.left_slack import left_slack
from tests import escalation_world as w
from tests.escalation_world import REASON, SHARED_NOTE, World
from tests.integration.escalations.test_new_facilitators import NEWCOMER, save_facilitators

LEAVING, STAYING = "U0FAC1", "U0FAC2"


def act(db: Database, user: str, escalation_id: int, days: float) -> EscalationAct:
    return EscalationAct(db.unit_of_work(), "T0001", user, escalation_id, is_admin=False, now=w.at(days))


def stored(db: Database, escalation_id: int) -> Escalation:
    with db.unit_of_work() as uow:
        escalation = uow.session.get_one(Escalation, escalation_id)
        uow.session.expunge(escalation)
        return escalation


def sent_after(db: Database, escalation_id: int, days: float) -> dict[str, list[str]]:
    """The escalation DMs recorded from that day on, by person, as they will read."""
    found: dict[str, list[str]] = {}
    with db.unit_of_work() as uow:
        for row in w.outbox(uow.session):
            if row.created_at >= w.at(days) and f"escalation:{escalation_id}:" in row.idempotency_key:
                found.setdefault(row.channel or "", []).append(w.rendered(row))
    return found


def actions(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(EscalationEvent.action).order_by(EscalationEvent.id)))


def test_an_alert_claimed_by_a_facilitator_taken_off_is_open_again_before_those_who_stay(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(act(db, LEAVING, escalation_id, 1))
    save_facilitators(db, [STAYING], days=2)

    escalation = stored(db, escalation_id)
    assert (escalation.status, escalation.claimed_by, escalation.claimed_at) == (
        EscalationStatus.OPEN,
        None,
        None,
    )
    sent = sent_after(db, escalation_id, 2)
    assert list(sent) == [STAYING]  # never to the one taken off, who no longer sees the cohort's alerts
    [shown] = sent[STAYING]
    assert "open again" in shown.lower()
    assert REASON in shown
    assert SHARED_NOTE in shown  # as on their other copies: a facilitator's card
    assert "is reaching out" not in shown
    assert actions(db)[-1] == "released"


def test_the_alert_open_again_is_followed_up_from_then_like_any_nobody_has(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(act(db, LEAVING, escalation_id, 1))
    save_facilitators(db, [STAYING], days=10)
    with db.unit_of_work() as uow:
        assert follow_up_unclaimed(uow.session, w.at(10, 47), ["U0ADMIN"], decrypt=w.unseal) == 0
        assert follow_up_unclaimed(uow.session, w.at(10, 49), ["U0ADMIN"], decrypt=w.unseal) == 1
        uow.commit()
    assert actions(db)[-2:] == ["released", "reminded"]


def test_a_newcomer_added_in_the_same_save_sees_it_open(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(act(db, LEAVING, escalation_id, 1))
    save_facilitators(db, [STAYING, NEWCOMER], days=2)
    sent = sent_after(db, escalation_id, 2)
    assert set(sent) == {STAYING, NEWCOMER}
    for copies in sent.values():
        assert all("is reaching out" not in copy for copy in copies)


def test_a_snoozed_alert_they_had_claimed_stays_snoozed_and_comes_back_open(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(act(db, LEAVING, escalation_id, 1))
    snooze_escalation(act(db, LEAVING, escalation_id, 1), 7)
    save_facilitators(db, [STAYING], days=2)

    escalation = stored(db, escalation_id)
    assert (escalation.status, escalation.claimed_by) == (EscalationStatus.SNOOZED, None)
    assert sent_after(db, escalation_id, 2) == {}  # snoozed: nobody is asked before it comes back
    with db.unit_of_work() as uow:
        follow_up_unclaimed(uow.session, w.at(9), ["U0ADMIN"], decrypt=w.unseal)
        uow.commit()
    assert stored(db, escalation_id).status is EscalationStatus.OPEN


def test_alerts_claimed_by_those_who_stay_are_left_as_they_are(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(act(db, STAYING, escalation_id, 1))
    save_facilitators(db, [STAYING], days=2)
    escalation = stored(db, escalation_id)
    assert (escalation.status, escalation.claimed_by) == (EscalationStatus.CLAIMED, STAYING)
    assert sent_after(db, escalation_id, 2) == {}
    assert actions(db)[-1] == "claimed"


def test_an_alert_open_again_never_reaches_a_facilitator_who_is_one_of_the_pair(
    db: Database, world: World, escalation_id: int
) -> None:
    save_facilitators(db, [LEAVING, STAYING, "U0COACH"], days=0.5)  # the pair's coach facilitates too
    claim_escalation(act(db, LEAVING, escalation_id, 1))
    save_facilitators(db, [STAYING, "U0COACH"], days=2)

    sent = sent_after(db, escalation_id, 2)
    assert list(sent) == [STAYING]
    assert "U0COACH" not in sent


def test_an_alert_claimed_by_a_facilitator_whose_slack_account_was_deactivated_is_open_again(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(act(db, LEAVING, escalation_id, 1))
    left_slack(db, "T0001", LEAVING, w.at(2), decrypt=w.unseal)  # nobody can answer for them any more

    escalation = stored(db, escalation_id)
    assert (escalation.status, escalation.claimed_by) == (EscalationStatus.OPEN, None)
    sent = sent_after(db, escalation_id, 2)
    assert list(sent) == [STAYING]
    [shown] = sent[STAYING]
    assert "open again" in shown.lower()
    assert SHARED_NOTE in shown
    assert actions(db)[-1] == "released"
    left_slack(db, "T0001", LEAVING, w.at(2), decrypt=w.unseal)  # Slack tells of it again: nothing more
    assert len(sent_after(db, escalation_id, 2)[STAYING]) == 1
