"""Time a partner is away (their own `/circles away`, a rotation, leave) never counts against the pair.

- A day away is no day without meeting: the days count only the time neither partner was away.
- An unanswered check-in whose answer window overlaps either partner's absence is not missed: the pair
  is on hold, and the partner who stays was told their check-ins with the other pause.
- A pair waits for its partner's return before it calls for the facilitators, unless someone asked
  for support (see circles.services.health.watch).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from circles.domain.availability import Absence, absent_during

Spans = tuple[tuple[datetime, datetime], ...]  # (from, back at), the instant they are back not included


def overlaps(spans: Spans, since: datetime, until: datetime) -> bool:
    """Whether any span overlaps [since, until)."""
    return any(start < until and since < back for start, back in spans)


def away_between(spans: Iterable[tuple[datetime, datetime]], since: datetime, until: datetime) -> timedelta:
    """How much of [since, until) anyone of these spans covers, overlaps counted once."""
    # Only the spans overlapping it: most (gaps between check-ins long past) end before `since`.
    return absent_during(
        [Absence(start, back) for start, back in spans if start < until and since < back], since, until
    )


def present_time_reached(
    spans: Iterable[tuple[datetime, datetime]], since: datetime, needed: timedelta
) -> datetime:
    """The instant at which `needed` time outside every span has passed since `since`."""
    reached = since + needed
    last = since
    for start, back in sorted(spans):
        start = max(start, last)
        if start >= reached:
            break
        if back > start:
            reached += back - start
            last = back
    return reached


def away_until(spans: Spans, at: datetime) -> datetime | None:
    """When a partner away at `at` is back, following blocks that touch or overlap; None if not away."""
    back: datetime | None = None
    current = at
    moved = True
    while moved:
        moved = False
        for start, end in spans:
            if start <= current < end:
                back, current, moved = end, end, True
    return back


def waits_for_return(
    concerned: bool, support_requested: bool, backs: Iterable[datetime | None]
) -> datetime | None:
    """When a concerned pair with a partner away now calls for the facilitators: at the first return
    (looked at again then); None when it need not wait (nobody away, or someone asked for support)."""
    returns = [back for back in backs if back is not None]
    if not concerned or support_requested or not returns:
        return None
    return min(returns)
