"""One workspace's backlog, its 429, or its Do Not Disturb look-ups never keep another workspace's messages
waiting, and the rows of workspaces that removed the app do not slow anyone's claims."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import insert, literal, select, update

from bot.dispatch import DispatchOptions, dispatch
from bot.gateway import Clients, Gateway, Outcome
from bot.gateway.outcomes import RateLimited
from circles.domain.vocabulary import OutboxStatus
from circles.messages import PartnerAway
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Profile, Workspace
from circles.services.outbox.enqueue import Outgoing
from circles.services.outbox.queue import Claimed, claim_due
from circles.settings import Settings
from standin import SlackStandIn
from tests.counted_rows import at, days_after, numbers, padded, text_of
from tests.dispatching import NOW, FakeClock, deps_for, plain, posts, record, rows
from tests.sqlite_steps import engine_steps

START = 1_000.0  # the fake clock's reading as a pass begins
NO_DND = DispatchOptions(look_up_dnd=False)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


class TimedGateway(Gateway):
    """The real gateway, noting on the fake clock when each row went; Slack answers 429 to the first
    `refusals` posts of the `limited` team, each in a conversation of its own (its whole workspace)."""

    def __init__(self, settings: Settings, clock: FakeClock, limited: str = "", refusals: int = 0) -> None:
        super().__init__(Clients(settings))
        self.clock, self.limited, self.refusals = clock, limited, refusals
        self.sent_at: dict[str, float] = {}

    def send(self, row: Claimed, maybe_posted: bool) -> Outcome:
        if row.team_id == self.limited and self.refusals:
            self.refusals -= 1
            return RateLimited("chat.postMessage", 120.0)
        self.sent_at[row.key] = self.clock.now
        return super().send(row, maybe_posted)


def test_a_large_fan_out_in_one_workspace_does_not_hold_up_another_workspaces_message(
    db: Database, standin: SlackStandIn
) -> None:
    record(db, [plain(f"a:{i}", f"UA{i:04d}") for i in range(250)], NOW - timedelta(minutes=1), "T0BIG")
    record(db, [plain("b:0", "UB0001")], NOW, "T0SMALL")
    clock = FakeClock()
    deps = deps_for(db, standin)
    gateway = TimedGateway(deps.settings, clock)

    summary = dispatch(deps, NOW, options=NO_DND, pacer=clock.pacer(), gateway=gateway)

    assert gateway.sent_at["b:0"] - START < 1.0  # not after the big workspace's 50 s of paced posts
    assert summary.sent == 251
    assert set(posts(standin).values()) == {1}


def test_a_workspace_slack_refuses_with_429_hands_its_rows_back_and_another_workspace_goes_on(
    db: Database, standin: SlackStandIn
) -> None:
    record(db, [plain(f"a:{i}", f"UA{i:04d}") for i in range(100)], NOW - timedelta(minutes=1), "T0BIG")
    record(db, [plain("b:0", "UB0001")], NOW, "T0SMALL")
    clock = FakeClock()
    deps = deps_for(db, standin)
    gateway = TimedGateway(deps.settings, clock, limited="T0BIG", refusals=2)

    summary = dispatch(deps, NOW, options=NO_DND, pacer=clock.pacer(), gateway=gateway)

    assert gateway.sent_at["b:0"] - START < 5.0  # not after the big workspace's 120 s Retry-After
    assert summary.released > 0  # its rows went back to the outbox rather than wait claimed in the batch
    first_of_big = min(at for key, at in gateway.sent_at.items() if key.startswith("a:"))
    assert first_of_big - START >= 120  # Slack's Retry-After was kept to, and then each one was sent once
    assert posts(standin) == {key: 1 for key in [*(f"a:{i}" for i in range(100)), "b:0"]}


def test_do_not_disturb_look_ups_in_one_workspace_never_wait_before_another_workspaces_alert(
    db: Database, standin: SlackStandIn
) -> None:
    away = [Outgoing(f"away:{i}", f"UA{i:04d}", PartnerAway("U0BEN", "2026-12-07")) for i in range(150)]
    busy = record(db, away, NOW, "T0BUSY")
    with db.unit_of_work() as uow:
        people = [f"UA{i:04d}" for i in range(150)]
        profiles = [{"workspace_id": busy, "slack_user_id": user, "updated_at": NOW} for user in people]
        uow.session.execute(insert(Profile), profiles)
        uow.commit()
    record(db, [plain("alert:b", "UB0001")], NOW - timedelta(minutes=1), "T0OTHER")
    clock = FakeClock()
    deps = deps_for(db, standin)
    gateway = TimedGateway(deps.settings, clock)

    dispatch(deps, NOW, options=DispatchOptions(), pacer=clock.pacer(), gateway=gateway)

    assert gateway.sent_at["alert:b"] - START < 1.0  # not after two 3 s waits for dnd.teamInfo turns
    assert len(standin.calls("dnd.teamInfo")) == 1  # the one turn free now: 50 people asked about
    assert len([key for key in posts(standin) if key.startswith("away:")]) == 50
    unasked = [row for key, row in rows(db).items() if key.startswith("away:") and key not in posts(standin)]
    assert len(unasked) == 100  # their messages wait for their look-up in a later pass, untried
    assert {(row.status, row.attempts) for row in unasked} == {(OutboxStatus.PENDING, 0)}


def claim_work(db: Database) -> int:
    """What claiming a live workspace's 20 due rows costs SQLite, then given back."""
    with engine_steps(db, 100) as done:
        claimed = claim_due(db.unit_of_work(), NOW, limit=50, claim_for=timedelta(minutes=5))
    assert len(claimed) == 20
    with db.unit_of_work() as uow:
        uow.session.execute(update(OutboxMessage).values(status=OutboxStatus.PENDING, attempts=0))
        uow.commit()
    return done[0]


# SQLite only: its claims walked those rows one by one; PostgreSQL's planner never did.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_rows_of_a_removed_workspace_however_many_wait_do_not_slow_claims(db: Database) -> None:
    record(db, [plain(f"n:{i}", f"UL{i:04d}") for i in range(20)], NOW - timedelta(minutes=1), "T0LIVE")
    with db.unit_of_work() as uow:
        removed = NOW - timedelta(days=9)
        gone = Workspace(team_id="T0GONE", name="Gone", created_at=NOW, uninstalled_at=removed)
        uow.session.add(gone)
        uow.session.flush()
        uow.commit()
        gone_id = gone.id
    without = claim_work(db)
    with db.unit_of_work() as uow:
        n = numbers(20_000).c.n
        payload = literal({"template": "plain_notice", "args": {"text": "x"}}, OutboxMessage.payload.type)
        waiting = select(
            literal(gone_id),
            text_of("old:", n),
            literal("chat.postMessage"),
            padded("U", n, 6),
            payload,
            literal(OutboxStatus.PENDING, OutboxMessage.status.type),
            days_after(NOW, -(1 + n % 90), "sqlite"),
            at(NOW),
        )
        names = ["workspace_id", "idempotency_key", "method", "channel", "payload", "status", "due_at"]
        uow.session.execute(insert(OutboxMessage).from_select([*names, "created_at"], waiting))
        uow.commit()

    assert claim_work(db) < without * 2  # not in proportion to the 20,000 rows waiting for a reinstall
