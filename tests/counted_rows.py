"""Many rows made by the database itself, from a count, rather than sent over one by one from Python.

Building tens of thousands of rows in Python and inserting them costs seconds of CPU per test; an
INSERT … SELECT over a counted series costs a statement. Each helper works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CTE, ColumnElement, Integer, String, cast, func, literal, literal_column, select

from circles.persistence.base import UTCDateTime


def numbers(below: int, name: str = "numbers") -> CTE:
    """A table of one column, n: 0 to below - 1."""
    n = select(literal_column("0", Integer).label("n")).cte(name, recursive=True)
    return n.union_all(select(n.c.n + 1).where(n.c.n < below - 1))


def padded(prefix: str, number: ColumnElement[int], digits: int) -> ColumnElement[str]:
    """The database's f"{prefix}{number:0{digits}d}", for 0 <= number < 10 ** digits."""
    return literal(prefix) + func.substr(cast(10**digits + number, String), 2)


def text_of(prefix: str, number: ColumnElement[int]) -> ColumnElement[str]:
    """The database's f"{prefix}{number}"."""
    return literal(prefix) + cast(number, String)


def at(instant: datetime) -> ColumnElement[datetime]:
    """An instant, stored as the app's own writes store it."""
    return literal(instant, UTCDateTime())


def days_after(instant: datetime, days: ColumnElement[int], dialect: str) -> ColumnElement[Any]:
    """`instant` plus a (signed) number of days, stored as the app's own writes store it."""
    if dialect == "postgresql":
        return at(instant) + func.make_interval(0, 0, 0, days)
    # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff" in UTC; its datetime() drops the fraction, put back here.
    stored = instant.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return func.datetime(stored, cast(days, String) + " days", type_=String) + stored[19:]
