"""Take each request in once: the first to record its keys wins, a replay finds them already there."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, insert
from sqlalchemy.dialects import postgresql, sqlite

from circles.persistence.db import UnitOfWork
from circles.persistence.models import SeenRequest


def first_sighting(uow: UnitOfWork, keys: Sequence[tuple[str, datetime]]) -> bool:
    """Remember every key until its expiry; say whether none of them had been seen before.

    The primary key decides, so two replicas taking in the same request at once cannot both win.
    """
    with uow:
        table = SeenRequest.__table__
        assert isinstance(table, Table)
        dialect = uow.session.get_bind().dialect.name
        statement: Any
        if dialect == "postgresql":
            statement = postgresql.insert(table).on_conflict_do_nothing()
        elif dialect == "sqlite":
            statement = sqlite.insert(table).on_conflict_do_nothing()
        else:  # pragma: no cover - the two databases Circles supports are handled above
            statement = insert(table)
        new = 0
        for key, expires_at in keys:  # one row each: RETURNING says which ones this call wrote
            written = uow.session.execute(
                statement.values(key=key, expires_at=expires_at).returning(table.c.key)
            ).all()
            new += len(written)
        uow.commit()
        return new == len(keys)


def forget_expired(uow: UnitOfWork, now: datetime) -> int:
    """Delete what can no longer be replayed; returns how many rows went."""
    with uow:
        result = uow.session.execute(delete(SeenRequest).where(SeenRequest.expires_at <= now))
        uow.commit()
        return int(getattr(result, "rowcount", 0) or 0)
