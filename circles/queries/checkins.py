"""Check-ins: written once per partner and instant, and dropped when their message was never sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from circles.persistence.models import CheckIn
from circles.queries.inserts import insert_ignoring_duplicates, table_of

# A check-in as planning knows it: workspace, partnership, member and instant.
CheckInKey = tuple[int, int, int, datetime]


@dataclass(frozen=True)
class NewCheckIn:
    workspace_id: int
    partnership_id: int
    member_id: int
    due_at: datetime


def add_checkins(session: Session, checkins: Sequence[NewCheckIn]) -> tuple[set[int], dict[CheckInKey, int]]:
    """Add the check-ins not there yet; returns the ids of those just added, and the id of every row
    (new or not) of these partnerships at these instants, by workspace, partnership, member and instant.

    Rows go in a fixed order so that two planners inserting the same rows at once wait for each other
    instead of deadlocking.
    """
    if not checkins:
        return set(), {}
    rows = [
        {
            "workspace_id": c.workspace_id,
            "partnership_id": c.partnership_id,
            "member_id": c.member_id,
            "due_at": c.due_at,
        }
        for c in checkins
    ]
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


def delete_checkins(session: Session, checkin_ids: Sequence[int]) -> None:
    session.execute(delete(CheckIn).where(CheckIn.id.in_(checkin_ids)))


def delete_unanswered(session: Session, checkin_ids: Sequence[int]) -> None:
    """Drop these check-ins, except those someone answered."""
    session.execute(
        delete(CheckIn).where(CheckIn.id.in_(sorted(set(checkin_ids))), CheckIn.answered_at.is_(None))
    )
