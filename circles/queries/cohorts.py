"""Cohorts: which ones planning looks at, and when each is next due."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from circles.persistence.models import Cohort, Workspace
from circles.queries.inserts import table_of


def lock_due_cohorts(session: Session, until: datetime, limit: int) -> list[tuple[Cohort, datetime | None]]:
    """Up to `limit` cohorts due by `until` (or at once), by id, each with when its workspace uninstalled
    the app; locked until the caller commits, skipping those another transaction holds."""
    rows = session.execute(
        select(Cohort, Workspace.uninstalled_at)
        .join(Workspace, Workspace.id == Cohort.workspace_id)
        .where(or_(Cohort.plan_due_at.is_(None), Cohort.plan_due_at <= until))
        .limit(limit)
        .with_for_update(of=Cohort, skip_locked=True)
    ).all()  # unordered: an ORDER BY would make SQLite scan the table instead of the due-time index
    return sorted(((cohort, uninstalled) for cohort, uninstalled in rows), key=lambda row: row[0].id)


def store_plan_due(session: Session, due: Mapping[int, tuple[datetime, datetime | None]]) -> None:
    """Keep each cohort's next instant and how far it is planned, in one statement."""
    if not due:
        return
    table = table_of(Cohort)
    instant = table.c.plan_due_at.type
    session.execute(
        update(table)
        .where(table.c.id == bindparam("cohort_id"))
        .values(
            plan_due_at=bindparam("due_at", type_=instant), planned_until=bindparam("until", type_=instant)
        ),
        [
            {"cohort_id": cohort_id, "due_at": at, "until": until}
            for cohort_id, (at, until) in sorted(due.items())
        ],
    )
