"""Every learner's fit with every guide at once, as the directory scores one pair (people.fit)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from circles.domain.fit import LIGHT_WEIGHT, STRONG_WEIGHT
from circles.domain.matching.people import Guide, Learner


def _incidence(rows: Sequence[Iterable[str]], vocabulary: dict[str, int]) -> npt.NDArray[np.float64]:
    """One row per person, a 1 for each word they hold."""
    matrix = np.zeros((len(rows), len(vocabulary)), dtype=np.float64)
    for i, words in enumerate(rows):
        columns = [vocabulary[w] for w in words if w in vocabulary]
        matrix[i, columns] = 1.0
    return matrix


def fit_matrix(learners: Sequence[Learner], guides: Sequence[Guide]) -> npt.NDArray[np.int64]:
    """Scores[learner, guide]: each wanted word once, strong (skills, offers) before light (interests)."""
    wanted = sorted({word for learner in learners for word in learner.terms})
    vocabulary = {word: i for i, word in enumerate(wanted)}
    want = _incidence([learner.terms for learner in learners], vocabulary)
    strong = _incidence([guide.terms for guide in guides], vocabulary)
    light = _incidence([guide.light_terms - guide.terms for guide in guides], vocabulary)
    # Small whole numbers, so the float products are exact before the cast.
    scores = STRONG_WEIGHT * (want @ strong.T) + LIGHT_WEIGHT * (want @ light.T)
    return np.rint(scores).astype(np.int64)
