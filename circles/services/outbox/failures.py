"""Rows that failed for good: why, and how many lately (what /healthz and the tick summary report)."""

from __future__ import annotations

from datetime import datetime

from circles.persistence.db import Session
from circles.queries.outbox import rows

# The reason of a row whose message could not be built, followed by the kind of error (never its text):
# failed at once and for good, never sent, never tried again.
UNBUILDABLE = "unbuildable:"


def failed_since(session: Session, since: datetime) -> int:
    """How many rows failed for good that were due since `since`: one range scan of the status index."""
    return rows.failed_since(session, since)
