"""What a person's partners hear of an imported block (pure): when it starts, or when its end is corrected,
the day the person is back, or that they are back already; nothing when they know it already, never why.

The day told is the return from the whole absence (blocks that touch or overlap follow one another), so a
rotation followed at once by leave is one absence, told once. A block that starts inside an absence its
partners already heard of (the person's own `/circles away`, or an earlier block) tells nothing unless it
moves the day they are back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from circles.domain.availability.absence import Absence, AbsenceKind, away_until


@dataclass(frozen=True)
class HeldBlock:
    """A stored away block, with what its partners were told of it."""

    id: int
    starts_at: datetime
    ends_at: datetime  # the instant they are back
    kind: AbsenceKind
    own: bool  # the person's own (`/circles away`): its partners heard its end when they said it
    told_back_at: datetime | None = None  # the return its partners last heard of (None: not told)


@dataclass(frozen=True)
class News:
    """What partners hear now: away until `back_at`, or back already when it is None."""

    back_at: datetime | None


@dataclass(frozen=True)
class Told:
    news: News | None  # None: nothing new for the partners
    known: datetime | None  # the return partners know of afterwards (None: none they still wait for)


def partners_hear(
    block: HeldBlock, theirs: Sequence[HeldBlock], now: datetime, day: Callable[[datetime], date]
) -> Told:
    """What the partners of `block`'s person hear of it at `now` (its start, or after a correction), given
    every block of that person (`theirs`, `block` among them) and `day`, the person's local date of an
    instant."""
    back = away_until([Absence(b.starts_at, b.ends_at, b.kind) for b in theirs], now)
    if back is None:  # not away (any more): back news only for partners told of a later return
        if block.told_back_at is not None and block.told_back_at > now:
            return Told(News(None), None)
        return Told(None, None)
    if block.told_back_at is None and block.ends_at <= now:
        return Told(None, None)  # over before anyone heard of it: any absence now is another block's
    known = block.told_back_at if block.told_back_at is not None else told_before(block, theirs)
    if known is not None and day(known) == day(back):
        return Told(None, back)
    return Told(News(back), back)


def told_before(block: HeldBlock, theirs: Sequence[HeldBlock]) -> datetime | None:
    """The latest return partners heard of for an absence already running into `block`'s start."""
    told = [
        other.ends_at if other.own else other.told_back_at
        for other in theirs
        if other.id != block.id and other.starts_at < block.starts_at <= other.ends_at
    ]
    return max((at for at in told if at is not None), default=None)
