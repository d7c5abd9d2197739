"""How the demo's people behave: how well each pair gets on, how they answer, what facilitators do."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

NOTES_SHARED = (
    "We keep missing each other; our rotas never line up.",
    "I felt my concerns were brushed aside in our last conversation.",
    "Honestly it has been hard to find anything to talk about.",
)
NOTES_PRIVATE = ("Not sure this is working, but I don't want to make a fuss.",)
ENDING_REASON = "We have tried, but it isn't the right match for me."
# What only facilitators may read: notes (shared or not) and the reason given for ending.
PRIVATE_WORDS = (*NOTES_SHARED, *NOTES_PRIVATE, ENDING_REASON)


@dataclass
class PairMood:
    """A partnership's hidden chemistry (0 poor – 1 excellent) and whether it drifts downwards."""

    chemistry: float
    drift: float  # lost each week
    diverging: bool  # the coach rates it higher than the learner feels it


@dataclass(frozen=True)
class Reply:
    rating: int
    met: bool
    note: str | None
    share: bool
    support: bool


@dataclass
class Behaviour:
    """Seeded choices, so a demo with the same seed tells the same story."""

    seed: int
    moods: dict[int, PairMood] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - a reproducible story, not secrets

    def mood(self, partnership_id: int) -> PairMood:
        if partnership_id not in self.moods:
            troubled = self.rng.random() < 0.3
            self.moods[partnership_id] = PairMood(
                chemistry=self.rng.uniform(0.5, 0.7) if troubled else self.rng.uniform(0.75, 0.95),
                drift=self.rng.uniform(0.08, 0.15) if troubled else 0.0,
                diverging=troubled and self.rng.random() < 0.5,
            )
        return self.moods[partnership_id]

    def week_passes(self) -> None:
        for mood in self.moods.values():
            mood.chemistry = max(0.0, mood.chemistry - mood.drift)

    def answers(self, partnership_id: int, is_coach: bool) -> Reply | None:
        """One partner's answer to a check-in, or None when they let it pass."""
        mood = self.mood(partnership_id)
        if self.rng.random() > (0.9 if mood.chemistry > 0.4 else 0.55):
            return None
        felt = mood.chemistry + (0.35 if is_coach and mood.diverging else 0.0)
        rating = min(5, max(1, round(1.5 + 3.5 * felt + self.rng.uniform(-0.4, 0.4))))
        note, share = None, False
        if rating <= 2 and self.rng.random() < 0.6:
            share = self.rng.random() < 0.7
            note = self.rng.choice(NOTES_SHARED if share else NOTES_PRIVATE)
        support = rating <= 2 and self.rng.random() < 0.25
        return Reply(rating, self.rng.random() < mood.chemistry, note, share, support)

    def facilitator_helps(self, partnership_id: int) -> bool:
        """After reaching out, most pairs reconnect; the rest are better ended."""
        mood = self.mood(partnership_id)
        if mood.chemistry < 0.45 and self.rng.random() < 0.5:
            return False
        mood.chemistry, mood.drift, mood.diverging = min(0.9, mood.chemistry + 0.35), 0.0, False
        return True
