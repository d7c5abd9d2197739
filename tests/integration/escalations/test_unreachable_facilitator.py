"""An alert whose only facilitator has left the workspace reaches the admins at the next tick, not days on."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from bot.gateway.record import Recorder
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, EscalationEvent, Facilitator
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.open import open_escalations
from circles.services.outbox.queue import claim_due
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import REASON, SHARED_NOTE, World

ADMIN = "U0ADMIN"
GONE = "U0GONE"


def only_facilitators(db: Database, world: World, *users: str) -> None:
    with db.unit_of_work() as uow:
        uow.session.execute(delete(Facilitator).where(Facilitator.cohort_id == world.cohort_id))
        for user in users:
            factories.facilitator(
                uow.session, uow.session.get_one(Cohort, world.cohort_id), user, flush=False
            )
        uow.commit()


def open_now(db: Database, world: World) -> int:
    with db.unit_of_work() as uow:
        [opened] = open_escalations(
            uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal, admins=[ADMIN]
        )
        uow.commit()
    follow_up(db, w.at())  # the same tick looks at it once: its follow-up is then two days on
    return opened


def send_failing(db: Database, at: datetime, failures: dict[str, str]) -> None:
    """A dispatch pass in which Slack refuses these people's DMs with these errors; the rest are sent."""
    recorder = Recorder(db, [ADMIN])
    for row in claim_due(db.unit_of_work(), at, limit=50, claim_for=timedelta(minutes=5)):
        if row.channel in failures:
            recorder.failed(row, failures[row.channel], at)
        else:
            recorder.sent(row, {"ok": True, "channel": f"D{row.channel}", "ts": "1.1"}, at)


def follow_up(db: Database, at: datetime) -> None:
    with db.unit_of_work() as uow:
        follow_up_unclaimed(uow.session, at, [ADMIN], decrypt=w.unseal)
        uow.commit()


def follow_up_at(db: Database, escalation_id: int) -> datetime | None:
    with db.unit_of_work() as uow:
        return uow.session.get_one(Escalation, escalation_id).follow_up_at


def test_an_alert_its_only_facilitator_cannot_receive_is_due_for_follow_up_at_once(
    db: Database, world: World
) -> None:
    only_facilitators(db, world, GONE)
    escalation_id = open_now(db, world)
    failed_at = w.at(hours=1)
    send_failing(db, failed_at, {GONE: "user_disabled"})
    assert follow_up_at(db, escalation_id) == failed_at


def test_the_next_tick_sends_it_to_the_admins_once_without_the_partners_notes(
    db: Database, world: World
) -> None:
    only_facilitators(db, world, GONE)
    escalation_id = open_now(db, world)
    send_failing(db, w.at(hours=1), {GONE: "user_not_found"})
    for hours in (1, 2):
        follow_up(db, w.at(hours=hours))
    for days in (2, 4, 6):  # the follow-ups that would have come find nothing more to do
        follow_up(db, w.at(days))
    with db.unit_of_work() as uow:
        rows = w.outbox(uow.session)
        assert [(row.channel, row.status) for row in rows] == [
            (GONE, OutboxStatus.FAILED),
            (ADMIN, OutboxStatus.PENDING),
        ]
        admin = rows[1]
        assert admin.idempotency_key == f"escalation:{escalation_id}:{ADMIN}:admins1"
        assert admin.due_at == w.at(hours=1)
        shown = w.rendered(admin)
        assert REASON in shown
        assert SHARED_NOTE not in shown
        actions = [
            e.action for e in uow.session.scalars(select(EscalationEvent).order_by(EscalationEvent.id))
        ]
        assert actions == ["opened", "sent_to_admins"]


def test_a_facilitator_added_since_is_asked_with_the_admins(db: Database, world: World) -> None:
    only_facilitators(db, world, GONE)
    escalation_id = open_now(db, world)
    send_failing(db, w.at(hours=1), {GONE: "user_disabled"})
    only_facilitators(db, world, GONE, "U0NEW")
    follow_up(db, w.at(hours=2))
    with db.unit_of_work() as uow:
        keys = [row.idempotency_key for row in w.outbox(uow.session)][1:]
        assert keys == [
            f"escalation:{escalation_id}:U0NEW:reminder1",
            f"escalation:{escalation_id}:{ADMIN}:admins1",
        ]


def test_while_another_facilitator_has_the_alert_the_follow_up_keeps_its_time(
    db: Database, world: World
) -> None:
    only_facilitators(db, world, GONE, "U0HERE")
    escalation_id = open_now(db, world)
    send_failing(db, w.at(hours=1), {GONE: "user_disabled"})
    follow_up(db, w.at(hours=2))
    with db.unit_of_work() as uow:
        assert [row.channel for row in w.outbox(uow.session)] == [GONE, "U0HERE"]
    assert follow_up_at(db, escalation_id) == w.at(2)


def test_a_failure_that_is_not_about_the_person_changes_nothing(db: Database, world: World) -> None:
    only_facilitators(db, world, GONE)
    escalation_id = open_now(db, world)
    send_failing(db, w.at(hours=1), {GONE: "invalid_blocks"})
    assert follow_up_at(db, escalation_id) == w.at(2)
