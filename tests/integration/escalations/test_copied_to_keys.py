"""The alerts someone was sent a copy of are found by their copies' keys, `escalation:<id>:<person>:…`: not by
keys that only look alike, nor by a copy that never reached them."""

from __future__ import annotations

from circles.domain.vocabulary import EscalationStatus, OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation
from circles.queries.escalations import copied_to
from circles.queries.outbox.rows import NewMessage, add_new
from tests import escalation_world as w
from tests.escalation_world import World


def earlier_alert(db: Database, world: World) -> int:
    """A resolved alert of the pair, sent to the second facilitator only, with rows that resemble its copies
    to the first: under another template's key, or never sent."""
    with db.unit_of_work() as uow:
        resolved = Escalation(
            workspace_id=world.workspace_id,
            cohort_id=world.cohort_id,
            partnership_id=world.partnership_id,
            status=EscalationStatus.RESOLVED,
            opened_at=w.at(-30),
            resolved_at=w.at(-29),
        )
        uow.session.add(resolved)
        uow.session.flush()
        rows = [
            (f"escalation:{resolved.id}:U0FAC2:open", "U0FAC2", OutboxStatus.SENT),
            (f"escalations:{resolved.id}:U0FAC1:open", "U0FAC1", OutboxStatus.SENT),
            (f"escalation:{resolved.id}:U0FAC1:open", "U0FAC1", OutboxStatus.FAILED),
        ]
        messages = [
            NewMessage(world.workspace_id, key, "chat.postMessage", to, {"template": "x"}, w.at(-30), status)
            for key, to, status in rows
        ]
        add_new(uow.session, messages, w.at(-30))
        uow.commit()
        return resolved.id


def copied(db: Database, world: World, *people: str) -> list[int]:
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, world.cohort_id)
        return [escalation.id for escalation in copied_to(uow.session, cohort, people)]


def test_the_alerts_a_facilitator_was_sent_are_found_by_their_copies_keys_and_no_others(
    db: Database, world: World, escalation_id: int
) -> None:
    earlier = earlier_alert(db, world)
    assert copied(db, world, "U0FAC1") == [escalation_id]
    assert copied(db, world, "U0FAC2") == sorted([escalation_id, earlier])
    assert copied(db, world, "U0FAC1", "U0FAC2") == sorted([escalation_id, earlier])
    assert copied(db, world, "U0OTHER") == []
