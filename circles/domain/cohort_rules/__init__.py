"""What a cohort's slug and settings may be, and which roles each pairing mode takes.

`CohortSettings` holds everything a facilitator configures, as plain values; `settings_problems`
checks them against each setting's limits (the settings form's rules, which a cohort file follows
too), with the dates (`dates`) and time zones (`time_zones`) a cohort may use. `slug_problem` says
what is wrong with a slug; `roles_for` gives the roles a pairing mode takes.
"""

from circles.domain.cohort_rules.dates import date_problems, date_range
from circles.domain.cohort_rules.problems import (
    NAME_MAX,
    THRESHOLD_LIMITS,
    circle_sizes,
    settings_problems,
    threshold_problems,
    undated_plan,
)
from circles.domain.cohort_rules.settings import ROLES_BY_MODE, WEEKDAYS, CohortSettings, roles_for
from circles.domain.cohort_rules.slugs import closest_slugs, slug_problem, typed_slug
from circles.domain.cohort_rules.time_zones import is_time_zone

__all__ = [
    "NAME_MAX",
    "ROLES_BY_MODE",
    "THRESHOLD_LIMITS",
    "WEEKDAYS",
    "CohortSettings",
    "circle_sizes",
    "closest_slugs",
    "date_problems",
    "date_range",
    "is_time_zone",
    "roles_for",
    "settings_problems",
    "slug_problem",
    "threshold_problems",
    "typed_slug",
    "undated_plan",
]
