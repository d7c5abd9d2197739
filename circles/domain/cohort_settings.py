"""A cohort's health thresholds, with defaults that suit a first programme."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class HealthThresholds:
    """Numbers that turn check-in signals into a partnership's state."""

    low_rating: int = 2  # a rating at or below this (1–5) counts as low
    disagreement_gap: int = 2  # partners' ratings this far apart count as disagreement
    rating_drop: int = 2  # a fall this large since the previous check-in counts as a drop
    missed_checkins: int = 2  # consecutive unanswered check-ins before it matters
    days_without_meeting: int = 21
    attention_checkins_before_escalation: int = 2
    unclaimed_escalation_hours: int = 48
    high_rating: int = 4  # both partners at or above this (with meetings and answers) is thriving
    early_fit_rating: int = 3  # after the first meeting, a rating at or below this is a poor early fit
    answer_within_days: int = 3  # an unanswered check-in counts as missed this many days after it was due

    def to_json(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> HealthThresholds:
        """Read stored thresholds, keeping defaults for any that are missing or unknown."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in (data or {}).items() if k in known})
