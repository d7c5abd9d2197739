"""Inserts that let the database keep each row once: rows whose unique key is taken are skipped (or, where
asked, updated)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def table_of(model: type[Any]) -> Table:
    """The model's table, as Core statements take it."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def insert_on_conflict(session: Session, table: Table) -> Any:
    """An INSERT that can say what to do when a row's unique key is taken (`on_conflict_do_nothing`,
    `on_conflict_do_update`), on either database."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_ignoring_duplicates(session: Session, table: Table) -> Any:
    """An INSERT that skips rows whose unique key is already taken, on either database."""
    return insert_on_conflict(session, table).on_conflict_do_nothing()
