"""Which part of a list a page shows, when the list is read afresh at every turn of a page.

A list can change between two presses: someone leaves, fills up, ends a pair. Cut at `page * per_page`
alone, everyone after a change moves up one place and whoever was first on the next page is shown on
neither. So a page button also names the entries its page showed first and last, and the next page starts
right after the last one (the previous page ends right before the first one) where it is in the fresh list.
Where that would leave a gap (it moved, or is gone), the page number decides: a page may show again a few
it showed before, and going forward none is ever passed over by a change before it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum


class Way(IntEnum):
    BACK = -1  # "Previous"
    AGAIN = 0  # the same page redrawn after a change made on it
    ON = 1  # "Next"


@dataclass(frozen=True)
class Turn:
    """A page asked for: its number, which way from the page pressed on, and that page's first and last
    entries ("" when the button named none: one drawn before buttons named them); on pages that hold as
    many as fit, how many entries that page showed (0: not said, and then the page number decides)."""

    page: int = 0
    way: Way = Way.AGAIN
    first: str = ""
    last: str = ""
    shown: int = 0


@dataclass(frozen=True)
class Window:
    """Entries `start` to `end` (not included) of the list; page `number` (from 0) of `pages`."""

    start: int
    end: int
    number: int
    pages: int


def window(keys: list[str], per_page: int, turn: Turn | None = None) -> Window:
    """The part of the list (its entries' keys, in order) that the page asked for shows."""
    turn = turn or Turn()
    at = {key: place for place, key in enumerate(keys)}
    return window_at(len(keys), per_page, turn.page, turn.way, at.get(turn.first), at.get(turn.last))


def window_at(
    total: int, per_page: int, page: int, way: Way, first_at: int | None, last_at: int | None
) -> Window:
    """As `window`, given where the page's first and last entries are now (None: no longer listed)."""
    start = max(0, page) * per_page
    anchored = _anchored(way, per_page, first_at, last_at)
    if anchored is not None and way is Way.BACK:
        start = max(start, anchored)  # ending right before the first shown: no gap between
    elif anchored is not None:  # never further on than the page number: that one may have moved down
        start = min(start, max(0, anchored))
    if start >= total:  # past the end: the last page there is
        start = (max(0, total - 1) // per_page) * per_page
    return window_from(start, total, per_page)


def window_from(start: int, total: int, per_page: int) -> Window:
    """The page of `total` entries that starts with entry `start`: a page starting part way counts as the
    one after the page before it, and the pages after it are full but the last."""
    end = min(total, start + per_page)
    number = -(-start // per_page)
    return Window(start, end, number, number + 1 + -(-(total - end) // per_page))


def _anchored(way: Way, per_page: int, first_at: int | None, last_at: int | None) -> int | None:
    """Where the page asked for starts by where the first and last entries of the page pressed on are now:
    after the last one, before the first, or at the first again. When one of them is gone, or moved away
    from the other (filled up, say, to the end of the list), the other one decides; None when both are gone.

    A page with a Next button is full, so the first and last were `per_page - 1` apart: further apart, the
    last moved down; the wrong way round, the first did (or the last up: starting early shows some again)."""
    apart = None if first_at is None or last_at is None else last_at - first_at
    by_first = first_at is not None and (last_at is None or (apart is not None and apart >= per_page))
    if way is Way.ON:
        if by_first and first_at is not None:
            return first_at + per_page - 1  # the last one no longer before it
        return None if last_at is None else last_at + 1
    if last_at is not None and not by_first and (first_at is None or (apart is not None and apart < 0)):
        first_at = last_at - per_page + 2  # where the first would be, the last one before it still there
    if first_at is None:
        return None
    return first_at - per_page if way is Way.BACK else first_at


@dataclass(frozen=True)
class Packing:
    """Entries of varying size, one line each of `sizes[i]` characters, packed in order into sections of
    at most `room` characters (a line break between two lines), `sections` sections a page."""

    sizes: Sequence[int]
    room: int
    sections: int

    def end_from(self, start: int) -> int:
        """Where the page that starts with entry `start` ends (not included): as many as fit."""
        return start + self._fitting(self.sizes[at] for at in range(start, len(self.sizes)))

    def start_to(self, end: int) -> int:
        """Where the page that ends right before entry `end` starts: as many before it as fit."""
        return end - self._fitting(self.sizes[at] for at in range(end - 1, -1, -1))

    def _fitting(self, sizes: Iterable[int]) -> int:
        """How many of `sizes`, in order, fit a page: a line starts a new section where it does not fit."""
        sections, used, count = 1, 0, 0
        for size in sizes:
            if count and used + 1 + size > self.room:
                if sections == self.sections:
                    break
                sections, used = sections + 1, size
            else:
                used += size + (1 if count else 0)
            count += 1
        return count


def packed_window(keys: list[str], packing: Packing, turn: Turn | None = None) -> Window:
    """As `window`, for pages holding as many entries as fit (an entry keyed "" is never named): the page
    pressed on named how many it showed (`turn.shown`), which tells where its last one was when gone."""
    turn, total = turn or Turn(), len(keys)
    starts = [0]  # where each page starts when paged from the top
    while (end := packing.end_from(starts[-1])) < total:
        starts.append(end)
    start = starts[min(max(0, turn.page), len(starts) - 1)]
    at = {key: place for place, key in enumerate(keys) if key}
    first_at, last_at = at.get(turn.first), at.get(turn.last)
    anchored = None
    if turn.shown > 0 and turn.way is Way.ON:
        anchored = _anchored(Way.ON, turn.shown, first_at, last_at)
    elif turn.shown > 0:
        again = _anchored(Way.AGAIN, turn.shown, first_at, last_at)  # the first, or where it would be
        ends = None if again is None else min(total, max(0, again))
        anchored = packing.start_to(ends) if ends is not None and turn.way is Way.BACK else ends
    if anchored is not None and turn.way is Way.BACK:
        start = max(start, anchored)
    elif anchored is not None:
        start = min(start, max(0, anchored))
    if start >= total:
        start = starts[-1]
    end = packing.end_from(start)
    reached, after = end, 0  # the pages after this one
    while reached < total:
        reached, after = packing.end_from(reached), after + 1
    number = bisect_left(starts, start)  # a page starting part way counts as the one after the page before
    return Window(start, end, number, number + 1 + after)
