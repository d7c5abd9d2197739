"""Questions about check-ins (whether one has been asked yet) and the notes partners shared, the statement
that takes one answer, check-ins written once per partner and instant, asked later when held back,
dropped when their message was never sent, and erasure."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, delete, func, select, true, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import AliasedClass

from circles.persistence.models import CheckIn
from circles.queries.ids import chunks
from circles.queries.inserts import insert_ignoring_duplicates, table_of

CheckInRows = type[CheckIn] | AliasedClass[CheckIn]  # the table, or a second name for it (queries.aliases)


def asked_at(checkin: CheckInRows = CheckIn) -> ColumnElement[datetime]:
    """When a check-in's question goes: when it was due, or later when it was held for its person."""
    return func.coalesce(checkin.asked_at, checkin.due_at)


def asked_by(now: datetime, checkin: CheckInRows = CheckIn) -> ColumnElement[bool]:
    """Whether a check-in's question has been asked of its person by `now`: not one planned ahead (due
    later), nor one claimed and held for their working hours or an absence (asked later). Only a check-in
    asked replaces an older one (circles.queries.checkins_newest)."""
    return asked_at(checkin) <= now


def erase_notes(session: Session, member_ids: Collection[int]) -> None:
    """Remove the notes of these memberships' check-ins; the ratings stay."""
    if member_ids:
        session.execute(
            update(CheckIn)
            .where(CheckIn.member_id.in_(member_ids))
            .values(note_encrypted=None, note_shared=False)
        )


@dataclass(frozen=True)
class StoredNote:
    """A shared note as stored: still encrypted, with its author and when it was written."""

    author_user_id: str
    at: datetime
    token: bytes


@dataclass(frozen=True)
class GivenAnswer:
    """What a check-in answer stores: the note already encrypted, or None."""

    rating: int | None
    met: bool | None
    note_encrypted: bytes | None
    note_shared: bool
    wants_support: bool


def answer_once(session: Session, checkin_id: int, given: GivenAnswer, now: datetime) -> bool:
    """Store the answer if the check-in has none yet; False when another answer came first (two clicks)."""
    claimed = session.execute(
        update(CheckIn)
        .where(CheckIn.id == checkin_id, CheckIn.answered_at.is_(None))
        .values(
            answered_at=now,
            rating=given.rating,
            met=given.met,
            note_encrypted=given.note_encrypted,
            note_shared=given.note_shared,
            wants_support=given.wants_support,
        )
        .execution_options(synchronize_session=False)
    )
    return getattr(claimed, "rowcount", 0) == 1


def answered_now(session: Session, checkin_id: int) -> bool | None:
    """Whether the check-in is answered, as committed now; None when it is gone (dropped unanswered)."""
    row = session.execute(select(CheckIn.answered_at).where(CheckIn.id == checkin_id)).one_or_none()
    return None if row is None else row.answered_at is not None


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
    found: dict[CheckInKey, int] = {}
    days = sorted({c.due_at for c in checkins})
    for pairs in chunks(sorted({c.partnership_id for c in checkins})):  # a pass can plan for 100,000 pairs
        found |= {
            (ws, pid, mid, due): id_
            for id_, ws, pid, mid, due in session.execute(
                select(
                    CheckIn.id,
                    CheckIn.workspace_id,
                    CheckIn.partnership_id,
                    CheckIn.member_id,
                    CheckIn.due_at,
                ).where(CheckIn.partnership_id.in_(pairs), CheckIn.due_at.in_(days))
            )
        }
    return new, found


def delete_checkins(session: Session, checkin_ids: Sequence[int]) -> None:
    for some in chunks(checkin_ids):
        session.execute(delete(CheckIn).where(CheckIn.id.in_(some)))


def pairs_of(session: Session, checkin_ids: Sequence[int]) -> list[int]:
    """The partnerships of these check-ins, in id order."""
    found: set[int] = set()
    for some in chunks(sorted(set(checkin_ids))):
        found |= set(session.scalars(select(CheckIn.partnership_id).where(CheckIn.id.in_(some))))
    return sorted(found)


def delete_unanswered(session: Session, checkin_ids: Sequence[int]) -> None:
    """Drop these check-ins, except those someone answered."""
    for some in chunks(sorted(set(checkin_ids))):
        session.execute(delete(CheckIn).where(CheckIn.id.in_(some), CheckIn.answered_at.is_(None)))


def ask_later(session: Session, asked: Sequence[tuple[int, datetime]]) -> None:
    """Record when the questions of these check-ins, held back, will go, (check-in, instant) each, in one
    statement; health sees each again then, as a check-in falling due. Answered ones keep their time."""
    if not asked:
        return
    table = table_of(CheckIn)
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("checkin"), table.c.answered_at.is_(None))
        .values(asked_at=bindparam("at", type_=table.c.asked_at.type), health_pending=true()),
        [{"checkin": checkin, "at": at} for checkin, at in sorted(asked)],
    )
