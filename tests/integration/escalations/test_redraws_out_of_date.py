"""A redraw of an alert's copies waits in the outbox for its turn (Slack slow, 429s on chat.update), drawing
the alert as it stood when it was queued. Once someone acts on the alert (resolves, claims, snoozes, pauses
the pair), the press redraws every copy itself: a redraw queued before it never goes, so no copy goes back
to what is no longer so. A withdrawn copy's redraw, which shows nothing of the alert, still goes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.messages import render
from circles.domain.availability.going_away import AwayRequest
from circles.domain.escalations import Outcome
from circles.domain.vocabulary import EndReason, EscalationStatus, OutboxStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Escalation, OutboxMessage, Partnership
from circles.queries.escalations.redraws import AS_IT_STOOD, COPY, WITHDRAWN
from circles.services.availability.away import go_away
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.partnership import pause_from_escalation
from circles.services.escalations.resolve import resolve_escalation
from circles.services.escalations.snooze import snooze_escalation
from circles.services.outbox.queue import claim_due
from circles.services.partnerships.endings import end_partnerships
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import SHARED_NOTE, World
from tests.integration.escalations.test_new_facilitators import save_facilitators
from tests.integration.escalations.test_withdrawn_copies import sent_everywhere

AWAY, PRESENT, ADMIN = "U0FAC1", "U0FAC2", "U0ADMIN"


def act(db: Database, user: str, escalation_id: int, days: float) -> EscalationAct:
    return EscalationAct(db.unit_of_work(), "T0001", user, escalation_id, False, w.at(0, days * 24))


@pytest.fixture
def reopened(db: Database, world: World, escalation_id: int) -> int:
    """AWAY claimed the alert, then went away for weeks: the tick opened it again and queued a redraw of
    every copy, showing it open with its buttons, which Slack has not taken yet."""
    with db.unit_of_work() as uow:
        factories.member(uow.session, uow.session.get_one(Cohort, world.cohort_id), AWAY, Role.COACH)
        uow.commit()
    claim_escalation(act(db, AWAY, escalation_id, 1 / 24))
    go_away(db.unit_of_work(), "T0001", AWAY, AwayRequest(weeks=3), w.at(0, 2))
    with db.unit_of_work() as uow:
        follow_up_unclaimed(uow.session, w.at(0, 2), [ADMIN], decrypt=w.unseal)
        uow.commit()
    assert {row.channel for row in waiting(db, "chat.update")} == {f"D0{AWAY}", f"D0{PRESENT}"}
    return escalation_id


def end(db: Database, world: World, at: datetime) -> None:
    with db.unit_of_work() as uow:
        pair = uow.session.get_one(Partnership, world.partnership_id)
        end_partnerships(uow.session, [pair], EndReason.FACILITATOR, at)
        uow.commit()


def waiting(db: Database, method: str) -> list[OutboxMessage]:
    with db.reading() as unit:
        rows = w.outbox(unit.session)
        return [row for row in rows if row.method == method and row.status is OutboxStatus.PENDING]


def dispatched(db: Database, hours: float) -> list[tuple[str, str]]:
    """What the dispatcher, running now, still puts into the facilitators' DMs: (channel, as it reads)."""
    found = []
    for row in claim_due(db.unit_of_work(), w.at(0, hours), limit=50, claim_for=timedelta(minutes=5)):
        message = render(row.payload["template"], row.payload["args"])
        found.append((row.channel or "", row.method, message.text + str(message.block_dicts())))
    return [(channel, text) for channel, method, text in found if method == "chat.update"]


def test_a_resolution_keeps_the_redraws_queued_before_it_from_drawing_the_alert_open_again(
    db: Database, reopened: int
) -> None:
    view = resolve_escalation(act(db, PRESENT, reopened, 2.01 / 24), Outcome.RECONNECTED, "")
    assert view.card.status is EscalationStatus.RESOLVED  # the press redraws every copy as resolved

    assert dispatched(db, 2.1) == []
    with db.reading() as unit:
        assert unit.session.get_one(Escalation, reopened).status is EscalationStatus.RESOLVED


@pytest.mark.parametrize("change", ["claim", "snooze", "pause"])
def test_a_claim_a_snooze_or_a_pause_keeps_them_from_drawing_the_alert_as_it_was(
    db: Database, reopened: int, change: str
) -> None:
    pressed = act(db, PRESENT, reopened, 2.01 / 24)
    if change == "claim":
        claim_escalation(pressed)
    elif change == "snooze":
        snooze_escalation(pressed, 1)
    else:
        pause_from_escalation(pressed, request_key="pause-1")

    assert dispatched(db, 2.1) == []


def test_a_redraw_queued_after_the_change_still_goes(db: Database, world: World, reopened: int) -> None:
    claim_escalation(act(db, PRESENT, reopened, 2.01 / 24))
    end(db, world, w.at(0, 2.05))  # afterwards: every copy is redrawn as resolved, as ended

    redrawn = dispatched(db, 2.1)
    assert sorted(channel for channel, _ in redrawn) == [f"D0{AWAY}", f"D0{PRESENT}"]
    assert all("escalation_claim" not in text for _, text in redrawn)


def test_a_withdrawn_copys_redraw_still_goes_after_a_resolution(
    db: Database, world: World, escalation_id: int
) -> None:
    save_facilitators(db, [PRESENT], days=0.05)  # AWAY taken off: their copy is to lose the pair
    [withdrawn] = waiting(db, "chat.update")
    resolve_escalation(act(db, PRESENT, escalation_id, 0.06), Outcome.RECONNECTED, "")

    assert [row.id for row in waiting(db, "chat.update")] == [withdrawn.id]
    assert withdrawn.idempotency_key.startswith(f"{WITHDRAWN}:{escalation_id}:")


def test_every_redraw_of_an_alert_is_keyed_under_a_family_a_change_supersedes_or_a_withdrawal(
    db: Database, world: World, reopened: int
) -> None:
    save_facilitators(db, [PRESENT], days=0.2)  # withdrawn
    save_facilitators(db, [AWAY, PRESENT], days=0.3)  # drawn in full again
    end(db, world, w.at(0.4))  # resolved as ended

    with db.reading() as unit:
        keys = unit.session.scalars(select(OutboxMessage.idempotency_key)).all()
    families = {key.split(":")[0] for key in keys}
    assert families == {COPY, WITHDRAWN, *AS_IT_STOOD} - {"escalation-landed"}  # none landed late here


def test_a_copy_drawn_in_full_again_for_one_put_back_never_goes_once_a_facilitator_resolved_the_alert(
    db: Database, world: World, escalation_id: int
) -> None:
    """The press draws every copy as resolved at once; an ending by the app queues its redraws behind this one
    instead (each conversation in order), so there it goes, cleaned of whatever erasure took."""
    save_facilitators(db, [PRESENT], days=0.1)  # AWAY taken off: their copy withdrawn
    sent_everywhere(db)
    save_facilitators(db, [AWAY, PRESENT], days=0.2)  # put back: their copy drawn in full again, notes too
    [restored] = waiting(db, "chat.update")
    resolve_escalation(act(db, PRESENT, escalation_id, 0.3), Outcome.RECONNECTED, "")

    with db.reading() as unit:
        superseded = unit.session.get_one(OutboxMessage, restored.id)
        assert superseded.status is OutboxStatus.SUPERSEDED
        assert superseded.payload["args"] == {}  # never sent: the partners' notes it quoted are dropped
    redrawn = dispatched(db, 8)
    assert all("escalation_claim" not in text and SHARED_NOTE not in text for _, text in redrawn)
