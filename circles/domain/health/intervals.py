"""The check-in intervals a cohort had before its current one, so that the past is judged by its own rhythm.

A gap between two check-ins is time nobody was asked only past the interval the cohort had then: one
shortened from four weeks to one leaves its four-week gaps as they were. The cohort keeps each earlier
interval with the instant it ended, oldest first, as a short list (`STORED` at most; a change older than
that is judged by the interval after it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

# Each earlier interval and the instant it ended, oldest first.
Intervals = tuple[tuple[datetime, timedelta], ...]
STORED = 20


def intervals_from_json(data: Any) -> Intervals:
    """The stored earlier intervals; an odd entry is left out."""
    found: list[tuple[datetime, timedelta]] = []
    for entry in data if isinstance(data, list) else ():
        try:
            ended, weeks = datetime.fromisoformat(entry["until"]), int(entry["weeks"])
        except (KeyError, TypeError, ValueError):
            continue
        if ended.tzinfo is not None and weeks > 0:
            found.append((ended, timedelta(weeks=weeks)))
    return tuple(sorted(found))


def with_earlier_interval(data: Any, weeks: int, ended: datetime) -> list[dict[str, Any]]:
    """The stored list with `weeks`, the interval that ended at `ended`, added at its end."""
    kept = [entry for entry in (data if isinstance(data, list) else ()) if isinstance(entry, dict)]
    return [*kept, {"weeks": weeks, "until": ended.isoformat()}][-STORED:]


def next_due_after(every: timedelta, earlier: Intervals, asked: datetime) -> datetime:
    """When the check-in after one asked at `asked` fell due at the latest, by the intervals the cohort had
    (`every` since the last of the `earlier` ended): an interval later, unless the interval changed first,
    the new one then running from the change (its next check-in day comes within it)."""
    due = asked + next((interval for ended, interval in earlier if ended > asked), every)
    for index, (changed, _) in enumerate(earlier):
        if changed <= asked:
            continue
        if changed >= due:
            break
        due = changed + (earlier[index + 1][1] if index + 1 < len(earlier) else every)
    return due
