"""Outbox rows found by the beginning of their keys: exactly the rows a LIKE found (a prefix that begins
several keys finds them all, a `_` is only a `_`, another workspace's keys are not looked at), asked as a
range of the (workspace, key) index rather than a read of the workspace's whole history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.copies import copies_under, sent_under, waiting_under
from circles.queries.outbox.deferral import went_since
from circles.queries.outbox.rows import NewMessage, add_new, expire_pending, keys_starting
from tests import factories
from tests.factories import NOW

SENT, PENDING, CLAIMED = OutboxStatus.SENT, OutboxStatus.PENDING, OutboxStatus.CLAIMED
# (key, status, channel), in the order written
ROWS = [
    ("escalation:2", SENT, "U0A"),
    ("escalation:2:U0A:open", SENT, "U0A"),
    ("escalation:2:U0B:open", PENDING, "U0B"),
    ("escalation:21:U0A:open", SENT, "U0A"),
    ("escalation:2:U0A:update", CLAIMED, "U0A"),
    ("escalation:2~", PENDING, "U0A"),
    ("escalation:3", SENT, "U0A"),
    ("escalation;", SENT, "U0A"),
    ("escalation:", PENDING, "U0A"),
    ("escalations:2:U0A:open", SENT, "U0A"),
    ("escalation_2:U0A:open", SENT, "U0A"),
    ("pair_prompt:1:2026-11-02", PENDING, "D1"),
    ("pair_prompt:10:2026-11-02", PENDING, "D10"),
    ("pairXprompt:1:2026-11-02", PENDING, "D1"),
]
KEYS = [key for key, _, _ in ROWS]
PREFIXES = [
    "escalation:2",
    "escalation:2:",
    "escalation:2:U0A:open",
    "escalation:21:",
    "escalation:",
    "escalation",
    "pair_prompt:1:",
    "pair_prompt:",
    "e",
    "zzz",
]


def stored(db: Database) -> tuple[int, int]:
    """ROWS in one workspace, and the same keys in another: the two workspaces' ids."""
    with db.unit_of_work() as uow:
        ours, theirs = (
            factories.workspace(uow.session, "T0001").id,
            factories.workspace(uow.session, "T0002").id,
        )
        rows = [
            NewMessage(
                workspace_id, key, "chat.postMessage", channel, {"template": "x", "args": {}}, NOW, status
            )
            for workspace_id in (ours, theirs)
            for key, status, channel in ROWS
        ]
        add_new(uow.session, rows, NOW)
        uow.commit()
    return ours, theirs


def starting(prefix: str, *statuses: OutboxStatus) -> list[str]:
    return [key for key, status, _ in ROWS if key.startswith(prefix) and (not statuses or status in statuses)]


def test_a_prefix_finds_every_key_of_the_workspace_that_starts_with_it_and_no_other(db: Database) -> None:
    ours, _ = stored(db)
    with db.reading() as reading:
        for prefix in [*PREFIXES, ""]:
            assert sorted(keys_starting(reading.session, ours, prefix)) == sorted(starting(prefix)), prefix


def key_of(session: Session, row_id: int) -> str:
    return session.get_one(OutboxMessage, row_id).idempotency_key


def test_the_copies_under_a_prefix_are_found_sent_waiting_or_any_as_before(db: Database) -> None:
    ours, _ = stored(db)
    with db.unit_of_work() as uow:
        session = uow.session
        for prefix in PREFIXES:
            under = copies_under(session, {(ours, prefix)})
            assert [key_of(session, copy.id) for copy in under] == starting(prefix), prefix
            sent = sent_under(session, {(ours, prefix)}).get(prefix, [])
            assert [copy.idempotency_key for copy in sent] == starting(prefix, SENT), prefix
            waiting = waiting_under(session, {(ours, prefix)})
            assert [key_of(session, row_id) for row_id in waiting] == starting(prefix, PENDING, CLAIMED), (
                prefix
            )
        # Several prefixes at once: each row once, under the first of them (in order) its key starts with.
        both = copies_under(session, {(ours, "escalation:21:"), (ours, "escalation:2")})
        assert [copy.prefix for copy in both] == ["escalation:2"] * len(starting("escalation:2"))
        apart = copies_under(session, {(ours, "escalation:21:"), (ours, "escalation:2:")})
        assert {key_of(session, copy.id): copy.prefix for copy in apart} == {
            **{key: "escalation:2:" for key in starting("escalation:2:")},
            "escalation:21:U0A:open": "escalation:21:",
        }


