"""From an alert, facilitators pause or end the partnership: partners told what, never why or who."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import EndReason, EscalationStatus, PartnershipStatus
from circles.errors import EscalationClosed, PartnershipOver
from circles.persistence.db import Database
from circles.persistence.models import Escalation, EscalationEvent, OutboxMessage, Partnership
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.partnership import end_from_escalation, pause_from_escalation
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import REASON, SHARED_NOTE, World


def stored(db: Database, escalation_id: int) -> Escalation:
    with db.unit_of_work() as uow:
        return uow.session.get_one(Escalation, escalation_id)


def trail(db: Database) -> list[tuple[str, str]]:
    with db.unit_of_work() as uow:
        events = uow.session.scalars(select(EscalationEvent).order_by(EscalationEvent.id))
        return [(e.actor, e.action) for e in events]


def partner_messages(db: Database) -> dict[str, list[str]]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.payload["template"].as_string() != "escalation")
        )
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(row.channel or "", []).append(w.rendered(row))
    return found


def test_pausing_from_the_alert_tells_both_partners_it_is_paused_and_nothing_else(
    db: Database, world: World, escalation_id: int
) -> None:
    view = pause_from_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(1)),
        request_key=factories.request_key(),
    )
    pause_from_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(2)),
        request_key=factories.request_key(),
    )
    with db.unit_of_work() as uow:
        assert uow.session.get_one(Partnership, world.partnership_id).status is PartnershipStatus.PAUSED
    told = partner_messages(db)
    assert set(told) == {"U0COACH", "U0LEARN"}
    for [text] in told.values():  # paused twice, told once
        assert "paused" in text
        for secret in ("U0FAC1", REASON, SHARED_NOTE, "struggling"):
            assert secret not in text
    assert trail(db) == [("circles", "opened"), ("U0FAC1", "paused_partnership")]
    assert view.card.partnership_status is PartnershipStatus.PAUSED
    assert stored(db, escalation_id).status is EscalationStatus.OPEN


def test_ending_from_the_alert_is_no_fault_and_resolves_it(
    db: Database, world: World, escalation_id: int
) -> None:
    ended = end_from_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC2", escalation_id, is_admin=False, now=w.at(1)),
        rematch=False,
        request_key=factories.request_key(),
    )
    assert ended.partners == ("U0COACH", "U0LEARN")
    with db.unit_of_work() as uow:
        pair = uow.session.get_one(Partnership, world.partnership_id)
        assert (pair.status, pair.end_reason, pair.ended_at) == (
            PartnershipStatus.ENDED,
            EndReason.FACILITATOR,
            w.at(1),
        )
    assert stored(db, escalation_id).outcome == "ended"
    assert trail(db) == [("circles", "opened"), ("U0FAC2", "ended_partnership"), ("U0FAC2", "resolved")]
    told = partner_messages(db)
    assert set(told) == {"U0COACH", "U0LEARN"}
    for [text] in told.values():
        assert "has ended" in text
        assert "U0FAC2" not in text
    with pytest.raises(EscalationClosed):
        pause_from_escalation(
            EscalationAct(db.unit_of_work(), "T0001", "U0FAC2", escalation_id, is_admin=False, now=w.at(2)),
            request_key=factories.request_key(),
        )


def test_suggesting_a_re_match_ends_it_as_re_matched_and_names_both_partners(
    db: Database, world: World, escalation_id: int
) -> None:
    ended = end_from_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(1)),
        rematch=True,
        request_key=factories.request_key(),
    )
    assert (ended.slug, ended.partners) == ("pgy1", ("U0COACH", "U0LEARN"))
    with db.unit_of_work() as uow:
        assert uow.session.get_one(Partnership, world.partnership_id).end_reason is EndReason.REMATCHED
    assert stored(db, escalation_id).outcome == "rematched"
    assert trail(db)[1:] == [("U0FAC1", "suggested_rematch"), ("U0FAC1", "resolved")]


def test_a_pair_that_already_ended_cannot_be_paused_but_the_alert_can_still_close(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:
        uow.session.get_one(Partnership, world.partnership_id).status = PartnershipStatus.ENDED
        uow.commit()
    with pytest.raises(PartnershipOver):
        pause_from_escalation(
            EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(1)),
            request_key=factories.request_key(),
        )
    end_from_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(1)),
        rematch=True,
        request_key=factories.request_key(),
    )
    assert stored(db, escalation_id).status is EscalationStatus.RESOLVED
    assert partner_messages(db) == {}  # they were told when it ended, not again
