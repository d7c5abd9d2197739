"""One message of each kind per cycle (pure): a cohort whose prompt day moved gets no week twice.

A planned message's key names its local day (`circle_prompt:{circle}:{day}`, `checkin:{pair}:{member}:{day}`,
`pair_prompt:{pair}:{day}`, `coach_idea:{member}:{day}`), a form other modules read: a weekday (or start date)
changed in mid-week would plan that week again under another key. The keys stay; instead a cohort planned
again from scratch is checked against the rows it already has (`once_a_cycle`), and planned from scratch
again until the new day of a week that went on the old one is over (`moved_ahead`).

A cycle is a stretch of the cohort's calendar counted from its start date (else the day it was made): a
week for circle prompts, `checkin_every_weeks` weeks for check-ins, pair prompts and session ideas. Each
holds exactly one of the cadence's days whatever its weekday, the one `occurrences` numbers so (week N is
cycle N - 1, the Nth check-in cycle N), so a cycle is also a place in the track: the same cycle again would
be the same prompt again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from circles.domain.planning.inputs import Planned
from circles.domain.schedule import Cadence, Timing, over_everywhere

# The planner's regular kinds, by how many parts name their target; a return's catch-up
# (checkin:{pair}:{member}:back:{day}) is no occurrence of the rhythm, and is left to circles.domain.catch_up.
TARGET_PARTS = {"circle_prompt": 1, "checkin": 2, "pair_prompt": 1, "coach_idea": 1}
WEEKLY = "circle_prompt"
Place = tuple[str, tuple[str, ...], int]  # kind, target, cycle


@dataclass(frozen=True)
class Written:
    """A row already in the outbox under one of the cohort's keys; `missed`: recorded as never sent."""

    key: str
    missed: bool = False


@dataclass(frozen=True)
class Slot:
    """What a regular key names: its kind, its target (circle, pair and member, pair, or guide) and day."""

    kind: str
    target: tuple[str, ...]
    day: date


def slot_of(key: str) -> Slot | None:
    """The slot a regular key names; None for any other key."""
    kind, *rest = key.split(":")
    parts = TARGET_PARTS.get(kind)
    if parts is None or len(rest) != parts + 1:
        return None
    try:
        day = date.fromisoformat(rest[-1])
    except ValueError:
        return None
    return Slot(kind, tuple(rest[:-1]), day)


def cycle_of(cadence: Cadence, day: date, every_weeks: int = 1) -> int:
    """The cycle `day` falls in (0 for the first): `every_weeks`-week stretches from the cohort's start."""
    start = cadence.starts_on or cadence.anchor
    return (day - start).days // (7 * every_weeks)


def once_a_cycle(planned: Sequence[Planned], written: Collection[Written], cadence: Cadence) -> list[Planned]:
    """`planned` less each regular occurrence whose cycle already has a row of its kind and target on another
    day: one that went, or may still go (a due occurrence is sent when the cycle's only row was missed); for a
    missed occurrence, any row (a cycle is recorded as missed once), and for a late one too (a week missed
    while nothing ran is not sent because a change came later). A row of the same day is the same key,
    which the database keeps once."""
    if not written:
        return list(planned)
    went: dict[Place, set[date]] = {}
    recorded: dict[Place, set[date]] = {}
    for row in written:
        if (slot := slot_of(row.key)) is not None:
            place = _place(cadence, slot)
            recorded.setdefault(place, set()).add(slot.day)
            if not row.missed:
                went.setdefault(place, set()).add(slot.day)
    kept = []
    for message in planned:
        slot = slot_of(message.key)
        if slot is not None:
            rows = went if message.timing is Timing.DUE else recorded
            if rows.get(_place(cadence, slot), set()) - {slot.day}:
                continue
        kept.append(message)
    return kept


def moved_ahead(written: Iterable[Written], cadence: Cadence, until: datetime) -> bool:
    """Whether a row that went (or may) stands for an occurrence on another day that is not over everywhere
    by `until`: a later pass must check its cycle again (it plans the occurrence only when it comes)."""
    first = cadence.first_prompt_day()
    for row in written:
        slot = slot_of(row.key)
        if slot is None or row.missed:
            continue
        every = _every(cadence, slot.kind)
        cycle = cycle_of(cadence, slot.day, every)
        day = first + timedelta(weeks=cycle * every)  # the cadence's day in that cycle
        if cycle < (0 if slot.kind == WEEKLY else 1) or day == slot.day:
            continue  # no occurrence in that cycle (check-ins skip the first), or the same key
        if (cadence.ends_on is None or day <= cadence.ends_on) and not over_everywhere(day, until):
            return True
    return False


def looked_back(cadences: Iterable[Cadence], since: datetime) -> datetime:
    """How far back rows can share a cycle with an occurrence from `since` on: a cycle before it (the
    longest rhythm's), and a day either side for time zones."""
    longest = max((c.checkin_every_weeks for c in cadences), default=1)
    return since - timedelta(weeks=max(longest, 1), days=2)


def _every(cadence: Cadence, kind: str) -> int:
    return 1 if kind == WEEKLY else cadence.checkin_every_weeks


def _place(cadence: Cadence, slot: Slot) -> Place:
    return slot.kind, slot.target, cycle_of(cadence, slot.day, _every(cadence, slot.kind))
