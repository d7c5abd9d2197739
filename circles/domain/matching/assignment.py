"""Coach–learner and mentor–learner partnerships at the exact optimum of a documented objective.

The objective, over every assignment that keeps accepted pairs, respects each guide's capacity and
never pairs two people with a declared conflict, a block or an ended partnership:

1. match as many learners as possible (a coach with little overlap beats no coach);
2. among those, maximise the total fit (the directory's score: 2 per wanted word in a guide's skills
   or offers, 1 per wanted word only in their interests);
3. among those, the seed decides.

It is solved as one rectangular assignment, learners × open capacity slots, with one integer weight
per edge, w = M + fit, where M exceeds the largest total fit any assignment could have: a matching
with one more learner therefore always weighs more, whatever the fits. Forbidden edges weigh 0,
below every real edge, so an optimum never needs one; any the solver picks is dropped, which leaves
an optimum of the real graph. Ties are broken by seeded per-edge noise e in [0, E] added to P·w
with P = n·E + 1 for n learners: the noise of a whole assignment stays below P, one unit of the
integer objective, so it can only choose among assignments that are already optimal. Every weight
stays an integer below 2^52, so the solver's floating point arithmetic on it is exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from circles.domain.matching.fit_matrix import fit_matrix
from circles.domain.matching.people import Guide, Learner, Pairs, Unplaced, fit, pair
from circles.domain.requests import remaining_capacity

ASK = "ask them to set how many partners they can take in `/circles profile`."
NONE_OFFERED = "No coach or mentor they may be paired with has said they can take a partner yet: " + ASK
NOISE = 1000  # tie-break levels per edge, lowered when the weights would outgrow exact floats
EXACT = 2**52


@dataclass(frozen=True)
class AssignmentProblem:
    """Learners, coaches or mentors, accepted pairs to keep (learner key, guide key), pairs never to make."""

    learners: Sequence[Learner]
    guides: Sequence[Guide]
    fixed: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    forbidden: Pairs = field(default_factory=frozenset)
    seed: int = 0
    offering_none: frozenset[int] = frozenset()  # guides who offer no places at all (or never said how many)


@dataclass(frozen=True)
class Pairing:
    learner: int
    guide: int
    fit: int
    matched_terms: tuple[str, ...]  # the learner's words the guide matched, in the learner's order
    fixed: bool  # kept from an accepted request
    why: str


@dataclass(frozen=True)
class AssignmentPlan:
    pairs: tuple[Pairing, ...]  # by learner, then guide
    unplaced: tuple[Unplaced, ...]
    released: tuple[tuple[int, int], ...]  # accepted pairs not kept: a conflict or block lies between them
    matched: int  # learners with a partner, accepted ones included
    total_fit: int  # over every pair, accepted ones included
    conflicts: int  # declared conflicts or blocks inside a pair: always 0, counted, not assumed


def pairing(learner: Learner, guide: Guide, *, fixed: bool) -> Pairing:
    """A pair with its fit and the words behind it."""
    score, words = fit(learner, guide)
    because = f"fit {score}: " + (", ".join(words) or "no words in common, but a partner beats none")
    if fixed:
        because += "; accepted request"
    return Pairing(learner.key, guide.key, score, words, fixed, because)


def assign_guides(problem: AssignmentProblem) -> AssignmentPlan:
    """Pair learners with coaches or mentors at the exact optimum of the objective above."""
    learners = {learner.key: learner for learner in sorted(problem.learners, key=lambda x: x.key)}
    guides = {guide.key: guide for guide in sorted(problem.guides, key=lambda x: x.key)}
    if len(learners) != len(problem.learners) or len(guides) != len(problem.guides):
        raise ValueError("each learner and each guide may appear only once")
    if unknown := {pair for pair in problem.fixed if pair[0] not in learners or pair[1] not in guides}:
        raise ValueError(f"accepted pairs name unknown people: {sorted(unknown)}")
    released = tuple(sorted(p for p in problem.fixed if pair(*p) in problem.forbidden))
    kept = sorted(set(problem.fixed) - set(released))
    pairs = [pairing(learners[lk], guides[gk], fixed=True) for lk, gk in kept]
    taken = Counter(gk for _, gk in kept)
    pool = [learner for key, learner in learners.items() if key not in {lk for lk, _ in kept}]
    open_guides = [g for g in guides.values() if remaining_capacity(g.capacity, taken[g.key]) > 0]
    chosen = _solve(pool, open_guides, taken, problem.forbidden, problem.seed)
    pairs += [pairing(learner, guide, fixed=False) for learner, guide in chosen]
    pairs.sort(key=lambda p: (p.learner, p.guide))
    matched = {p.learner for p in pairs}
    unplaced = tuple(
        Unplaced(learner.key, _reason(learner, list(guides.values()), open_guides, problem))
        for learner in pool
        if learner.key not in matched
    )
    conflicts = sum(pair(p.learner, p.guide) in problem.forbidden for p in pairs)
    return AssignmentPlan(
        tuple(pairs), unplaced, released, len(matched), sum(p.fit for p in pairs), conflicts
    )


def _solve(
    pool: Sequence[Learner], guides: Sequence[Guide], taken: Counter[int], forbidden: Pairs, seed: int
) -> list[tuple[Learner, Guide]]:
    """The optimal new pairs: one weight per edge, learners × capacity slots, forbidden edges dropped."""
    if not pool or not guides:
        return []
    allowed = _allowed(pool, guides, forbidden)
    weights = _weights(fit_matrix(pool, guides), allowed, len(pool), seed)
    # A coach never takes more new learners than there are: places past that are columns nobody needs.
    places = [min(remaining_capacity(g.capacity, taken[g.key]), len(pool)) for g in guides]
    slots = np.repeat(np.arange(len(guides)), places)
    # Imported here: SciPy takes a good part of a second to load, and only matching needs it, not every
    # `circles` start (a tick, a web process) that merely could match.
    from scipy.optimize import linear_sum_assignment

    # Learners × places is the one large matrix: made once, as the float64 the solver reads, and turned
    # into costs where it lies (asked to maximise, the solver would negate a copy of it; an int64 copy
    # converted after held three times its size at once).
    costs = np.take(weights, slots, axis=1)
    del weights
    np.negative(costs, out=costs)
    row_ind, col_ind = linear_sum_assignment(costs)
    return [
        (pool[i], guides[slots[j]])
        for i, j in zip(row_ind.tolist(), col_ind.tolist(), strict=True)
        if allowed[i, slots[j]]
    ]


def _allowed(pool: Sequence[Learner], guides: Sequence[Guide], forbidden: Pairs) -> np.ndarray:
    """Learners × coaches: whether the two may be paired (never a forbidden couple)."""
    allowed = np.ones((len(pool), len(guides)), dtype=bool)
    rows = {learner.key: i for i, learner in enumerate(pool)}
    cols = {guide.key: j for j, guide in enumerate(guides)}
    for couple in forbidden:
        a, b = tuple(couple) if len(couple) == 2 else (None, None)
        for lk, gk in ((a, b), (b, a)):
            if lk in rows and gk in cols:
                allowed[rows[lk], cols[gk]] = False
    return allowed


def _weights(scores: np.ndarray, allowed: np.ndarray, learners: int, seed: int) -> np.ndarray:
    """Learners × coaches, as float64: a bonus M above any assignment's total fit for each allowed edge (so
    the most pairs come first), then the fit, scaled above a seeded jitter that breaks ties; 0 where not
    allowed. Its int64 steps are gone once it returns: only the float64 result stays."""
    scores = np.where(allowed, scores, 0)
    bonus = int(scores.max(axis=1).sum()) + 1  # M: more than any assignment's total fit
    weights = np.where(allowed, scores + bonus, 0)
    noise, scale = _noise_levels(learners, int(weights.max()))
    jitter = np.random.default_rng(seed).integers(0, noise, size=weights.shape, endpoint=True)
    return np.where(allowed, weights * scale + jitter, 0).astype(np.float64)


def _noise_levels(learners: int, heaviest: int) -> tuple[int, int]:
    """E and P = n·E + 1, with E as large as exact float arithmetic on the whole assignment allows."""
    noise = NOISE
    while noise and learners * ((learners * noise + 1) * heaviest + noise) >= EXACT:
        noise //= 2
    if learners * heaviest >= EXACT:
        raise ValueError("too many learners or words to solve exactly")
    return noise, learners * noise + 1


def _reason(
    learner: Learner, guides: Sequence[Guide], open_guides: Sequence[Guide], problem: AssignmentProblem
) -> str:
    """Why a learner has no partner: conflicts with everyone, no places offered, no room, or room that went to
    others."""
    if not guides:
        return "There is no coach or mentor in the cohort yet."
    allowed = {g.key for g in guides if pair(learner.key, g.key) not in problem.forbidden}
    if not allowed:
        return "Every coach or mentor has a declared conflict, a block or an ended partnership with them."
    if allowed & {g.key for g in open_guides}:
        return "The places left went to other learners; more learners than places remain."
    if allowed <= problem.offering_none:
        return NONE_OFFERED
    if allowed & problem.offering_none:
        return "Every coach or mentor they may be paired with is full or offers no places: " + ASK
    return "Every coach or mentor they may be paired with is full."
