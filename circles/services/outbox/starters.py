"""Conversation starters in the outbox: dropped at claim time when their pair no longer runs with both
partners (the pair or a partner paused, ended or gone since it was planned, by whatever route, or by a
change that raced the planner), never posted into the pair's conversation. One query per batch that holds
a starter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.deferral import supersede
from circles.queries.outbox.rows import starter_pair
from circles.queries.pair_states import with_both_present


def drop_resting(session: Session, rows: Sequence[OutboxMessage], now: datetime) -> set[int]:
    """Of these locked rows, mark superseded the starters of pairs that no longer run with both partners;
    their ids."""
    starters = {row.id: pair for row in rows if (pair := starter_pair(row.idempotency_key)) is not None}
    if not starters:
        return set()
    present = with_both_present(session, set(starters.values()), now)
    dropped = {row_id for row_id, pair in starters.items() if pair not in present}
    supersede(session, dropped)
    return dropped
