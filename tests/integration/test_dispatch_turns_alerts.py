"""An alert's copies, claimed together, go one at a time at the workspace's pace: whatever happens to the
alert or its readers while a copy waits its turn, or while its call is on its way, is never left in a DM."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bot.dispatch import DispatchOptions, dispatch
from bot.gateway import Clients, Gateway
from bot.gateway import Outcome as Sending
from circles.domain.escalations import Outcome
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.open import open_escalations
from circles.services.escalations.resolve import resolve_escalation
from circles.services.outbox.queue import Claimed
from standin import SlackStandIn
from tests import escalation_world as w
from tests.dispatching import FakeClock, deps_for, rows
from tests.escalation_world import FACILITATORS, SHARED_NOTE
from tests.integration.escalations.test_new_facilitators import save_facilitators

WHEN = w.at(0.02)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


@pytest.fixture
def alert(db: Database) -> int:
    """An open alert, one copy queued for each of the cohort's two facilitators."""
    with db.unit_of_work() as uow:
        world = w.build(uow.session)
        uow.commit()
    with db.unit_of_work() as uow:
        [opened] = open_escalations(
            uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal
        )
        uow.commit()
    return opened


class Meanwhile(Gateway):
    """Sends as Slack would; `in_flight` runs once, as the first alert copy's call is on its way."""

    def __init__(self, clients: Clients, in_flight: Callable[[Claimed], None] | None = None) -> None:
        super().__init__(clients)
        self.sent: list[Claimed] = []
        self._in_flight = in_flight

    def send(self, row: Claimed, maybe_posted: bool) -> Sending:
        if self._in_flight is not None and row.key.startswith("escalation:"):
            self._in_flight(row)
            self._in_flight = None
        self.sent.append(row)
        return super().send(row, maybe_posted)


def copy_of(db: Database, alert: int, user: str) -> OutboxMessage:
    [found] = [row for key, row in rows(db).items() if key.startswith(f"escalation:{alert}:{user}:")]
    return found


def shown_to(standin: SlackStandIn, user: str) -> str:
    return " ".join(f"{m.get('text')} {m.get('blocks')}" for m in standin.messages("D" + user[1:]))


def test_a_claimed_alert_copy_is_not_posted_to_a_facilitator_taken_off_while_it_waited_its_turn(
    db: Database, standin: SlackStandIn, alert: int
) -> None:
    deps = deps_for(db, standin)
    gateway = Meanwhile(Clients(deps.settings))
    removed: list[str] = []

    def an_admin_saves_on_another_process() -> None:  # the second copy waits for the workspace's pace
        if not removed and gateway.sent:
            [waiting] = [user for user in FACILITATORS if user not in {row.channel for row in gateway.sent}]
            save_facilitators(db, [user for user in FACILITATORS if user != waiting], days=0.01)
            removed.append(waiting)

    clock = FakeClock(before_sleep=an_admin_saves_on_another_process)
    summary = dispatch(
        deps, WHEN, options=DispatchOptions(look_up_dnd=False), pacer=clock.pacer(), gateway=gateway
    )

    [taken_off] = removed
    assert taken_off not in {row.channel for row in gateway.sent}
    assert SHARED_NOTE not in shown_to(standin, taken_off)
    assert copy_of(db, alert, taken_off).status == OutboxStatus.SUPERSEDED
    assert summary.dropped == 1


def test_an_alert_copy_whose_facilitator_is_taken_off_as_it_is_posted_is_withdrawn_once_it_lands(
    db: Database, standin: SlackStandIn, alert: int
) -> None:
    removed: list[str] = []

    def an_admin_saves_on_another_process(row: Claimed) -> None:  # after the last look, before Slack has it
        assert row.channel is not None
        save_facilitators(db, [user for user in FACILITATORS if user != row.channel], days=0.01)
        removed.append(row.channel)

    deps = deps_for(db, standin)
    gateway = Meanwhile(Clients(deps.settings), an_admin_saves_on_another_process)
    options = DispatchOptions(look_up_dnd=False)
    dispatch(deps, WHEN, options=options, pacer=FakeClock().pacer(), gateway=gateway)
    dispatch(deps, w.at(0.03), options=options, pacer=FakeClock().pacer(), gateway=gateway)

    [taken_off] = removed
    found, copy = rows(db), copy_of(db, alert, taken_off)
    assert copy.status == OutboxStatus.SENT  # where it landed, for the withdrawal to find
    assert copy.result is not None
    withdrawal = found[f"escalation-withdrawn:{alert}:{copy.result['channel']}:{copy.result['ts']}"]
    assert (withdrawal.method, withdrawal.status) == ("chat.update", OutboxStatus.SENT)
    assert SHARED_NOTE not in shown_to(standin, taken_off)
    assert "U0LEARN" not in shown_to(standin, taken_off)
    [stays] = [user for user in FACILITATORS if user != taken_off]
    assert SHARED_NOTE in shown_to(standin, stays)


def test_an_alert_copy_posted_as_the_alert_is_resolved_is_redrawn_resolved_once_it_lands(
    db: Database, standin: SlackStandIn, alert: int
) -> None:
    def a_facilitator_resolves_it(row: Claimed) -> None:  # the resolve supersedes copies still unsent
        act = EscalationAct(db.unit_of_work(), "T0001", "U0FAC1", alert, is_admin=False, now=w.at(0.01))
        resolve_escalation(act, Outcome.RECONNECTED, "")

    deps = deps_for(db, standin)
    gateway = Meanwhile(Clients(deps.settings), a_facilitator_resolves_it)
    options = DispatchOptions(look_up_dnd=False)
    dispatch(deps, WHEN, options=options, pacer=FakeClock().pacer(), gateway=gateway)
    dispatch(deps, w.at(0.03), options=options, pacer=FakeClock().pacer(), gateway=gateway)

    first = gateway.sent[0]
    assert first.channel is not None
    found = rows(db)
    copy = found[first.key]
    assert copy.status == OutboxStatus.SENT  # in the DM: recorded, so that it is redrawn
    assert copy.result is not None
    redraw = found[f"escalation-landed:{alert}:{copy.result['channel']}:{copy.result['ts']}"]
    assert redraw.status == OutboxStatus.SENT
    assert SHARED_NOTE not in shown_to(standin, first.channel)
    [other] = [user for user in FACILITATORS if user != first.channel]
    assert other not in {row.channel for row in gateway.sent[1:] if row.key.startswith("escalation:")}
