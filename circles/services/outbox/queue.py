"""Claim due outbox rows for sending and record how each attempt ended, each in its own short transaction.

A claim lasts `claim_for`; a dispatcher that dies holding one leaves the row `claimed` with an expired
`claimed_until`, and the next claim takes it again. The claim number (`attempts` after claiming) fences
what a dispatcher records: once its claim expired and someone else claimed the row, it can no longer
fail or postpone it. Marking a row sent is never fenced: that Slack has the message is true whoever learns it.

While a row is unsent its `result` keeps a small trail: when it was first claimed (no earlier attempt
can have posted it before then) and whether an earlier attempt may have reached Slack (a timeout, a
server error, or a claim that expired with its dispatcher). The Slack side looks before posting such a
row again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import UnitOfWork
from circles.persistence.models import OutboxMessage, Workspace

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Trail:
    """What an unsent row remembers about earlier attempts."""

    first_claimed_at: datetime
    maybe_posted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"first_claimed_at": self.first_claimed_at.isoformat(), "maybe_posted": self.maybe_posted}

    @classmethod
    def of(cls, result: dict[str, Any] | None, now: datetime) -> Trail:
        found = result or {}
        first = found.get("first_claimed_at")
        return cls(datetime.fromisoformat(first) if first else now, bool(found.get("maybe_posted")))


@dataclass(frozen=True)
class Claimed:
    """One claimed row, with what sending it needs."""

    id: int
    workspace_id: int
    team_id: str
    enterprise_id: str | None
    key: str
    method: str
    channel: str | None
    payload: dict[str, Any]
    attempt: int  # the claim's number: the fence for recording its outcome
    claimed_until: datetime
    trail: Trail


def claim_due(
    uow: UnitOfWork,
    now: datetime,
    *,
    limit: int,
    claim_for: timedelta,
    max_attempts: int = MAX_ATTEMPTS,
) -> list[Claimed]:
    """Claim up to `limit` rows that are due, or whose claim expired, oldest due first; commit at once.

    Rows of a workspace that uninstalled the app stay pending until it is installed again. A row whose
    claim expired `max_attempts` times is given up as failed instead of being claimed again.
    """
    with uow:
        session = uow.session
        due = or_(
            and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= now),
            and_(OutboxMessage.status == OutboxStatus.CLAIMED, OutboxMessage.claimed_until < now),
        )
        rows = session.execute(
            select(OutboxMessage, Workspace.team_id, Workspace.enterprise_id)
            .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
            .where(due, Workspace.uninstalled_at.is_(None))
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(limit)
            # Several dispatchers on PostgreSQL each take rows the others have not locked; only the
            # outbox rows are locked, so two claimers never wait on a shared workspace row.
            .with_for_update(skip_locked=True, of=OutboxMessage)
        ).all()
        claimed = []
        for row, team_id, enterprise_id in rows:
            expired = row.status == OutboxStatus.CLAIMED
            if expired and row.attempts >= max_attempts:
                row.status, row.claimed_until = OutboxStatus.FAILED, None
                last = row.last_error or "claim expired"
                row.last_error = f"gave up after {row.attempts} attempts; last: {last}"
                continue
            previous = Trail.of(row.result, now)
            trail = Trail(previous.first_claimed_at, previous.maybe_posted or expired)
            row.status, row.claimed_until = OutboxStatus.CLAIMED, now + claim_for
            row.attempts += 1
            row.result = trail.to_json()
            claimed.append(_claimed(row, team_id, enterprise_id, trail))
        uow.commit()
        return claimed


def _claimed(row: OutboxMessage, team_id: str, enterprise_id: str | None, trail: Trail) -> Claimed:
    assert row.claimed_until is not None
    identity = (row.id, row.workspace_id, team_id, enterprise_id, row.idempotency_key)
    what = (row.method, row.channel, dict(row.payload))
    return Claimed(*identity, *what, attempt=row.attempts, claimed_until=row.claimed_until, trail=trail)


def mark_sent(uow: UnitOfWork, message_id: int, result: dict[str, Any], now: datetime) -> bool:
    """Record that Slack has the message (`result` e.g. {"channel", "ts"}); False if it was already sent."""
    with uow:
        changed = record_sent(uow.session, message_id, result, now)
        uow.commit()
        return changed


def record_sent(session: Session, message_id: int, result: dict[str, Any], now: datetime) -> bool:
    """mark_sent in the caller's transaction, for work that records more with it (a round's next step)."""
    return _settled(
        session,
        message_id,
        OutboxMessage.status != OutboxStatus.SENT,
        status=OutboxStatus.SENT,
        sent_at=now,
        result=result,
        claimed_until=None,
        last_error=None,
    )


def _settled(session: Session, message_id: int, condition: Any, **values: Any) -> bool:
    """Record a final outcome; a private message (support, ending reasons, alerts) keeps no words after it."""
    payload = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, condition)
        .values(**values)
        .returning(OutboxMessage.payload)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if payload is not None and payload.get("private") and payload.get("args"):
        scrubbed = {"template": payload.get("template"), "args": {}, "private": True}
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(payload=scrubbed)
            .execution_options(synchronize_session=False)
        )
    return payload is not None


def mark_failed(uow: UnitOfWork, message_id: int, attempt: int, error: str) -> bool:
    """Record a permanent error: the row is never tried again. False if the claim is no longer ours."""
    with uow:
        changed = record_failed(uow.session, message_id, attempt, error)
        uow.commit()
        return changed


def record_failed(session: Session, message_id: int, attempt: int, error: str) -> bool:
    """mark_failed in the caller's transaction."""
    return _settled(
        session,
        message_id,
        _held(attempt),
        status=OutboxStatus.FAILED,
        last_error=error,
        claimed_until=None,
    )


def retry_later(
    uow: UnitOfWork,
    message_id: int,
    attempt: int,
    error: str,
    at: datetime,
    trail: Trail,
    *,
    max_attempts: int = MAX_ATTEMPTS,
) -> OutboxStatus | None:
    """Put the row back to be tried at `at`, or fail it after max_attempts; None if the claim is not ours."""
    status = _change(
        uow,
        message_id,
        _held(attempt),
        returning=OutboxMessage.status,
        status=case(
            (OutboxMessage.attempts >= max_attempts, OutboxStatus.FAILED.value),
            else_=OutboxStatus.PENDING.value,
        ),
        due_at=at,
        last_error=error,
        claimed_until=None,
        result=trail.to_json(),
    )
    return None if status is None else OutboxStatus(status)


def release(uow: UnitOfWork, message_id: int, attempt: int, at: datetime | None = None) -> bool:
    """Give back a claim that was never tried (the pass ended first): it does not count as an attempt.

    The row keeps its place (its due time) unless `at` moves it later.
    """
    later = {} if at is None else {"due_at": at}
    return _changed(
        uow,
        message_id,
        _held(attempt),
        status=OutboxStatus.PENDING,
        attempts=OutboxMessage.attempts - 1,
        claimed_until=None,
        **later,
    )


def _held(attempt: int) -> Any:
    return and_(OutboxMessage.status == OutboxStatus.CLAIMED, OutboxMessage.attempts == attempt)


def _changed(uow: UnitOfWork, message_id: int, condition: Any, **values: Any) -> bool:
    return _change(uow, message_id, condition, **values) is not None


def _change(uow: UnitOfWork, message_id: int, condition: Any, returning: Any = None, **values: Any) -> Any:
    """Update one row if condition holds; return the `returning` column (default its id), or None."""
    with uow:
        changed = uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, condition)
            .values(**values)
            .returning(OutboxMessage.id if returning is None else returning)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        uow.commit()
        return changed
