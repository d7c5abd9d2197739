"""An alert copy still waiting to go (Slack failing, a worker down) never goes out once the alert is closed:
nobody later receives an open alert, with the partners' notes, about a pair that ended or was resolved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.escalations import Outcome
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.open import open_escalations
from circles.services.escalations.resolve import resolve_escalation
from circles.services.outbox.queue import claim_due
from circles.services.partnerships.changes import end_partnership
from circles.services.people.membership import leave
from tests import escalation_world as w
from tests.dispatching import given_up
from tests.escalation_world import SHARED_NOTE, World


@pytest.fixture
def half_sent(db: Database, world: World) -> int:
    """Opened at w.at(); the first facilitator's DM sent, the second's still waiting (Slack said 503)."""
    with db.unit_of_work() as uow:
        [opened] = open_escalations(
            uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal
        )
        for row in w.outbox(uow.session):
            if row.channel == "U0FAC1":
                row.status, row.result = OutboxStatus.SENT, {"ok": True, "channel": "D0U0FAC1", "ts": "1.1"}
            else:
                row.attempts = 1  # waits for its retry
        uow.commit()
    return opened


def waiting_alert_posts(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.method == "chat.postMessage",
                OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED]),
            )
        )
        return [row for row in rows if row.payload["template"] == "escalation"]


def test_the_waiting_copy_is_ready_to_go_while_the_alert_is_open(db: Database, half_sent: int) -> None:
    [waiting] = waiting_alert_posts(db)
    assert waiting.channel == "U0FAC2"
    assert SHARED_NOTE in w.rendered(waiting)


def test_a_partner_ending_the_partnership_stops_the_waiting_copy_and_drops_the_notes_from_it(
    db: Database, world: World, half_sent: int
) -> None:
    end_partnership(
        db.unit_of_work(), "T0001", "U0LEARN", world.partnership_id, "", w.at(1), request_key="k1"
    )
    assert waiting_alert_posts(db) == []
    with db.unit_of_work() as uow:
        copies = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "U0FAC2"))
        [stopped] = [row for row in copies if row.payload["template"] == "escalation"]
        assert stopped.status is OutboxStatus.SUPERSEDED
        assert SHARED_NOTE not in str(stopped.payload)


def test_a_partner_leaving_the_cohort_stops_the_waiting_copy(db: Database, half_sent: int) -> None:
    leave(db.unit_of_work(), "T0001", "pgy1", "U0COACH", w.at(1))
    assert waiting_alert_posts(db) == []


def test_a_facilitator_resolving_the_alert_stops_the_copy_still_waiting_for_the_other(
    db: Database, half_sent: int
) -> None:
    act = EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", half_sent, is_admin=False, now=w.at(1))
    resolve_escalation(act, Outcome.RECONNECTED, "")
    assert waiting_alert_posts(db) == []


def test_a_copy_being_sent_as_the_alert_is_resolved_is_not_tried_again_when_slack_fails_it(
    db: Database, half_sent: int
) -> None:
    """The sender holds the second facilitator's copy as the first resolves; Slack answers 503: the open
    alert, with the partners' notes, is not put back to arrive after the fact."""
    [claimed] = claim_due(db.unit_of_work(), w.at(1), limit=10, claim_for=timedelta(minutes=5))
    assert claimed.channel == "U0FAC2"
    act = EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", half_sent, is_admin=False, now=w.at(1))
    resolve_escalation(act, Outcome.RECONNECTED, "")
    later = w.at(1) + timedelta(minutes=1)
    given_up(db, claimed, "http_503", later, claimed.trail)
    assert waiting_alert_posts(db) == []
    assert (
        claim_due(db.unit_of_work(), later + timedelta(hours=1), limit=10, claim_for=timedelta(minutes=5))
        == []
    )
