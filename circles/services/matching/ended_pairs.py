"""A cohort's partnerships and pair overrides, read set-based, as matching sees them."""

from __future__ import annotations

from dataclasses import dataclass

from circles.domain.matching.endings import EndedPairs, Ending, sort_endings
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.db import Session
from circles.persistence.models import Cohort
from circles.queries.pair_overrides import overrides_of
from circles.queries.partnerships import pair_rows


@dataclass(frozen=True)
class PairHistory:
    partners: set[frozenset[int]]  # every pair that was ever partners in the cohort
    running: list[tuple[int, int]]  # (guide or first peer, learner or second), ordered
    ended: EndedPairs  # pairs whose partnership ended, kept apart or allowed again


def partnership_history(session: Session, cohort: Cohort, pair: tuple[int, int] | None = None) -> PairHistory:
    """Every partnership of the cohort (or of one pair of members only), read once, and the overrides."""
    rows = pair_rows(session, cohort.id, pair)
    running = sorted({(row.first, row.second) for row in rows if row.status != PartnershipStatus.ENDED})
    endings = [
        Ending(row.first, row.second, row.round, row.ended_at or row.started_at, row.id)
        for row in rows
        if row.status == PartnershipStatus.ENDED
    ]
    allowed = overrides_of(session, cohort.id, pair)
    return PairHistory(
        partners={frozenset((row.first, row.second)) for row in rows},
        running=running,
        ended=sort_endings(endings, allowed, (frozenset(pair) for pair in running)),
    )
