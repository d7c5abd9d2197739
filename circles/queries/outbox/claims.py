"""Claims on outbox rows: taken without two senders taking one, settled once, fenced by the claim's number.

A claim's number (`attempts` after claiming) fences what a sender records: a row is failed, put back or
given back only while the claim that asks is still the row's latest. That Slack has a message is recorded
whoever learns it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, not_, or_, select, text, true, update
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage, Workspace
from circles.persistence.sealing import SEALED
from circles.queries.ids import chunks
from circles.queries.outbox.choosing import again, first_of_each, wanted
from circles.queries.outbox.late import too_late


def lock_claimable(
    session: Session,
    now: datetime,
    limit: int,
    per_workspace: int | None = None,
    skip: Collection[int] = (),
    leave: Collection[tuple[int, str]] = (),
    *,
    wall: datetime,
    grace: timedelta | None = None,
) -> list[tuple[OutboxMessage, str, str | None]]:
    """Up to `limit` rows due by `now`, or whose claim expired by `wall` (claims are counted on the wall
    clock, whatever instant a pass runs at), each workspace's in turn and at most `per_workspace` of
    each, oldest due first, with their workspace's team and enterprise. Rows of uninstalled workspaces, of the
    workspaces in `skip`, to people of an organisation's workspace the app may no longer reach, and the
    messages that can wait to the (workspace id, person) in `leave`, wait. With a `grace`, a pending planned
    occurrence due longer than that before `now` is left out: the tick records it missed (see late).
    Locked until the caller commits."""
    timely = true() if grace is None else not_(too_late(now, grace))
    due = or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= now, timely),
        and_(OutboxMessage.status == OutboxStatus.CLAIMED, OutboxMessage.claimed_until < wall),
    )
    live: ColumnElement[bool] = Workspace.uninstalled_at.is_(None)
    if skip:
        live = and_(live, Workspace.id.not_in(sorted(skip)))
    if session.get_bind().dialect.name == "postgresql":
        # The choice is planned per workspace from estimates that grow with the installation (hundreds of
        # workspaces), past the cost at which PostgreSQL compiles a statement (JIT): 55 of the 83 ms a
        # claim took among 400 workspaces, for a statement that reads a few rows. Off for this transaction.
        session.execute(text("SET LOCAL jit = off"))
    limits, allowed = (limit, per_workspace or limit), and_(wanted(leave), timely)
    chosen = list(session.scalars(first_of_each(session, now, limits, live, allowed, wall)))
    if not chosen:
        return []
    locked = _lock(session, OutboxMessage.id.in_(chosen), again(session, due), live, limit=limit)
    if len(locked) < len(chosen):
        # Another dispatcher holds some of the chosen rows (it chose them too, a moment before): take the
        # oldest due that nobody holds instead, as claims did before shares, so that both keep working.
        taken = [row.id for row, _, _ in locked]
        others = and_(due, wanted(leave), OutboxMessage.id.not_in(taken) if taken else true())
        locked += _lock(session, others, live, limit=limit - len(locked))
    return locked


def _lock(
    session: Session, *where: ColumnElement[bool], limit: int
) -> list[tuple[OutboxMessage, str, str | None]]:
    """Lock up to `limit` rows matching `where` that no other claimer holds, oldest due first, with their
    workspace's team and enterprise. Only the outbox rows are locked, so that two claimers never wait on a
    shared workspace row."""
    rows = session.execute(
        select(OutboxMessage, Workspace.team_id, Workspace.enterprise_id)
        .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
        .where(*where)
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxMessage, key_share=True)
    ).all()
    return [(row, team_id, enterprise_id) for row, team_id, enterprise_id in rows]


def settle_sent(session: Session, message_id: int, result: dict[str, Any], now: datetime) -> bool:
    """Record that Slack has the message, whoever claimed it; False if it was already recorded sent."""
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


def settle_failed(session: Session, message_id: int, attempt: int, error: str) -> bool:
    """Record a permanent error while the claim `attempt` holds the row; False if it no longer does."""
    return _settled(
        session, message_id, _held(attempt), status=OutboxStatus.FAILED, last_error=error, claimed_until=None
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
    if payload is not None:
        scrub(session, [(message_id, payload)])
    return payload is not None


def scrubbed(payload: Any) -> dict[str, Any] | None:
    """What a private payload keeps once it will never be sent (its kind only); None if it holds no words."""
    if not isinstance(payload, dict) or not payload.get("private"):
        return None
    if not payload.get("args") and SEALED not in payload:
        return None
    return {"template": payload.get("template"), "args": {}, "private": True}


def scrub(session: Session, rows: Iterable[tuple[int, Any]]) -> None:
    """Drop the words of the private payloads among these (id, payload) of rows that are done with: one
    statement per kind (what is kept depends on the kind only) and CHUNK rows, however many rows."""
    by_kind: dict[str, tuple[dict[str, Any], list[int]]] = {}
    for message_id, payload in rows:
        if (kept := scrubbed(payload)) is not None:
            by_kind.setdefault(json.dumps(kept, sort_keys=True), (kept, []))[1].append(message_id)
    for kept, message_ids in by_kind.values():
        for chunk in chunks(sorted(message_ids)):
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(chunk))
                .values(payload=kept)
                .execution_options(synchronize_session=False)
            )


def put_back(
    session: Session,
    message_id: int,
    attempt: int,
    *,
    error: str,
    at: datetime,
    trail: dict[str, Any],
    max_attempts: int,
) -> OutboxStatus | None:
    """Pend the row again at `at`, or fail it once it had max_attempts; None if the claim is not held."""
    changed = _change(
        session,
        message_id,
        _held(attempt),
        returning=(OutboxMessage.status, OutboxMessage.payload),
        status=case(
            (OutboxMessage.attempts >= max_attempts, OutboxStatus.FAILED.value),
            else_=OutboxStatus.PENDING.value,
        ),
        due_at=at,
        last_error=error,
        claimed_until=None,
        result=trail,
    )
    if changed is None:
        return None
    status, payload = OutboxStatus(changed[0]), changed[1]
    if status is OutboxStatus.FAILED:  # given up: a private message keeps no words
        scrub(session, [(message_id, payload)])
    return status


def give_back(session: Session, message_id: int, attempt: int, at: datetime | None) -> bool:
    """Pend a claimed row untried, not counting the attempt; False if the claim is not held."""
    later: dict[str, Any] = {} if at is None else {"due_at": at}
    changed = _change(
        session,
        message_id,
        _held(attempt),
        status=OutboxStatus.PENDING,
        attempts=OutboxMessage.attempts - 1,
        claimed_until=None,
        **later,
    )
    return changed is not None


def _held(attempt: int) -> Any:
    return and_(OutboxMessage.status == OutboxStatus.CLAIMED, OutboxMessage.attempts == attempt)


def _change(
    session: Session, message_id: int, condition: Any, returning: tuple[Any, ...] = (), **values: Any
) -> Any:
    """Update one row if condition holds; return the `returning` columns (default its id), or None."""
    return session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, condition)
        .values(**values)
        .returning(*(returning or (OutboxMessage.id,)))
        .execution_options(synchronize_session=False)
    ).one_or_none()
