"""Requests already taken in: their primary key decides who saw one first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from circles.persistence.models import SeenRequest
from circles.queries.inserts import insert_ignoring_duplicates, table_of


def remember_new(session: Session, keys: Sequence[tuple[str, datetime]]) -> int:
    """Record each key until its expiry; returns how many were not there yet."""
    table = table_of(SeenRequest)
    statement = insert_ignoring_duplicates(session, table)
    new = 0
    for key, expires_at in keys:  # one row each: RETURNING says which ones this call wrote
        written = session.execute(
            statement.values(key=key, expires_at=expires_at).returning(table.c.key)
        ).all()
        new += len(written)
    return new


def forget_expired(session: Session, now: datetime) -> int:
    """Delete what can no longer be replayed; returns how many rows went."""
    result = session.execute(delete(SeenRequest).where(SeenRequest.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)


def forget(session: Session, key: str) -> None:
    """Forget one key before its expiry: what it named may be asked again at once."""
    session.execute(delete(SeenRequest).where(SeenRequest.key == key))
