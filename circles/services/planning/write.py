"""Write planned check-ins and messages in a few set-based statements, each at most once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from circles.domain.planning import Planned
from circles.domain.schedule import Timing
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import CheckIn, OutboxMessage


def write(session: Session, planned: list[Planned], now: datetime) -> tuple[list[Planned], int]:
    """Record what is new; returns the messages written and how many check-ins were created.

    Rows go in a fixed order so that two planners inserting the same rows at once wait for each other
    instead of deadlocking; keys already present are skipped by the database, not by a read before.
    """
    planned = sorted(planned, key=lambda p: p.key)
    new_checkins, ids = _checkins(session, [p for p in planned if p.checkin is not None])
    planned = [_with_checkin_id(p, ids) for p in planned]
    written_keys = _outbox(session, planned, now)
    written = [p for p in planned if (p.workspace_id, p.key) in written_keys]
    # When a message's key was already taken under another instant (the person's time zone changed since
    # it was planned), the check-in row just made for the new instant would never be sent: remove it
    # rather than leave an unanswerable row behind.
    unsent = [
        ids[(p.workspace_id, *p.checkin, p.due_at)]
        for p in planned
        if p.checkin is not None and (p.workspace_id, p.key) not in written_keys
    ]
    orphans = sorted(set(unsent) & new_checkins)
    if orphans:
        session.execute(delete(CheckIn).where(CheckIn.id.in_(orphans)))
    return written, len(new_checkins) - len(orphans)


def _checkins(
    session: Session, planned: list[Planned]
) -> tuple[set[int], dict[tuple[int, int, int, datetime], int]]:
    if not planned:
        return set(), {}
    rows = []
    for p in planned:
        assert p.checkin is not None
        partnership_id, member_id = p.checkin
        rows.append(
            {
                "workspace_id": p.workspace_id,
                "partnership_id": partnership_id,
                "member_id": member_id,
                "due_at": p.due_at,
            }
        )
    rows.sort(key=lambda r: (r["partnership_id"], r["member_id"], r["due_at"]))
    table = table_of(CheckIn)
    inserted = session.execute(insert_ignoring_duplicates(session, table).returning(table.c.id), rows)
    new = {id_ for (id_,) in inserted}
    found = session.execute(
        select(
            CheckIn.id, CheckIn.workspace_id, CheckIn.partnership_id, CheckIn.member_id, CheckIn.due_at
        ).where(
            CheckIn.partnership_id.in_(sorted({r["partnership_id"] for r in rows})),
            CheckIn.due_at.in_(sorted({r["due_at"] for r in rows})),
        )
    ).all()
    return new, {(ws, pid, mid, due): id_ for id_, ws, pid, mid, due in found}


def _with_checkin_id(planned: Planned, ids: dict[tuple[int, int, int, datetime], int]) -> Planned:
    if planned.checkin is None:
        return planned
    checkin_id = ids[(planned.workspace_id, *planned.checkin, planned.due_at)]
    return replace(planned, args={**planned.args, "checkin_id": checkin_id})


def _outbox(session: Session, planned: list[Planned], now: datetime) -> set[tuple[int, str]]:
    if not planned:
        return set()
    rows = [
        {
            "workspace_id": p.workspace_id,
            "idempotency_key": p.key,
            "method": "chat.postMessage",
            "channel": p.channel,
            "payload": {"template": p.template, "args": p.args},
            "status": OutboxStatus.PENDING if p.timing is Timing.DUE else OutboxStatus.MISSED,
            "due_at": p.due_at,
            "created_at": now,
        }
        for p in planned
    ]
    table = table_of(OutboxMessage)
    statement = insert_ignoring_duplicates(session, table).returning(
        table.c.workspace_id, table.c.idempotency_key
    )
    return {(ws, key) for ws, key in session.execute(statement, rows)}


def table_of(model: type[Any]) -> Table:
    """The model's table, as Core statements take it."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def insert_ignoring_duplicates(session: Session, table: Table) -> Any:
    """An INSERT that skips rows whose unique key is already taken, on either database."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return insert(table)  # pragma: no cover - Circles runs on the two above


def delete_unsent_checkins(session: Session, checkin_ids: list[int]) -> None:
    """Drop check-ins whose message was never sent, unless someone answered them anyway."""
    if checkin_ids:
        session.execute(
            delete(CheckIn).where(CheckIn.id.in_(sorted(set(checkin_ids))), CheckIn.answered_at.is_(None))
        )
