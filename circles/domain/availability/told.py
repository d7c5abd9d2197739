"""What a person's partners hear of an imported block (pure): when it starts, or when its end is corrected,
the day the person is back, or that they are back already; nothing when they know it already, never why.

The day told is the return from the whole absence (blocks that touch or overlap follow one another), so a
rotation followed at once by leave is one absence, told once. A block that starts inside an absence its
partners already heard of (the person's own `/circles away`, or an earlier block) tells nothing unless it
moves the day they are back. The person saying themselves when they are back (`/circles away`) follows
the same rule: partners hear the day they are actually back (a rotation running past the day they said keeps
them away longer), unless they know it already; back early while a rotation or leave runs on, partners waiting
for a later day hear they are back when it ends. Only partners in active pairs hear any of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from circles.domain.availability.absence import Absence, AbsenceKind, away_until
from circles.domain.vocabulary import PartnershipStatus

# Who hears of a partner's absence: a paused pair gets no personal message about the partnership.
PAIRS_TOLD = frozenset({PartnershipStatus.ACTIVE})


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
    return news_of(back, known, day)


def said_now(
    theirs: Sequence[HeldBlock], known: datetime | None, now: datetime, day: Callable[[datetime], date]
) -> Told:
    """What partners hear when the person says at `now` when they are back, given every block of theirs
    afterwards and `known`, the return partners heard of before (`heard`): the day they are actually back."""
    back = away_until([Absence(b.starts_at, b.ends_at, b.kind) for b in theirs], now)
    if back is None:
        return Told(None, None)
    return news_of(back, known, day)


def back_news_when_over(still: datetime, known: datetime | None, day: Callable[[datetime], date]) -> bool:
    """Whether partners who know the return `known` hear the person is back when the absence still keeping
    them away ends at `still` (they said they are back early, and a rotation or leave runs on): only when they
    wait for a later day, so they learn it when it is so, once."""
    return known is not None and day(known) > day(still)


def heard(theirs: Sequence[HeldBlock], now: datetime) -> datetime | None:
    """The latest return partners heard of that is still to come, or None."""
    told = (told_of(block) for block in theirs)
    return max((at for at in told if at is not None and at > now), default=None)


def news_of(back: datetime, known: datetime | None, day: Callable[[datetime], date]) -> Told:
    """Away until `back` is news unless partners know that day already."""
    if known is not None and day(known) == day(back):
        return Told(None, back)
    return Told(News(back), back)


def told_of(block: HeldBlock) -> datetime | None:
    """The return its partners last heard of: for the person's own block, its end when none is stored."""
    if block.told_back_at is not None:
        return block.told_back_at
    return block.ends_at if block.own else None


def told_before(block: HeldBlock, theirs: Sequence[HeldBlock]) -> datetime | None:
    """The latest return partners heard of for an absence already running into `block`'s start (or starting
    with it: a rotation and leave over the same days are one absence)."""
    told = [
        told_of(other)
        for other in theirs
        if other.id != block.id and other.starts_at <= block.starts_at <= other.ends_at
    ]
    return max((at for at in told if at is not None), default=None)
