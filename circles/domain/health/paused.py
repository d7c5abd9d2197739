"""A partner's own pause (`/circles pause`) is time on hold for their pairs, as time away is.

No check-in reaches a pair while either partner is paused, so its days are no days without meeting
and a check-in whose answer window overlaps it is not missed (see circles.domain.health.away). Each
membership keeps its pauses as spans, [from, until) with until None while the pause runs; a running
pause ends at its date, when one was given, else at the resume that closes it. A paused partnership keeps
its own pauses the same way, without a date, held for both partners (circles.queries.on_hold).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from circles.domain.health.away import Spans

KEPT = 12  # the newest pauses a membership keeps: older ones are long before any running pair's meeting
# An open pause is held until a day on, then looked at again (a resume closes it sooner).
LOOK_AGAIN = timedelta(days=1)

Stored = list[list[str | None]]


def started(stored: Any, now: datetime, running: bool, ran_out_at: datetime | None) -> Stored:
    """The spans after a pause asked at `now`: one still running goes on (only its date changes);
    else a pause whose date passed closes at it, and a new one opens now. One left open without a date
    (the membership left or was set active otherwise) has no known end and is dropped."""
    spans = _valid(stored)
    if spans and spans[-1][1] is None:
        if running:
            return spans
        if ran_out_at is None:
            spans.pop()
        else:
            spans[-1][1] = max(ran_out_at, _instant(spans[-1][0])).isoformat()
    return [*spans, [now.isoformat(), None]][-KEPT:]


def ended(stored: Any, at: datetime) -> Stored:
    """The spans after a resume at `at`: the running one closes then."""
    spans = _valid(stored)
    if spans and spans[-1][1] is None:
        spans[-1][1] = max(at, _instant(spans[-1][0])).isoformat()
    return spans


def paused_spans(stored: Any, paused: bool, until: datetime | None, now: datetime) -> Spans:
    """The time a membership was paused, (from, back at) earliest first. A running pause ends at its date,
    or a day from `now` when it has none; one left open by a status set otherwise (not paused) is left
    out, its end unknown."""
    found: list[tuple[datetime, datetime]] = []
    for since, back in _valid(stored):
        start = _instant(since)
        if back is not None:
            end = _instant(back)
        elif not paused:
            continue
        else:
            end = until if until is not None else now + LOOK_AGAIN
        if start < end:
            found.append((start, end))
    return tuple(sorted(found))


def paused_at(stored: Any, instant: datetime, *, running: bool, ends: Iterable[datetime] = ()) -> bool | None:
    """Whether a kept pause held `instant`, for a report as of then; None when none is kept (the status now
    is all that is known). A span still open ends at the first of `ends` from its start (a pause's date, a
    leave, a pair's end); else it runs on while `running` (paused now), or its end is unknown and it holds
    nothing, as in `paused_spans`."""
    if not isinstance(stored, list):
        return None
    limits = sorted(ends)
    for since, back in _valid(stored):
        start = _instant(since)
        end = _instant(back) if back is not None else next((at for at in limits if at >= start), None)
        if end is None and back is None and not running:
            continue
        if start <= instant and (end is None or instant < end):
            return True
    return False


def _valid(stored: Any) -> Stored:
    """A copy of the stored spans, leaving out any odd entry."""
    if not isinstance(stored, list):
        return []
    spans: Stored = []
    for entry in stored:
        if _is_span(entry):
            spans.append([entry[0], entry[1]])
    return spans


def _is_span(entry: Any) -> bool:
    if not isinstance(entry, Sequence) or isinstance(entry, str) or len(entry) != 2:
        return False
    since, back = entry
    try:
        _instant(since)
        if back is not None:
            _instant(back)
    except (TypeError, ValueError):
        return False
    return True


def _instant(text: Any) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
