"""Questions about check-ins and the notes partners shared, the statement that takes one answer, erasure."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from circles.persistence.models import CheckIn, Member


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


def newest_checkin(session: Session, partnership_id: int, member_id: int) -> CheckIn | None:
    """The member's latest check-in in this partnership, answered or not."""
    return session.scalars(
        select(CheckIn)
        .where(CheckIn.partnership_id == partnership_id, CheckIn.member_id == member_id)
        .order_by(CheckIn.due_at.desc(), CheckIn.id.desc())
        .limit(1)
    ).first()


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


def latest_shared_notes(session: Session, partnership_id: int, limit: int) -> list[StoredNote]:
    """The partnership's latest notes whose authors shared them, newest first; unshared ones never."""
    when = func.coalesce(CheckIn.answered_at, CheckIn.due_at)
    rows = session.execute(
        select(CheckIn.note_encrypted, when, Member.slack_user_id)
        .join(Member, (Member.id == CheckIn.member_id) & (Member.workspace_id == CheckIn.workspace_id))
        .where(
            CheckIn.partnership_id == partnership_id,
            CheckIn.note_shared.is_(True),
            CheckIn.note_encrypted.is_not(None),
        )
        .order_by(when.desc(), CheckIn.id.desc())
        .limit(limit)
    )
    return [StoredNote(author, at, token) for token, at, author in rows if token]
