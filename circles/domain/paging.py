"""Which part of a list a page shows, when the list is read afresh at every turn of a page.

A list can change between two presses: someone leaves, fills up, ends a pair. Cut at `page * per_page`
alone, everyone after a change moves up one place and whoever was first on the next page is shown on
neither. So a page button also names the entries its page showed first and last, and the next page starts
right after the last one (the previous page ends right before the first one) where it is in the fresh list.
Where that would leave a gap (it moved, or is gone), the page number decides: a page may show again a few
it showed before, and going forward none is ever passed over by a change before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Way(IntEnum):
    BACK = -1  # "Previous"
    AGAIN = 0  # the same page redrawn after a change made on it
    ON = 1  # "Next"


@dataclass(frozen=True)
class Turn:
    """A page asked for: its number, which way from the page pressed on, and that page's first and last
    entries ("" when the button named none: one drawn before buttons named them)."""

    page: int = 0
    way: Way = Way.AGAIN
    first: str = ""
    last: str = ""


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
