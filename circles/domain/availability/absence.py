"""Times a person is away: rotation or leave, `/circles away`, Do Not Disturb, an out-of-office status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class AbsenceKind(StrEnum):
    AWAY = "away"  # the person said so (`/circles away`, Home)
    ROTATION = "rotation"  # a facilitator's import: another site for some weeks
    LEAVE = "leave"  # a facilitator's import: annual, parental or sick leave
    STATUS = "status"  # Slack status says out of office or on leave
    DND = "dnd"  # Slack's Do Not Disturb or snooze


# Kinds that put a partnership on hold and tell the partner; Do Not Disturb and a status only defer.
BLOCKS = frozenset({AbsenceKind.AWAY, AbsenceKind.ROTATION, AbsenceKind.LEAVE})


@dataclass(frozen=True)
class Absence:
    """From `starts_at` until `ends_at` (exclusive: the instant they are back); None means until cleared."""

    starts_at: datetime
    ends_at: datetime | None
    kind: AbsenceKind = AbsenceKind.AWAY

    def covers(self, at: datetime) -> bool:
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)

    def overlaps(self, since: datetime, until: datetime) -> bool:
        """Whether it covers some instant from `since` to `until`, both included."""
        return self.starts_at <= until and (self.ends_at is None or self.ends_at > since)


def absence_at(absences: Iterable[Absence], at: datetime) -> Absence | None:
    """The absence covering `at` that lasts longest (an open-ended one first), or None."""
    covering = [a for a in absences if a.covers(at)]
    if not covering:
        return None
    return max(covering, key=lambda a: (a.ends_at is None, a.ends_at or a.starts_at))


def away_until(absences: Iterable[Absence], at: datetime) -> datetime | None:
    """When a person away at `at` is back, following absences that touch or overlap; None if not away
    or away with no end known (see `absence_at` for which)."""
    ordered = sorted(absences, key=lambda a: a.starts_at)
    current = absence_at(ordered, at)
    if current is None:
        return None
    back = current.ends_at
    moved = True
    while back is not None and moved:
        moved = False
        for absence in ordered:
            if absence.covers(back):
                back, moved = absence.ends_at, True
                break
    return back


def absent_during(absences: Iterable[Absence], since: datetime, until: datetime) -> timedelta:
    """How much of [since, until) the person was away, overlapping absences counted once."""
    spans = sorted(
        (max(a.starts_at, since), min(a.ends_at or until, until))
        for a in absences
        if a.starts_at < until and (a.ends_at is None or a.ends_at > since)
    )
    total, reached = timedelta(0), since
    for start, end in spans:
        start = max(start, reached)
        if end > start:
            total += end - start
            reached = end
    return total
