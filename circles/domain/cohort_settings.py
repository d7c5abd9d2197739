"""A cohort's health thresholds, with defaults that suit a first programme, and its survey plan."""

from __future__ import annotations

from collections.abc import Collection
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


PHASES = ("baseline", "midpoint", "end")
NEEDS_DATES = ("midpoint", "end")  # half-way and the end are worked out from the cohort's start and end
PHASE_MOST = 10  # instruments at one phase: more would bury a member in questions


@dataclass(frozen=True)
class SurveyPlan:
    """The instruments sent at the start, half-way and at the end, by their catalogue names."""

    baseline: tuple[str, ...] = ()
    midpoint: tuple[str, ...] = ()
    end: tuple[str, ...] = ()

    def to_json(self) -> dict[str, list[str]]:
        return {phase: list(getattr(self, phase)) for phase in PHASES if getattr(self, phase)}

    @classmethod
    def from_json(cls, data: Any) -> SurveyPlan:
        """Read a stored plan; an odd shape reads as nothing sent at that phase."""
        data = data if isinstance(data, dict) else {}
        return cls(**{phase: _names(data.get(phase)) for phase in PHASES})

    @classmethod
    def of(cls, phases: dict[str, list[str]]) -> SurveyPlan:
        """A plan from names by phase, each name once in the order given."""
        return cls(**{phase: tuple(dict.fromkeys(phases.get(phase) or [])) for phase in PHASES})


def _names(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in value if isinstance(v, str))) if isinstance(value, list) else ()


def survey_plan_problems(plan: SurveyPlan, known: Collection[str] | None, has_dates: bool) -> dict[str, str]:
    """Each phase's problem, by `survey_<phase>`: unknown names, too many, or no start and end dates to
    time it by (without both, a midpoint or end survey would never go)."""
    problems: dict[str, str] = {}
    for phase in PHASES:
        names = getattr(plan, phase)
        unknown = [name for name in names if known is not None and name not in known]
        if unknown:
            problems[f"survey_{phase}"] = f"There is no survey called {', '.join(f'`{n}`' for n in unknown)}."
        elif len(names) > PHASE_MOST:
            problems[f"survey_{phase}"] = f"Send at most {PHASE_MOST} surveys at once."
        elif names and phase in NEEDS_DATES and not has_dates:
            problems[f"survey_{phase}"] = (
                "Set the cohort's start and end dates first: this survey is timed by them."
            )
    return problems
