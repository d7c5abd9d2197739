"""An organisation's workspace the app lost: its people's messages wait, and the rest of the installation's
are claimed as quickly as before, however many wait (on PostgreSQL the check must not compare every waiting
message with every person of the lost workspace)."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import case, insert, literal, select, text, true
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.messages import PlainNotice
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Profile, Workspace
from circles.services.intake.workspaces import team_access_changed
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.outbox.queue import claim_due
from tests import factories
from tests.counted_rows import at, days_after, numbers, padded, text_of

NOW = factories.NOW
ORG, LOST = "E0ORG", "T0LOST"
PEOPLE, TEAMS = 40_000, 10  # the organisation's people, over its workspaces: 4,000 in the one lost
TENANTS = 400  # the installation's other workspaces, 100 people each
SENT = 60_000  # the organisation's messages sent before


def team_of(person: int) -> str:
    return LOST if person % TEAMS == 7 else f"T0{person % TEAMS:04d}"


def an_installation(session: Session) -> int:
    """The organisation (its id) and the other workspaces, with their people and the history sent."""
    org = factories.workspace(session, ORG).id
    rows = [{"team_id": f"T1{n:05d}", "name": f"w{n}", "created_at": NOW} for n in range(TENANTS)]
    session.execute(insert(Workspace), rows)
    now = at(NOW)
    person = numbers(PEOPLE).c.n
    lost = case((person % TEAMS == 7, LOST), else_=padded("T0", person % TEAMS, 4))
    columns = ["workspace_id", "slack_user_id", "slack_team_id", "updated_at"]
    ours = select(literal(org), padded("U", person, 6), lost, now)
    session.execute(insert(Profile).from_select(columns, ours))
    tenants = select(Workspace.id, Workspace.team_id).where(Workspace.id != org).subquery()
    hundred = numbers(PEOPLE // TENANTS)
    each = select(tenants.c.id, padded("U", hundred.c.n, 6), tenants.c.team_id, now)
    session.execute(insert(Profile).from_select(columns, each.join_from(tenants, hundred, true())))
    payload = {"template": "plain_notice", "args": {}}
    n, dialect = numbers(SENT).c.n, session.get_bind().dialect.name
    sent = select(
        literal(org),
        text_of("sent:", n),
        literal("chat.postMessage"),
        padded("U", n % PEOPLE, 6),
        literal(payload, OutboxMessage.payload.type),
        literal(OutboxStatus.SENT, OutboxMessage.status.type),
        days_after(NOW, -(1 + n % 300), dialect),
        now,
    )
    names = ["workspace_id", "idempotency_key", "method", "channel", "payload", "status", "due_at"]
    session.execute(insert(OutboxMessage).from_select([*names, "created_at"], sent))
    return org


def test_messages_to_a_lost_workspace_wait_and_the_others_are_claimed_in_moments(db: Database) -> None:
    with db.unit_of_work() as uow:
        org = an_installation(uow.session)
        notice = PlainNotice("Your circle has a new prompt.")
        waiting = [Outgoing(f"n:{n}", f"U{n:06d}", notice) for n in range(PEOPLE) if team_of(n) == LOST]
        others = [Outgoing(f"n:{n}", f"U{n:06d}", notice) for n in range(20)]
        an_hour_ago, a_minute_ago = NOW - timedelta(hours=1), NOW - timedelta(minutes=1)
        enqueue_many(uow.session, org, waiting, an_hour_ago, an_hour_ago)
        enqueue_many(uow.session, org, others, a_minute_ago, a_minute_ago)
        uow.commit()
    team_access_changed(db.unit_of_work(), ORG, [LOST], granted=False, now=NOW)
    with db.engine.begin() as connection:  # the statistics autovacuum would have gathered by now
        connection.execute(text("ANALYZE"))

    started = time.perf_counter()
    claimed = claim_due(db.unit_of_work(), NOW, limit=50, claim_for=timedelta(minutes=5))
    took = time.perf_counter() - started

    reachable = [f"U{n:06d}" for n in range(20) if team_of(n) != LOST]
    assert sorted(row.channel or "" for row in claimed) == reachable
    assert took < 0.3
