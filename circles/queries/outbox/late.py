"""Planned occurrences too late to send: a prompt, a check-in, a conversation starter, a session idea, a
catch-up or a digest still unsent past the grace window after its due time (CIRCLES_GRACE_HOURS).

The tick records them missed (`circles.services.planning.expire_overdue`, by these same keys); every claim
leaves them out meanwhile, so that whatever ran first after an outage (a worker's sender polling as it
starts, a pass resumed after the process or its machine was paused, the database back after hours) never
sends one late, nor holds one back for a window, which would give it a new due time that expiry would
count from. A row held back by its window is due when that window opens: its grace counts from then.
One-off notices (an alert, an answer, a support request) are never too late.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_

from circles.domain.digests import DIGEST_KEYS
from circles.domain.planning import TEMPLATES
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.keys import key_starts_with

EXPIRING = (*(f"{template}:" for template in TEMPLATES), DIGEST_KEYS)  # the keys expire_overdue expires


def too_late(now: datetime, grace: timedelta) -> ColumnElement[bool]:
    """Whether a pending row is a planned occurrence due before the grace window that ends at `now`."""
    return and_(
        OutboxMessage.status == OutboxStatus.PENDING,
        OutboxMessage.due_at < now - grace,
        or_(*(key_starts_with(prefix) for prefix in EXPIRING)),
    )


def is_too_late(row: OutboxMessage, now: datetime, grace: timedelta) -> bool:
    """`too_late` for a row in hand, whatever its status (a claim that expired holds one due so long ago)."""
    return row.idempotency_key.startswith(EXPIRING) and row.due_at < now - grace
