"""Dates for tests whose own dates and the app's reading of the real clock must agree, and the instants
as `circles tick --now` takes them."""

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


# Whole weeks, so that a programme moved by it keeps its weekdays (and, a day earlier each year, its season).
YEAR = timedelta(weeks=52)


def years_ahead(written_for: datetime, margin: timedelta = timedelta(days=14)) -> timedelta:
    """How far to move a programme written to start at `written_for` so that it starts at least `margin`
    from now, in whole 52-week years: nothing while it is still that far ahead."""
    behind = datetime.now(UTC) + margin - written_for
    return YEAR * max(0, -(-behind // YEAR))


def at(moment: datetime) -> str:
    """The instant as `circles tick --now` takes it: ISO 8601 in UTC."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def moved(written: str, years_on: timedelta) -> str:
    """An instant of a programme as written (ISO 8601, UTC), as `--now` in the year it runs in."""
    return at(datetime.fromisoformat(written) + years_on)
