"""Read a cohort's partnerships and pair overrides, set-based: one query each, never one per pair."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.matching.endings import EndedPairs, Ending, Override, sort_endings
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import Cohort, PairOverride, Partnership


@dataclass(frozen=True)
class PairHistory:
    partners: set[frozenset[int]]  # every pair that was ever partners in the cohort
    running: list[tuple[int, int]]  # (guide or first peer, learner or second), ordered
    ended: EndedPairs  # pairs whose partnership ended, kept apart or allowed again


def partnership_history(session: Session, cohort: Cohort, pair: tuple[int, int] | None = None) -> PairHistory:
    """Every partnership of the cohort (or of one pair of members only), read once, and the overrides."""
    both = set(pair) if pair is not None else None
    rows = session.execute(
        select(
            Partnership.first_member_id,
            Partnership.second_member_id,
            Partnership.status,
            Partnership.round,
            Partnership.started_at,
            Partnership.ended_at,
        ).where(
            Partnership.cohort_id == cohort.id,
            *(
                (Partnership.first_member_id.in_(both), Partnership.second_member_id.in_(both))
                if both is not None
                else ()
            ),
        )
    ).all()
    running = sorted(
        {(first, second) for first, second, status, *_ in rows if status != PartnershipStatus.ENDED}
    )
    endings = [
        Ending(first, second, round_number, ended_at or started_at)
        for first, second, status, round_number, started_at, ended_at in rows
        if status == PartnershipStatus.ENDED
    ]
    overrides = session.execute(
        select(PairOverride.first_member_id, PairOverride.second_member_id, PairOverride.allowed_at).where(
            PairOverride.cohort_id == cohort.id,
            *(
                (PairOverride.first_member_id.in_(both), PairOverride.second_member_id.in_(both))
                if both is not None
                else ()
            ),
        )
    )
    allowed = [Override(first, second, at) for first, second, at in overrides]
    return PairHistory(
        partners={frozenset((first, second)) for first, second, *_ in rows},
        running=running,
        ended=sort_endings(endings, allowed, (frozenset(pair) for pair in running)),
    )
