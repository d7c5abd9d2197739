"""Today's date for a test whose own dates and the app's reading of the real clock must agree."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

ROOM = timedelta(seconds=30)  # far more than a test takes from reading the date to its first request


def today_with_room(room: timedelta = ROOM) -> date:
    """Today in UTC, with at least `room` of it left: in the last moments of a day, after waiting for the
    next. A date read at import, or just before midnight, can be a day behind the app's by the time
    the app reads the clock."""
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    if midnight - now < room:
        time.sleep((midnight - now).total_seconds())
    return datetime.now(UTC).date()
