"""From an alert, facilitators pause or end the partnership: partners told what, never why or who."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import EndReason, EscalationStatus, PartnershipStatus
from circles.errors import EscalationClosed, PartnershipOver
from circles.messages import Claim
from circles.persistence.db import Database
from circles.persistence.models import Escalation, EscalationEvent, OutboxMessage, Partnership
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.partnership import end_from_escalation, pause_from_escalation
from circles.services.escalations.snooze import snooze_escalation
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import FACILITATORS, REASON, SHARED_NOTE, World


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
    assert trail(db) == [("circles", "opened"), ("U0FAC1", "claimed"), ("U0FAC1", "paused_partnership")]
    assert view.card.partnership_status is PartnershipStatus.PAUSED


def test_whoever_pauses_from_the_alert_has_it_and_nobody_is_reminded_of_it_nor_the_admins_told(
    db: Database, world: World, escalation_id: int
) -> None:
    view = pause_from_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(0, 1)),
        request_key=factories.request_key(),
    )
    # Every facilitator's copy is redrawn showing who has it, and that the pair is paused.
    assert {copy.channel for copy in view.copies} == {"D0U0FAC1", "D0U0FAC2"}
    assert view.card.claim == Claim("U0FAC1", w.at(0, 1))
    assert view.card.partnership_status is PartnershipStatus.PAUSED
    with db.unit_of_work() as uow:
        for days in (2, 4, 6):
            follow_up_unclaimed(uow.session, w.at(days), ["U0ADMIN"], decrypt=w.unseal)
        uow.commit()
    assert stored(db, escalation_id).status is EscalationStatus.CLAIMED
    assert trail(db) == [("circles", "opened"), ("U0FAC1", "claimed"), ("U0FAC1", "paused_partnership")]
    with db.unit_of_work() as uow:
        alerts = {
            row.idempotency_key
            for row in w.outbox(uow.session)
            if row.idempotency_key.startswith("escalation:")
        }
    assert alerts == {f"escalation:{escalation_id}:{user}:opened" for user in FACILITATORS}


def test_pausing_an_alert_another_facilitator_took_up_leaves_it_theirs(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC2", escalation_id, is_admin=False, now=w.at(0, 1))
    )
    view = pause_from_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(0, 2)),
        request_key=factories.request_key(),
    )
    assert view.card.claim == Claim("U0FAC2", w.at(0, 1))
    assert trail(db)[1:] == [("U0FAC2", "claimed"), ("U0FAC1", "paused_partnership")]


def test_pausing_a_snoozed_alert_nobody_had_makes_it_theirs_rather_than_back_before_everyone(
    db: Database, world: World, escalation_id: int
) -> None:
    snooze_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC2", escalation_id, is_admin=False, now=w.at(0, 1)), 1
    )
    pause_from_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(0, 2)),
        request_key=factories.request_key(),
    )
    with db.unit_of_work() as uow:
        follow_up_unclaimed(uow.session, w.at(3), ["U0ADMIN"], decrypt=w.unseal)
        uow.commit()
    escalation = stored(db, escalation_id)
    assert (escalation.status, escalation.claimed_by) == (EscalationStatus.CLAIMED, "U0FAC1")
    assert ("circles", "resurfaced") not in trail(db)


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
