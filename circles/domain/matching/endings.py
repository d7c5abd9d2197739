"""Pairs whose partnership ended stay apart, unless a facilitator allowed that one pair again.

An ending is final for matching, whatever its reason (completed, no-fault, a member left,
re-matched, ended by a facilitator): the two are never proposed as partners again, nor put in the
same new circle. A facilitator's override lifts it for one pair, for the endings recorded until
then; if the pair is formed again and ends again, they are kept apart again.

A pair Slack never made (EndReason.NEVER_MADE) is no ending: the two never met, so the partnerships read
for matching leave it out (`circles.queries.partnerships.pair_rows`), and they may be paired again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from circles.domain.matching.people import Pairs, pair


@dataclass(frozen=True)
class _TwoMembers:
    """Two members by key: the guide or first peer, the learner or second peer."""

    first: int
    second: int

    @property
    def pair(self) -> frozenset[int]:
        return pair(self.first, self.second)


@dataclass(frozen=True)
class Ending(_TwoMembers):
    """One partnership that ended: the two members, in which round, when, and which partnership it was."""

    round: int
    ended_at: datetime
    id: int = 0  # the partnership's (0: not known), so that a button can name the ending it was shown for


@dataclass(frozen=True)
class Override(_TwoMembers):
    """A facilitator's word that two members may be put together again."""

    allowed_at: datetime


@dataclass(frozen=True)
class EndedPairs:
    """Each ended pair once, by its latest ending: those kept apart and those allowed again."""

    apart: tuple[Ending, ...] = ()  # ordered by round, then keys
    allowed: tuple[Ending, ...] = ()

    @property
    def forbidden(self) -> Pairs:
        """The pairs no plan may form, in a partnership or a circle."""
        return frozenset(ending.pair for ending in self.apart)

    @property
    def allowed_pairs(self) -> Pairs:
        return frozenset(ending.pair for ending in self.allowed)

    def among(self, keys: Iterable[int]) -> EndedPairs:
        """Only the pairs whose two members are both among `keys` (e.g. the round's active members)."""
        present = set(keys)
        return self._only(lambda pair: pair <= present)

    def involving(self, key: int) -> EndedPairs:
        """Only the pairs one member belongs to (what a re-match of them is about)."""
        return self._only(lambda pair: key in pair)

    def _only(self, keep: Callable[[frozenset[int]], bool]) -> EndedPairs:
        return EndedPairs(
            tuple(e for e in self.apart if keep(e.pair)), tuple(e for e in self.allowed if keep(e.pair))
        )


def sort_endings(
    endings: Iterable[Ending], overrides: Iterable[Override], running: Iterable[frozenset[int]] = ()
) -> EndedPairs:
    """Keep apart each ended pair whose latest ending no override covers.

    A pair that runs again now (a partnership agreed after the ending) is neither: it is simply
    running, and matching keeps it as it is.
    """
    latest: dict[frozenset[int], Ending] = {}
    for ending in endings:
        known = latest.get(ending.pair)
        if known is None or (ending.ended_at, ending.round) > (known.ended_at, known.round):
            latest[ending.pair] = ending
    allowed_at: dict[frozenset[int], datetime] = {}
    for override in overrides:
        key = override.pair
        allowed_at[key] = max(override.allowed_at, allowed_at.get(key, override.allowed_at))
    now_running = set(running)
    apart: list[Ending] = []
    allowed: list[Ending] = []
    for key, ending in latest.items():
        if key in now_running:
            continue
        lifted = key in allowed_at and allowed_at[key] >= ending.ended_at
        (allowed if lifted else apart).append(ending)
    order = _by_round_then_keys
    return EndedPairs(tuple(sorted(apart, key=order)), tuple(sorted(allowed, key=order)))


def _by_round_then_keys(ending: Ending) -> tuple[int, int, int]:
    return (ending.round, ending.first, ending.second)
