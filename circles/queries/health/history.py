"""The health history a recompute keeps: the newest rows of each pair in scope; new rows, written at once."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import PartnershipHealthState
from circles.persistence.models import HealthRecord
from circles.queries.health.reads import Scope


class Stored(NamedTuple):
    """One stored history row, as the change check and the trend need it."""

    state: PartnershipHealthState
    computed_at: datetime
    reason_keys: str


def recent_history(session: Session, scope: Scope, keep: int) -> dict[int, list[Stored]]:
    """The newest `keep` history rows of each partnership in scope, newest first, in one query."""
    newest_first = func.row_number().over(
        partition_by=HealthRecord.partnership_id, order_by=HealthRecord.id.desc()
    )
    some = [] if scope.partnership_ids is None else [HealthRecord.partnership_id.in_(scope.partnership_ids)]
    ranked = (
        select(
            HealthRecord.partnership_id,
            HealthRecord.state,
            HealthRecord.computed_at,
            HealthRecord.reason_keys,
            newest_first.label("position"),
        )
        .where(HealthRecord.cohort_id.in_(scope.cohorts), *some)
        .subquery()
    )
    rows = session.connection().execute(
        select(ranked.c.partnership_id, ranked.c.state, ranked.c.computed_at, ranked.c.reason_keys)
        .where(ranked.c.position <= keep)
        .order_by(ranked.c.partnership_id, ranked.c.position)
    )
    found: dict[int, list[Stored]] = {}
    for partnership_id, state, computed_at, reason_keys in rows:
        found.setdefault(partnership_id, []).append(Stored(state, computed_at, reason_keys))
    return found


def add_history(session: Session, rows: list[dict[str, object]]) -> None:
    """Write these history rows in one statement."""
    if rows:
        # On the connection: a plain executemany, without the ORM's per-row bookkeeping.
        session.connection().execute(insert(HealthRecord), rows)
