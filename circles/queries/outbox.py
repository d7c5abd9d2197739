"""Questions about the outbox: what was recorded to be sent, and where it landed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage


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
