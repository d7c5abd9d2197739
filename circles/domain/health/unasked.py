"""Time no check-in was asked never counts as days without meeting: partners report a meeting by answering.

When the app was down for weeks, or the cadence otherwise stopped, nobody was asked, so nobody could
say they met. Of each gap between two check-ins asked one after the other, only the cohort's check-in
interval counts; the rest is left out of the days without meeting, the way time away is (overlaps
counted once). The time since the last check-in asked counts in full, as before: the next one asked
closes its gap (after an outage, the first tick asks at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from circles.domain.health.away import Spans


def unasked_spans(asked: Iterable[datetime], every: timedelta | None) -> Spans:
    """The spans in which no check-in was asked though one was due: from `every` after each instant a
    check-in was asked (in order) until the next one. None for `every`: nothing is left out."""
    if every is None or every <= timedelta(0):
        return ()
    found: list[tuple[datetime, datetime]] = []
    instants = iter(asked)
    previous = next(instants, None)
    if previous is None:
        return ()
    for at in instants:
        if at - previous > every:
            found.append((previous + every, at))
        if at > previous:
            previous = at
    return tuple(found)
