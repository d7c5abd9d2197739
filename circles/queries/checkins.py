"""Check-ins: erasing what members wrote in them."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import update
from sqlalchemy.orm import Session

from circles.persistence.models import CheckIn


def erase_notes(session: Session, member_ids: Collection[int]) -> None:
    """Remove the notes of these memberships' check-ins; the ratings stay."""
    if member_ids:
        session.execute(
            update(CheckIn)
            .where(CheckIn.member_id.in_(member_ids))
            .values(note_encrypted=None, note_shared=False)
        )
