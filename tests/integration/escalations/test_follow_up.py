"""Escalations nobody picks up are sent again, then to the admins, once each; snoozes come back."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.vocabulary import EndReason, EscalationStatus, PartnershipStatus
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, EscalationEvent, Partnership
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.open import follow_up_unclaimed, open_escalations
from circles.services.escalations.snooze import snooze_escalation
from tests import escalation_world as w
from tests.escalation_world import FACILITATORS, REASON, SHARED_NOTE, World


def follow_up(db: Database, world: World, days: float = 0, hours: float = 0) -> int:
    admins = {world.workspace_id: ["U0ADMIN", "U0FAC1"], world.workspace_id + 1: ["U0ELSEWHERE"]}
    with db.unit_of_work() as uow:
        taken = follow_up_unclaimed(uow.session, w.at(days, hours), admins, decrypt=w.unseal)
        uow.commit()
    return taken


def sent_on(db: Database, occasion: str) -> dict[str, str]:
    """Recipient → what they will see, for the escalation DMs of one occasion."""
    with db.unit_of_work() as uow:
        rows = w.outbox(uow.session)
    return {
        row.channel or "": w.rendered(row) for row in rows if row.idempotency_key.endswith(f":{occasion}")
    }


def actions(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(EscalationEvent.action).order_by(EscalationEvent.id)))


def test_unclaimed_it_goes_again_to_the_facilitators_then_to_the_admins_once_each(
    db: Database, world: World, escalation_id: int
) -> None:
    assert follow_up(db, world, hours=47) == 0
    assert follow_up(db, world, hours=48) == 1
    reminders = sent_on(db, "reminder1")
    assert set(reminders) == set(FACILITATORS)
    assert all("Still waiting" in text and SHARED_NOTE in text for text in reminders.values())
    assert follow_up(db, world, hours=60) == 0  # the admins' turn counts from the reminder
    assert follow_up(db, world, hours=96) == 1
    to_admins = sent_on(db, "admins1")
    assert set(to_admins) == {"U0ADMIN"}  # a facilitator who is also an admin already has it
    assert REASON in to_admins["U0ADMIN"]
    assert SHARED_NOTE not in to_admins["U0ADMIN"]  # notes were shared with facilitators only
    assert follow_up(db, world, days=30) == 0
    assert actions(db) == ["opened", "reminded", "sent_to_admins"]
    with db.unit_of_work() as uow:
        events = uow.session.scalars(select(EscalationEvent).order_by(EscalationEvent.id)).all()
        assert [(e.actor, e.at, e.detail.get("to")) for e in events[1:]] == [
            ("circles", w.at(hours=48), list(FACILITATORS)),
            ("circles", w.at(hours=96), ["U0ADMIN"]),
        ]


def test_the_cohorts_own_hours_decide_when_to_follow_up(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, world.cohort_id)
        cohort.health_thresholds = HealthThresholds(unclaimed_escalation_hours=6).to_json()
        uow.commit()
    assert follow_up(db, world, hours=5) == 0
    assert follow_up(db, world, hours=6) == 1
    assert follow_up(db, world, hours=12) == 1
    assert actions(db) == ["opened", "reminded", "sent_to_admins"]


def test_a_claimed_escalation_is_not_followed_up(db: Database, world: World, escalation_id: int) -> None:
    claim_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC2", escalation_id, is_admin=False, now=w.at(hours=1))
    )
    assert follow_up(db, world, days=10) == 0
    assert actions(db) == ["opened", "claimed"]


def test_a_workspace_without_admins_records_the_step_and_sends_nothing(
    db: Database, world: World, escalation_id: int
) -> None:
    with db.unit_of_work() as uow:
        assert follow_up_unclaimed(uow.session, w.at(hours=48), {}) == 1
        assert follow_up_unclaimed(uow.session, w.at(hours=96), {}) == 1
        assert follow_up_unclaimed(uow.session, w.at(hours=200), {}) == 0
        uow.commit()
    assert sent_on(db, "admins1") == {}
    assert actions(db) == ["opened", "reminded", "sent_to_admins"]


def test_when_a_snooze_ends_the_alert_comes_back_and_its_follow_ups_start_afresh(
    db: Database, world: World, escalation_id: int
) -> None:
    assert follow_up(db, world, hours=48) == 1
    snooze_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(3)), 3
    )
    assert follow_up(db, world, days=5.9) == 0  # asleep: no reminders, no admins
    assert follow_up(db, world, days=6) == 1
    back = sent_on(db, "back2")
    assert set(back) == set(FACILITATORS)
    assert "Back from snooze" in next(iter(back.values()))
    with db.unit_of_work() as uow:
        escalation = uow.session.get_one(Escalation, escalation_id)
        assert (escalation.status, escalation.snoozed_until) == (EscalationStatus.OPEN, None)
    assert follow_up(db, world, days=7.9) == 0
    assert follow_up(db, world, days=8) == 1
    assert set(sent_on(db, "reminder2")) == set(FACILITATORS)
    assert actions(db) == ["opened", "reminded", "snoozed", "resurfaced", "reminded"]


def test_a_claimed_then_snoozed_alert_comes_back_still_claimed(
    db: Database, world: World, escalation_id: int
) -> None:
    claim_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC2", escalation_id, is_admin=False, now=w.at(1))
    )
    snooze_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC2", escalation_id, is_admin=False, now=w.at(1)), 1
    )
    assert follow_up(db, world, days=2) == 1
    assert "<@U0FAC2> is reaching out" in sent_on(db, "back2")["U0FAC1"]
    with db.unit_of_work() as uow:
        assert uow.session.get_one(Escalation, escalation_id).status is EscalationStatus.CLAIMED
    assert follow_up(db, world, days=20) == 0


def test_an_escalation_whose_cohort_holds_an_odd_threshold_is_skipped_and_the_others_followed_up(
    db: Database, world: World, escalation_id: int, caplog: pytest.LogCaptureFixture
) -> None:
    with db.unit_of_work() as uow:
        other = w.build(uow.session, "T0002", "other")
        uow.session.get_one(Cohort, other.cohort_id).health_thresholds = {
            "unclaimed_escalation_hours": 10**9  # an old version let it in: past what a date can hold
        }
        uow.commit()
    with db.unit_of_work() as uow:
        [odd] = open_escalations(uow.session, [w.struggling(other.partnership_id)], w.at(), decrypt=w.unseal)
        uow.session.get_one(Escalation, odd).follow_up_at = w.at()  # as an older version left it
        uow.commit()
    with caplog.at_level(logging.WARNING):
        assert follow_up(db, world, hours=48) == 1  # the sound one is reminded
    assert f"follow-up skipped escalation {odd}" in caplog.text
    assert follow_up(db, world, hours=49) == 0  # the odd one waits for a signal, not every pass
    assert set(sent_on(db, "reminder1")) == set(FACILITATORS)


def end_the_partnership(db: Database, world: World, days: float) -> None:
    """Ended by a route that is not the alert's (a partner's form, leaving, the cohort's end)."""
    with db.unit_of_work() as uow:
        pair = uow.session.get_one(Partnership, world.partnership_id)
        pair.status, pair.end_reason, pair.ended_at = PartnershipStatus.ENDED, EndReason.NO_FAULT, w.at(days)
        uow.commit()


def test_an_alert_whose_partnership_ended_is_resolved_as_ended_and_nobody_is_reminded(
    db: Database, world: World, escalation_id: int
) -> None:
    end_the_partnership(db, world, days=1)
    assert follow_up(db, world, hours=48) == 0
    assert follow_up(db, world, days=30) == 0
    assert sent_on(db, "reminder1") == {}
    assert sent_on(db, "admins1") == {}
    with db.unit_of_work() as uow:
        escalation = uow.session.get_one(Escalation, escalation_id)
        assert (escalation.status, escalation.outcome) == (EscalationStatus.RESOLVED, "ended")
    assert actions(db) == ["opened", "resolved"]


def test_a_snoozed_alert_whose_partnership_ended_does_not_come_back(
    db: Database, world: World, escalation_id: int
) -> None:
    snooze_escalation(
        EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", escalation_id, is_admin=False, now=w.at(1)), 3
    )
    end_the_partnership(db, world, days=2)
    assert follow_up(db, world, days=4) == 0
    assert follow_up(db, world, days=30) == 0
    assert sent_on(db, "back2") == {}
    assert actions(db) == ["opened", "snoozed", "resolved"]
