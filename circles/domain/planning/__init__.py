"""Planning one cohort's window (pure): what it reads and plans (`inputs`), the rules of its
rhythm, circle prompts, check-ins, pair prompts and session ideas (`plan`), and where a pair or coach
is in their track, counted from when they began (`since`)."""

from circles.domain.planning.inputs import (
    TEMPLATES,
    CircleIn,
    CohortIn,
    PairIn,
    Person,
    Planned,
    PromptText,
    zone_for,
)
from circles.domain.planning.plan import (
    circle_prompts,
    nth,
    pair_on,
    partnership_messages,
    plan_cohort,
    prompt_args,
)

__all__ = [
    "TEMPLATES",
    "CircleIn",
    "CohortIn",
    "PairIn",
    "Person",
    "Planned",
    "PromptText",
    "circle_prompts",
    "nth",
    "pair_on",
    "partnership_messages",
    "plan_cohort",
    "prompt_args",
    "zone_for",
]
