"""Facilitators' overrides that let a pair whose partnership ended be matched again."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from circles.domain.matching.endings import Override
from circles.persistence.models import PairOverride


def overrides_of(session: Session, cohort_id: int, among: Collection[int] | None = None) -> list[Override]:
    """The cohort's overrides, or only those between members of `among` (e.g. one pair)."""
    both = list(among) if among is not None else None
    rows = session.execute(
        select(PairOverride.first_member_id, PairOverride.second_member_id, PairOverride.allowed_at).where(
            PairOverride.cohort_id == cohort_id,
            *(
                (PairOverride.first_member_id.in_(both), PairOverride.second_member_id.in_(both))
                if both is not None
                else ()
            ),
        )
    )
    return [Override(first, second, at) for first, second, at in rows]


def add_override_once(
    session: Session, workspace_id: int, cohort_id: int, pair: tuple[int, int], set_by: str, at: datetime
) -> tuple[PairOverride, bool]:
    """The pair's override and whether this call added it; of two added at once, the unique key keeps one."""
    first, second = pair
    where = (
        PairOverride.cohort_id == cohort_id,
        PairOverride.first_member_id == first,
        PairOverride.second_member_id == second,
    )
    found = session.scalars(select(PairOverride).where(*where)).one_or_none()
    if found is not None:
        return found, False
    row = PairOverride(
        workspace_id=workspace_id,
        cohort_id=cohort_id,
        first_member_id=first,
        second_member_id=second,
        set_by=set_by,
        allowed_at=at,
    )
    try:
        with session.begin_nested():
            session.add(row)
        return row, True
    except IntegrityError:
        return session.scalars(select(PairOverride).where(*where)).one(), False
