"""Claims on outbox rows: taken without two senders taking one, settled once, fenced by the claim's number.

A claim's number (`attempts` after claiming) fences what a sender records: a row is failed, put back or
given back only while the claim that asks is still the row's latest. That Slack has a message is recorded
whoever learns it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    not_,
    or_,
    select,
    true,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from circles.domain.delivery import CAN_WAIT
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage, Profile, RevokedTeam, Workspace
from circles.persistence.sealing import SEALED
from circles.queries.ids import chunks
from circles.queries.locked import among_locked


def lock_claimable(
    session: Session,
    now: datetime,
    limit: int,
    per_workspace: int | None = None,
    skip: Collection[int] = (),
    leave: Collection[tuple[int, str]] = (),
) -> list[tuple[OutboxMessage, str, str | None]]:
    """Up to `limit` rows due, or whose claim expired, each workspace's in turn and at most `per_workspace` of
    each, oldest due first, with their workspace's team and enterprise. Rows of uninstalled workspaces, of the
    workspaces in `skip`, to people of an organisation's workspace the app may no longer reach, and the
    messages that can wait to the (workspace id, person) in `leave`, wait. Locked until the caller commits."""
    due = or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= now),
        and_(OutboxMessage.status == OutboxStatus.CLAIMED, OutboxMessage.claimed_until < now),
    )
    live: ColumnElement[bool] = Workspace.uninstalled_at.is_(None)
    if skip:
        live = and_(live, Workspace.id.not_in(sorted(skip)))
    chosen = _first_of_each(session, now, (limit, per_workspace or limit), live, _wanted(leave))
    rows = session.execute(
        select(OutboxMessage, Workspace.team_id, Workspace.enterprise_id)
        .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
        .where(among_locked(session, OutboxMessage.id, chosen), _again(session, due), live)
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
        # Several dispatchers on PostgreSQL each take rows the others have not locked; only the
        # outbox rows are locked, so two claimers never wait on a shared workspace row.
        .with_for_update(skip_locked=True, of=OutboxMessage, key_share=True)
    ).all()
    return [(row, team_id, enterprise_id) for row, team_id, enterprise_id in rows]


def _again(session: Session, due: ColumnElement[bool]) -> ColumnElement[bool]:
    """`due` once more, on PostgreSQL: a row another claimer took after `chosen` was read is no longer due
    when its lock is granted, and is skipped. SQLite has one writer at a time; asked there, it would walk
    every due row (those of removed workspaces too) instead of the chosen ones."""
    return due if session.get_bind().dialect.name == "postgresql" else true()


def _first_of_each(
    session: Session,
    now: datetime,
    limits: tuple[int, int],
    live: ColumnElement[bool],
    wanted: ColumnElement[bool],
) -> Select[Any]:
    """The ids of up to `limit` rows to claim: the rows whose claim expired, then each live workspace's
    first waiting row, then each one's second, and so on, up to `share` of each: one workspace's backlog
    never crowds the others out of a claim.

    Walked from the live workspaces through the (workspace, status, due) index, so the rows of removed
    workspaces, however many wait, are never read."""
    limit, share = limits
    waiting = and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= now, wanted)
    in_turn = (OutboxMessage.due_at, OutboxMessage.id)
    if session.get_bind().dialect.name == "postgresql":
        # Per workspace, its first rows in due order straight from the index: bounded by the share.
        first = (
            select(
                OutboxMessage.id, OutboxMessage.due_at, func.row_number().over(order_by=in_turn).label("turn")
            )
            .where(OutboxMessage.workspace_id == Workspace.id, waiting)
            .order_by(*in_turn)
            .limit(share)
            .lateral()
        )
        own: Select[Any] = (
            select(first.c.id, first.c.due_at, first.c.turn)
            .select_from(Workspace)
            .join(first, true())
            .where(live)
            .correlate(None)
        )
    else:  # SQLite has no LATERAL: the live workspaces' waiting rows, numbered per workspace
        turn = func.row_number().over(partition_by=OutboxMessage.workspace_id, order_by=in_turn)
        ranked = (
            select(OutboxMessage.id, OutboxMessage.due_at, turn.label("turn"))
            .where(OutboxMessage.workspace_id.in_(select(Workspace.id).where(live).correlate(None)), waiting)
            .subquery()
        )
        own = select(ranked.c.id, ranked.c.due_at, ranked.c.turn).where(ranked.c.turn <= share)
    expired = select(OutboxMessage.id, OutboxMessage.due_at, literal(0).label("turn")).where(
        OutboxMessage.status == OutboxStatus.CLAIMED, OutboxMessage.claimed_until < now, wanted
    )
    either = union_all(own, expired.correlate(None)).subquery()
    return (
        select(either.c.id).order_by(either.c.turn, either.c.due_at, either.c.id).limit(limit).correlate(None)
    )


def _wanted(leave: Collection[tuple[int, str]]) -> ColumnElement[bool]:
    """Whether a row may be claimed now: for someone reachable, and not a message that can wait to
    someone in `leave` (whose Do Not Disturb is still to be asked about)."""
    reachable = _reachable()
    if not leave:
        return reachable
    can_wait = OutboxMessage.payload["template"].as_string().in_(sorted(CAN_WAIT))
    pending = tuple_(OutboxMessage.workspace_id, OutboxMessage.channel).in_(sorted(leave))
    return and_(reachable, not_(and_(can_wait, pending)))


def _reachable() -> ColumnElement[bool]:
    """Whether a row is for no one of a workspace its organisation's app can no longer reach."""
    # The people of lost workspaces are read once, into a set each due row is looked up in (a hashed
    # subplan on PostgreSQL). As an anti-join, PostgreSQL took them for one person (an organisation's people
    # are all in one tenant) and compared every waiting row with each of them; as a lookup per due row, its
    # cost estimate grew with the pending rows until the statement was compiled (JIT) on every claim.
    revoked = select(RevokedTeam.workspace_id, RevokedTeam.team_id)
    lost = select(Profile.workspace_id, Profile.slack_user_id).where(
        Profile.workspace_id.in_(select(RevokedTeam.workspace_id)),  # none read while none is lost
        tuple_(Profile.workspace_id, Profile.slack_team_id).in_(revoked),
    )
    return or_(
        OutboxMessage.channel.is_(None),
        tuple_(OutboxMessage.workspace_id, OutboxMessage.channel).not_in(lost),
    )


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
