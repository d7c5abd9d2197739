"""What a reader can work out of two tables printed side by side, by a linear program over everything both
show (see `sums`): the exact range of each hidden entry, and of each place's due less answered where
either is hidden. Narrowing one line at a time misses what needs a whole line at once; this does not.

A range is known from feasible points: the true counts are one, and each program solved gives another.
Programs that move every unsettled figure at once settle most; only a figure none has settled yet gets
programs of its own (its greatest, then its least value).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from circles.domain.research.sums import Grid, Place, PublishedSums, Push, Unsolved, Var, Weights

_EPS = 1e-6  # the solver's slack: a value this close to a whole number is that number
_ROUNDS = 12  # programs moving every unsettled figure at once, down and up in turn


@dataclass
class _Figure:
    """A hidden entry, or a place's due less answered where either is hidden (`difference`): a weighted
    sum of the hidden entries plus what is shown, its true value, and the least and greatest seen."""

    place: Place
    weights: Weights
    shown: float
    difference: bool
    truth: float = 0.0
    low: float = math.inf
    high: float = -math.inf


def worked_out(
    upper: Grid, upper_hidden: set[Place], lower: Grid, lower_hidden: set[Place], k: int
) -> set[Place]:
    """The places whose hidden entry a linear program over both tables pins to one value or to some but
    fewer than k people, or whose due less answered it pins to some but fewer than k people."""
    hidden: list[Var] = sorted({(0, p) for p in upper_hidden} | {(1, p) for p in lower_hidden})
    if not hidden:
        return set()
    truth = [float((upper, lower)[table][r][c]) for table, (r, c) in hidden]
    sums = PublishedSums(upper, lower, hidden, cap=2 * max(truth) + k)
    figures = _figures(upper, lower, sums.index)
    _seen(figures, truth)
    for figure in figures:
        figure.truth = figure.low
    try:
        _together(sums, figures, k)
        return {figure.place for figure in figures if not _alone(sums, figures, figure, k)}
    except Unsolved:  # never expected (the true counts always fit): hiding what is unsettled is safe
        return {figure.place for figure in figures if not _settled(figure, k)}


def _figures(upper: Grid, lower: Grid, index: dict[Var, int]) -> list[_Figure]:
    figures = [_Figure(place, {i: 1.0}, 0.0, False) for (_, place), i in index.items()]
    for place in sorted({place for _, place in index}):
        weights: Weights = {}
        shown = 0.0
        for table, grid, sign in ((0, upper, 1.0), (1, lower, -1.0)):
            if (table, place) in index:
                weights[index[(table, place)]] = sign
            else:
                shown += sign * grid[place[0]][place[1]]
        figures.append(_Figure(place, weights, shown, True))
    return figures


def _together(sums: PublishedSums, figures: list[_Figure], k: int) -> None:
    """Move every unsettled figure at once, down then up in turn, until two rounds running settle none."""
    idle = 0
    for round_ in range(_ROUNDS):
        unsettled = [figure for figure in figures if not _settled(figure, k)]
        if not unsettled or idle == 2:
            return
        up = round_ % 2 == 1
        pushes = [Push(f.weights, f.truth - f.shown, _reach(f, up, k)) for f in unsettled]
        _seen(figures, sums.pushed(pushes))
        idle = idle + 1 if all(not _settled(figure, k) for figure in unsettled) else 0


def _reach(figure: _Figure, up: bool, k: int) -> float:
    """How far the figure must move, up or down, to show it could be another value, zero or k or more."""
    t = figure.truth
    small = 0 < t < k
    if up:
        return k - t if small else 1.0
    return -t if small else -1.0


def _alone(sums: PublishedSums, figures: list[_Figure], figure: _Figure, k: int) -> bool:
    """Whether the figure is settled, solving for its greatest and then its least value as needed."""
    for sign in (-1.0, 1.0):  # the greatest first: a small group is cleared by a large value
        if _settled(figure, k):
            return True
        _seen(figures, sums.extreme(figure.weights, sign))
    return _settled(figure, k)


def _seen(figures: list[_Figure], point: list[float]) -> None:
    for figure in figures:
        value = figure.shown + sum(w * point[i] for i, w in figure.weights.items())
        figure.low, figure.high = min(figure.low, value), max(figure.high, value)


def _settled(figure: _Figure, k: int) -> bool:
    """Whether the values seen show the figure can be more than one number, one of them zero or at least
    k; for people who did not answer, that it can be zero or at least k."""
    low, high = math.ceil(figure.low - _EPS), math.floor(figure.high + _EPS)
    if figure.difference:
        return low <= 0 or high >= k
    return low < high and (low <= 0 or high >= k)
