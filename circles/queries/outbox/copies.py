"""The copies a message went out as: one outbox row per recipient under a shared key prefix, and how each
ended. Read for many messages in one statement."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage

# A copy that reached its person, or may still: sent, waiting or being sent.
ALIVE = frozenset({OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.SENT})


@dataclass(frozen=True)
class Copy:
    """One row under a prefix: whom it was for, and how it stands."""

    prefix: str
    channel: str | None
    status: OutboxStatus
    id: int

    @property
    def alive(self) -> bool:
        return self.status in ALIVE


def copies_under(session: Session, prefixes: Collection[tuple[int, str]]) -> list[Copy]:
    """The rows whose key starts with one of these (workspace, prefix), oldest first, in one statement."""
    if not prefixes:
        return []
    wanted = sorted(set(prefixes))
    rows = session.execute(
        select(
            OutboxMessage.workspace_id,
            OutboxMessage.idempotency_key,
            OutboxMessage.channel,
            OutboxMessage.status,
            OutboxMessage.id,
        )
        .where(
            or_(
                *(
                    and_(
                        OutboxMessage.workspace_id == workspace_id,
                        OutboxMessage.idempotency_key.startswith(prefix, autoescape=True),
                    )
                    for workspace_id, prefix in wanted
                )
            )
        )
        .order_by(OutboxMessage.id)
    )
    found: list[Copy] = []
    for workspace_id, key, channel, status, row_id in rows:
        for scope, prefix in wanted:
            if scope == workspace_id and key.startswith(prefix):
                found.append(Copy(prefix, channel, OutboxStatus(status), row_id))
                break
    return found


def latest_by_person(copies: Collection[Copy]) -> dict[str, dict[str, Copy]]:
    """Per prefix, each recipient's latest copy."""
    found: dict[str, dict[str, Copy]] = {}
    for copy in sorted(copies, key=lambda c: c.id):
        if copy.channel is not None:
            found.setdefault(copy.prefix, {})[copy.channel] = copy
    return found
