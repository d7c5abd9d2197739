"""Claimed rows as their turn comes: locked again while the sender looks at them once more, and the landing
of a call recorded without undoing a supersede that came while it was in flight."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, false, select, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.claims import scrub

LANDED_SUPERSEDED = "landed after it was superseded"  # what a superseded row that reached Slack says


@dataclass(frozen=True)
class Landed:
    """How a call that reached Slack was recorded."""

    status: OutboxStatus  # sent, or superseded still
    superseded: bool  # it had been superseded while the call was in flight
    queued_at: datetime  # when the row was recorded: what it says is as things stood then


def lock_held(session: Session, held: Mapping[int, int]) -> list[OutboxMessage]:
    """Of these rows (id → the claim's number), those the claim still holds, locked in id order until the
    caller commits, in one statement. No SKIP LOCKED: a change superseding one of them at this moment is
    waited for and seen, and one coming after waits for the caller's commit."""
    if not held:
        return []
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.id.in_(sorted(held)), OutboxMessage.status == OutboxStatus.CLAIMED)
        .order_by(OutboxMessage.id)
        .with_for_update(of=OutboxMessage, key_share=True)
        .execution_options(populate_existing=True)
    )
    return [row for row in session.scalars(query) if row.attempts == held[row.id]]


def settle_landed(
    session: Session, message_id: int, result: dict[str, Any], now: datetime, *, over_superseded: bool
) -> Landed | None:
    """Record that Slack has the message, whoever claimed it: sent, but a row superseded meanwhile stays
    superseded (unless `over_superseded`), with where it landed in its result, never counted as delivered.
    None when it was already recorded sent. One statement."""
    superseded = OutboxMessage.status == OutboxStatus.SUPERSEDED
    stays = false() if over_superseded else superseded
    changed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status != OutboxStatus.SENT)
        .values(
            status=case((stays, OutboxStatus.SUPERSEDED.value), else_=OutboxStatus.SENT.value),
            sent_at=case((stays, None), else_=now),
            last_error=case((superseded, LANDED_SUPERSEDED), else_=None),
            result=result,
            claimed_until=None,
        )
        .returning(
            OutboxMessage.last_error, OutboxMessage.status, OutboxMessage.payload, OutboxMessage.created_at
        )
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if changed is None:
        return None
    said, status, payload, queued_at = changed
    scrub(session, [(message_id, payload)])  # done with, either way: a private message keeps no words
    return Landed(OutboxStatus(status), said == LANDED_SUPERSEDED, queued_at)
