"""What earlier meetings weigh against meeting again: the more recent and the more often, the more.

Once a cohort has run long enough that every pair has met, every plan repeats someone: a flat cost per
repeat then makes every plan cost the same, and a round may re-form the very circle just formed. Weighing
each pair's meetings keeps steering towards those who met longest ago and least often.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Self

from circles.domain.matching.people import Pairs, pairs_within

# A meeting in the round just before weighs RECENT; one k rounds back RECENT // k (at least 1), so the
# round before outweighs any single older meeting, and two or three older ones add up to it.
RECENT = 100


class Met(frozenset[frozenset[int]]):
    """The pairs that met before, a set of pairs like any other, each with what their meetings weigh."""

    weights: Mapping[frozenset[int], int]  # each ≥ 1

    def __new__(cls, weights: Mapping[frozenset[int], int]) -> Self:
        met = super().__new__(cls, weights)
        met.weights = weights
        return met


def meeting_weight(round_met: int, next_round: int) -> int:
    """What one meeting in `round_met` weighs for the round being planned."""
    return max(RECENT // max(next_round - round_met, 1), 1)


def weigh_meetings(groups: Iterable[tuple[int, Iterable[int]]], next_round: int) -> dict[frozenset[int], int]:
    """Every pair who shared a group, with their meetings' weights added up; `groups` are (round, keys)."""
    met: dict[frozenset[int], int] = {}
    for round_met, keys in groups:
        weight = meeting_weight(round_met, next_round)
        for couple in pairs_within(keys):
            met[couple] = met.get(couple, 0) + weight
    return met


def weight_of(history: Pairs, couple: frozenset[int]) -> int:
    """What a pair's earlier meetings weigh: 0 when they never met; 1 each in a plain set of pairs."""
    if couple not in history:
        return 0
    return history.weights.get(couple, 1) if isinstance(history, Met) else 1
