"""Outbox rows: added once per key, counted, expired, revived, found by key, and what sending returned."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage, Partnership
from circles.queries.ids import CHUNK, chunks
from circles.queries.inserts import insert_ignoring_duplicates, table_of
from circles.queries.outbox.claims import scrub
from circles.queries.outbox.keys import key_starts_with


@dataclass(frozen=True)
class NewMessage:
    """One row to add: what to call in Slack, where, with what, and when."""

    workspace_id: int
    key: str
    method: str
    channel: str | None
    payload: dict[str, Any]
    due_at: datetime
    status: OutboxStatus = OutboxStatus.PENDING


def add_new(session: Session, messages: Sequence[NewMessage], now: datetime) -> set[tuple[int, str]]:
    """Add the rows in one statement, in the order given; returns the (workspace, key) of those that were new.

    A key already present in its workspace is skipped by the database, not by a read before.
    """
    if not messages:
        return set()
    rows = [
        {
            "workspace_id": m.workspace_id,
            "idempotency_key": m.key,
            "method": m.method,
            "channel": m.channel,
            "payload": m.payload,
            "status": m.status,
            "due_at": m.due_at,
            "created_at": now,
        }
        for m in messages
    ]
    table = table_of(OutboxMessage)
    statement = insert_ignoring_duplicates(session, table).returning(
        table.c.workspace_id, table.c.idempotency_key
    )
    return {(workspace_id, key) for workspace_id, key in session.execute(statement, rows)}


def failed_since(session: Session, since: datetime) -> int:
    """How many rows failed for good that were due since `since`: one range scan of the status index."""
    found = session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED, OutboxMessage.due_at >= since)
    )
    return found or 0


def expire_pending(session: Session, before: datetime, key_prefixes: Iterable[str]) -> list[dict[str, Any]]:
    """Mark rows still pending that were due before `before`, whose key starts with one of the prefixes,
    as missed, and drop the words of the private ones (one statement per kind); returns their payloads."""
    expired = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.due_at < before,
            or_(*(key_starts_with(p) for p in key_prefixes)),
        )
        .values(status=OutboxStatus.MISSED)
        .returning(OutboxMessage.id, OutboxMessage.payload)
        .execution_options(synchronize_session=False)
    ).all()
    scrub(session, [(row_id, payload) for row_id, payload in expired])  # never sent: no words kept
    return [payload for _, payload in expired]


def bring_held_forward(
    session: Session, workspace_id: int, user_ids: Sequence[str], now: datetime
) -> list[dict[str, Any]]:
    """Bring these people's held personal messages forward to now, so that the next claim works out their
    window again; returns their payloads. Only rows held for a later window are touched: two statements per
    CHUNK people, over their pending and claimed rows (the first waits for a sender holding one back)."""
    moved: list[dict[str, Any]] = []
    people = sorted(set(user_ids))
    for start in range(0, len(people), CHUNK):
        theirs = people[start : start + CHUNK]
        # First wait for any sender holding one of their rows (PostgreSQL): one deciding at this moment to
        # hold a row back commits that hold before the update below looks, so the update sees it and brings
        # it forward too. Without the wait the update would pass over the row as due now and not held.
        session.execute(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED]),
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.channel.in_(theirs),
            )
            .order_by(OutboxMessage.id)
            .with_for_update(key_share=True)
        ).all()
        moved += session.scalars(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.due_at > now,
                OutboxMessage.deferred_from.is_not(None),
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.channel.in_(theirs),
            )
            .values(due_at=now)
            .returning(OutboxMessage.payload)
            .execution_options(synchronize_session=False)
        ).all()
    return moved


def planned_ahead_for(
    session: Session, workspace_id: int, user_id: str, key_prefixes: Iterable[str], now: datetime
) -> list[tuple[int, datetime, str, dict[str, Any]]]:
    """The person's messages planned for later and never held (keys starting with one of the prefixes),
    locked: (id, due, key, payload) each."""
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.due_at, OutboxMessage.idempotency_key, OutboxMessage.payload)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.channel == user_id,
            OutboxMessage.due_at > now,
            OutboxMessage.deferred_from.is_(None),
            or_(*(key_starts_with(prefix) for prefix in key_prefixes)),
        )
        .order_by(OutboxMessage.id)
        .with_for_update(key_share=True)
    )
    return [(row_id, due, key, payload) for row_id, due, key, payload in rows]


def move_due(session: Session, moves: Sequence[tuple[int, datetime]]) -> None:
    """Give these rows new due times, (id, instant) each, in one statement."""
    if not moves:
        return
    table = table_of(OutboxMessage)
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("row"))
        .values(due_at=bindparam("due", type_=table.c.due_at.type)),
        [{"row": row_id, "due": due} for row_id, due in sorted(moves)],
    )


def revive(session: Session, workspace_id: int, keys: Sequence[str], now: datetime) -> None:
    """Pend again, as never tried, the rows of these keys that failed or were missed."""
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.idempotency_key.in_(keys),
            OutboxMessage.status.in_([OutboxStatus.FAILED, OutboxStatus.MISSED]),
        )
        .values(status=OutboxStatus.PENDING, attempts=0, due_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    )


def unsent_for_or_of(
    session: Session, workspace_id: int, user_id: str, templates: Collection[str]
) -> list[OutboxMessage]:
    """The workspace's unsent rows addressed to this person or of these kinds, locked, oldest first; rows
    a dispatcher is claiming are waited for, so what it leaves is read."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED]),
                or_(
                    OutboxMessage.channel == user_id,
                    OutboxMessage.payload["template"].as_string().in_(sorted(templates)),
                ),
            )
            .order_by(OutboxMessage.id)
            .with_for_update(key_share=True)
        )
    )


