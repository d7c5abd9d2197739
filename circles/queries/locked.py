"""A row among those a locking subquery takes, written so that PostgreSQL's planner cannot make it cost the
square of the rows.

`id IN (SELECT id … FOR UPDATE SKIP LOCKED)` is planned from the table's statistics. Right after a pass wrote
many rows (a Monday's check-ins for 70,000 pairs), they still say the table is nearly empty: the planner
then walks the table and runs the locking subquery again for every row, minutes for what takes a second.
On PostgreSQL the subquery is run once, into an array (`id = ANY(ARRAY(…))`), and the rows are found by
their key; SQLite runs an IN subquery once in any case.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, any_, func
from sqlalchemy.orm import InstrumentedAttribute, Session


def among_locked(
    session: Session, column: InstrumentedAttribute[Any], subquery: Select[Any]
) -> ColumnElement[bool]:
    """`column` is one of the values the locking `subquery` returns, taken once."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(func.array(subquery.scalar_subquery()))
    return column.in_(subquery)
