"""Questions about a cohort's partnerships, asked set-based: one query, never one per pair."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import Partnership


class PairRow(NamedTuple):
    """One partnership as matching sees it: who, how it stands, and when."""

    first: int  # the guide or first peer
    second: int  # the learner or second peer
    status: PartnershipStatus
    round: int
    started_at: datetime
    ended_at: datetime | None


def pair_rows(session: Session, cohort_id: int, among: Collection[int] | None = None) -> list[PairRow]:
    """Every partnership of the cohort, or only those between members of `among` (e.g. one pair)."""
    both = list(among) if among is not None else None
    rows = session.execute(
        select(
            Partnership.first_member_id,
            Partnership.second_member_id,
            Partnership.status,
            Partnership.round,
            Partnership.started_at,
            Partnership.ended_at,
        ).where(
            Partnership.cohort_id == cohort_id,
            *(
                (Partnership.first_member_id.in_(both), Partnership.second_member_id.in_(both))
                if both is not None
                else ()
            ),
        )
    )
    return [PairRow(*row) for row in rows]
