"""Inserts that let the database keep each row once: rows whose unique key is taken are skipped."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


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