def test_messages_gone_since_or_missed_are_found_by_the_beginning_of_their_keys(db: Database) -> None:
    ours, _ = stored(db)
    with db.unit_of_work() as uow:
        session = uow.session
        gone = went_since(session, [(ours, "U0A")], "escalation:2:", NOW - timedelta(hours=1), [])
        assert [row.idempotency_key for row in gone] == ["escalation:2:U0A:open", "escalation:2:U0A:update"]
        expire_pending(session, NOW + timedelta(hours=1), ["escalation:2:", "pair_prompt:1:"])
        missed = session.scalars(
            select(OutboxMessage.idempotency_key)
            .where(OutboxMessage.status == OutboxStatus.MISSED, OutboxMessage.workspace_id == ours)
            .order_by(OutboxMessage.id)
        )
        assert list(missed) == ["escalation:2:U0B:open", "pair_prompt:1:2026-11-02"]


def test_keys_sort_by_code_point_so_that_a_prefix_is_a_range_of_their_index(db: Database) -> None:
    ours, _ = stored(db)
    mixed = ["a:", "B:", "a;", "a_", "A", "a-b", "ab"]
    with db.unit_of_work() as uow:
        rows = [NewMessage(ours, key, "chat.postMessage", None, {}, NOW) for key in mixed]
        add_new(uow.session, rows, NOW)
        ordered = uow.session.scalars(
            select(OutboxMessage.idempotency_key)
            .where(OutboxMessage.workspace_id == ours)
            .order_by(OutboxMessage.idempotency_key)
        )
        assert list(ordered) == sorted([*KEYS, *mixed])
        if db.engine.dialect.name == "postgresql":  # whatever the database's own collation
            collation = "SELECT collation_name FROM information_schema.columns WHERE table_name = 'outbox'"
            found = uow.session.scalar(text(f"{collation} AND column_name = 'idempotency_key'"))
            assert found == "C"


def plan(db: Database, workspace_id: int, prefix: str) -> str:
    """How the database reads the keys of a workspace that start with `prefix`, as `keys_starting` asks."""
    asked: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        asked.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.reading() as reading:
            keys_starting(reading.session, workspace_id, prefix)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    [(statement, parameters)] = [(s, p) for s, p in asked if "FROM outbox" in s]
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            found = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return " ".join(row[3] for row in found)
        connection.exec_driver_sql("ANALYZE outbox")
        return "\n".join(connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars())


def test_a_lookup_by_prefix_is_a_range_scan_of_the_workspace_and_key_index(db: Database) -> None:
    ours, _ = stored(db)
    with db.unit_of_work() as uow:  # a workspace's history: its check-ins
        history = [
            NewMessage(ours, f"checkin:{n}", "chat.postMessage", "U0A", {}, NOW, SENT) for n in range(2000)
        ]
        add_new(uow.session, history, NOW)
        uow.commit()
    found = plan(db, ours, "escalation:2:")
    if db.engine.dialect.name == "sqlite":
        assert "(workspace_id=? AND idempotency_key>? AND idempotency_key<?)" in found
    else:
        [searched] = [
            line.replace("(idempotency_key)::text", "idempotency_key")
            for line in found.splitlines()
            if "Index Cond" in line
        ]
        assert "idempotency_key >= 'escalation:2:'" in searched
        assert "idempotency_key < 'escalation:2;'" in searched
