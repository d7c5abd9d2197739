"""Questions about the outbox (what was recorded to be sent, and where it landed), and messages added at
most once per key in their workspace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage
from circles.queries.once import insert_ignoring_duplicates, table_of


@dataclass(frozen=True)
class Sent:
    """One sent message: its idempotency key and what sending it returned (channel, ts, …)."""

    idempotency_key: str
    result: dict[str, Any] | None


def sent_with_key_prefix(session: Session, workspace_id: int, prefix: str) -> list[Sent]:
    """The workspace's sent messages whose idempotency key starts with `prefix`."""
    rows = session.execute(
        select(OutboxMessage.idempotency_key, OutboxMessage.result).where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.idempotency_key.startswith(prefix, autoescape=True),
            OutboxMessage.status == OutboxStatus.SENT,
        )
    )
    return [Sent(key, result) for key, result in rows]


@dataclass(frozen=True)
class NewMessage:
    """One outbox row to add, in any workspace, its payload as stored."""

    workspace_id: int
    key: str
    method: str
    channel: str | None
    payload: dict[str, Any]
    due_at: datetime


def add_once(session: Session, messages: Sequence[NewMessage], now: datetime) -> int:
    """Add the messages in one statement, in their order; returns how many were new.

    A key already taken in its workspace is skipped by the database.
    """
    if not messages:
        return 0
    table = table_of(OutboxMessage)
    values = [
        {
            "workspace_id": message.workspace_id,
            "idempotency_key": message.key,
            "method": message.method,
            "channel": message.channel,
            "payload": message.payload,
            "due_at": message.due_at,
            "created_at": now,
        }
        for message in messages
    ]
    statement = insert_ignoring_duplicates(session, table).returning(table.c.id)
    return len(session.execute(statement, values).all())
