"""A facilitator's copy of an alert that waited on Slack while another facilitator claimed or snoozed the
alert is drawn again as the alert now stands once it lands: never "nobody has said they will reach out"
with a Claim button on an alert someone has."""

from __future__ import annotations

from datetime import timedelta

from bot.gateway.record import Recorder
from bot.messages import render
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.open import open_escalations
from circles.services.escalations.snooze import snooze_escalation
from circles.services.outbox.queue import claim_due
from tests import escalation_world as w
from tests.escalation_world import World

A, B = "U0FAC1", "U0FAC2"


def open_with_b_waiting(db: Database, world: World) -> int:
    with db.unit_of_work() as uow:
        [opened] = open_escalations(
            uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal
        )
        for row in w.outbox(uow.session):
            if row.channel == A:  # A's copy went; B's still waits (Slack 5xx/429 for a while)
                row.status, row.result = OutboxStatus.SENT, {"ok": True, "channel": "D0A", "ts": "1.0"}
        uow.commit()
    return opened


def land_waiting(db: Database, days: float, posted: dict[str, str]) -> None:
    """A dispatch pass: what it posts to Slack, as Slack will show it, kept by channel."""
    recorder = Recorder(db, [])
    for row in claim_due(db.unit_of_work(), w.at(days), limit=50, claim_for=timedelta(minutes=5)):
        message = render(row.payload["template"], row.payload["args"])
        posted[row.channel or ""] = message.text + str(message.block_dicts())
        recorder.sent(row, {"ok": True, "channel": f"D0{row.channel}", "ts": "2.0"}, w.at(days))


def what_b_reads(db: Database, posted: dict[str, str]) -> str:
    """B's copy as it stands in Slack: the posted card, then every chat.update of it, in order."""
    land_waiting(db, 0.2, posted)  # any redraw queued when it landed goes too
    return posted.get("D0U0FAC2") or posted[B]


def test_a_copy_that_lands_after_a_claim_shows_who_has_it(db: Database, world: World) -> None:
    escalation_id = open_with_b_waiting(db, world)
    claim_escalation(EscalationAct(db.unit_of_work(), "T0001", A, escalation_id, False, w.at(0, 1)))
    posted: dict[str, str] = {}
    land_waiting(db, 0.1, posted)
    shown = what_b_reads(db, posted)
    assert "Nobody has said they will reach out yet" not in shown
    assert f"<@{A}> is reaching out" in shown


def test_a_copy_that_lands_after_a_snooze_shows_it_snoozed(db: Database, world: World) -> None:
    escalation_id = open_with_b_waiting(db, world)
    snooze_escalation(EscalationAct(db.unit_of_work(), "T0001", A, escalation_id, False, w.at(0, 1)), 7)
    posted: dict[str, str] = {}
    land_waiting(db, 0.1, posted)
    shown = what_b_reads(db, posted)
    assert "Snoozed by" in shown, shown[:300]
