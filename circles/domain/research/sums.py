"""Two tables' published figures as a linear system in their hidden entries, and feasible points of it.

Each row and column of each table adds up to its total; nobody is counted below zero; each entry of the
second table (people who answered) is at most the same entry of the first (people due). Every point this
finds satisfies all of that, so it is a way the hidden entries could be, as far as a reader can tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Grid = Sequence[Sequence[int]]  # the counts with their margins: each row's total last, the column totals last
Place = tuple[int, int]
Var = tuple[int, Place]  # (0: the first table, 1: the second; place)
Weights = dict[int, float]  # a weighted sum of hidden entries, by their index


class Unsolved(ArithmeticError):
    """The solver gave no point (it should always: the true counts are one)."""


@dataclass(frozen=True)
class Push:
    """Move a weighted sum of hidden entries from `start` by up to `by` (down when `by` is negative):
    gains past that count for nothing, so one program moves many sums a little rather than one a lot."""

    weights: Weights
    start: float
    by: float


class PublishedSums:
    def __init__(self, upper: Grid, lower: Grid, hidden: list[Var], cap: float) -> None:
        """`cap` bounds every hidden entry from above: a point under it is a point all the same."""
        self.index = {var: i for i, var in enumerate(hidden)}
        height, width = len(upper), len(upper[0])
        lines = [[(r, c) for c in range(width)] for r in range(height)]
        lines += [[(r, c) for r in range(height)] for c in range(width)]
        equations: list[Weights] = []
        self.b_eq: list[float] = []
        for table, grid in ((0, upper), (1, lower)):
            for *entries, total in lines:
                weights: Weights = {}
                rest = 0.0
                for place, weight in [*((p, 1.0) for p in entries), (total, -1.0)]:
                    if (table, place) in self.index:
                        weights[self.index[(table, place)]] = weight
                    else:
                        rest -= weight * grid[place[0]][place[1]]
                if weights:
                    equations.append(weights)
                    self.b_eq.append(rest)
        self.at_most: list[Weights] = []  # answered less due, where both are hidden: at most zero
        self.bounds: list[tuple[float | None, float | None]] = []
        for table, (r, c) in hidden:
            if table == 0:  # due: at least the answered figure where that is shown
                self.bounds.append((0.0 if (1, (r, c)) in self.index else float(lower[r][c]), cap))
            elif (0, (r, c)) in self.index:
                self.bounds.append((0.0, cap))
                self.at_most.append({self.index[(1, (r, c))]: 1.0, self.index[(0, (r, c))]: -1.0})
            else:  # answered: at most the due figure shown
                self.bounds.append((0.0, float(upper[r][c])))
        self.a_eq = _matrix(equations, len(hidden))

    def extreme(self, weights: Weights, sign: float) -> list[float]:
        """A point where the weighted sum is least (sign 1) or greatest (sign -1)."""
        return self._solve({i: sign * w for i, w in weights.items()}, [])

    def pushed(self, pushes: list[Push]) -> list[float]:
        """A point moving the sums as far as each asks, as many of them as can go together."""
        # One more variable per push, at most its own reach and at most how far its sum moved.
        extra: list[tuple[Weights, float]] = []
        objective: Weights = {}
        n = len(self.index)
        for j, push in enumerate(pushes):
            sign = 1.0 if push.by > 0 else -1.0
            row = {i: -sign * w for i, w in push.weights.items()}
            row[n + j] = 1.0
            extra.append((row, -sign * push.start))
            objective[n + j] = -1.0 / abs(push.by)
        bounds: list[tuple[float | None, float | None]] = [(None, abs(push.by)) for push in pushes]
        return self._solve(objective, extra, bounds)[:n]

    def _solve(
        self,
        objective: Weights,
        extra: list[tuple[Weights, float]],
        extra_bounds: list[tuple[float | None, float | None]] | None = None,
    ) -> list[float]:
        from scipy.optimize import linprog  # imported here: only an export needs SciPy's start-up

        size = len(self.index) + len(extra)
        costs = [0.0] * size
        for i, w in objective.items():
            costs[i] = w
        at_most = [*self.at_most, *(row for row, _ in extra)]
        limits = [0.0] * len(self.at_most) + [limit for _, limit in extra]
        equations = self.a_eq
        if extra and equations is not None:
            from scipy.sparse import hstack

            equations = hstack([equations, _matrix([], len(extra), equations.shape[0])])
        result = linprog(
            costs,
            A_ub=_matrix(at_most, size) if at_most else None,
            b_ub=limits or None,
            A_eq=equations,
            b_eq=self.b_eq or None,
            bounds=[*self.bounds, *(extra_bounds or [])],
            method="highs",
        )
        if result.status != 0:
            raise Unsolved(result.message)
        return [float(v) for v in result.x]


def _matrix(rows: list[Weights], width: int, height: int | None = None) -> Any:
    """A sparse matrix of the rows' weights, or `height` rows of zeros; None when it has no rows."""
    from scipy.sparse import csr_array

    height = len(rows) if height is None else height
    if not height:
        return None
    cells = [(i, j, w) for i, row in enumerate(rows) for j, w in row.items()]
    values, at = [w for _, _, w in cells], ([i for i, _, _ in cells], [j for _, j, _ in cells])
    return csr_array((values, at), shape=(height, width))