def message_by_key(session: Session, workspace_id: int, key: str) -> OutboxMessage | None:
    return session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.workspace_id == workspace_id, OutboxMessage.idempotency_key == key
        )
    ).first()


def keys_starting(session: Session, workspace_id: int, prefix: str) -> list[str]:
    """The workspace's keys that start with `prefix`."""
    return list(
        session.scalars(
            select(OutboxMessage.idempotency_key).where(
                OutboxMessage.workspace_id == workspace_id,
                key_starts_with(prefix),
            )
        )
    )


def planned_pair_prompts(session: Session, pair_ids: Collection[int]) -> list[int]:
    """The conversation starters planned for these pairs (keys pair_prompt:{pair}:{day}) and not yet taken
    by a sender, each looked for in its pair's own workspace: two statements (one more for each 900 pairs),
    of any workspaces, among the pending rows only (at most a day's worth)."""
    if not pair_ids:
        return []
    owners: set[tuple[int, int]] = set()
    for pairs in chunks(sorted(set(pair_ids))):  # cohorts of 100,000 pairs can end on one day
        owned = select(Partnership.workspace_id, Partnership.id).where(Partnership.id.in_(pairs))
        owners |= {(workspace_id, pair_id) for workspace_id, pair_id in session.execute(owned)}
    found = session.execute(
        select(OutboxMessage.id, OutboxMessage.workspace_id, OutboxMessage.idempotency_key).where(
            OutboxMessage.workspace_id.in_(sorted({workspace_id for workspace_id, _ in owners})),
            OutboxMessage.status == OutboxStatus.PENDING,
            key_starts_with("pair_prompt:"),
        )
    )
    return [row_id for row_id, workspace_id, key in found if (workspace_id, starter_pair(key)) in owners]


def starter_pair(key: str) -> int | None:
    """The pair of a conversation starter's key pair_prompt:{pair}:{day}; None for any other key."""
    parts = key.split(":")
    return int(parts[1]) if len(parts) > 2 and parts[0] == "pair_prompt" and parts[1].isdigit() else None
