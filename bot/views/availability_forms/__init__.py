"""The Home forms for availability: away for some weeks or until a date (`away`), and working and quiet
hours (`hours`)."""

from bot.views.availability_forms.away import away_modal, away_request
from bot.views.availability_forms.hours import (
    COHORTS,
    ONLY_HOURS,
    PATTERN_MAX,
    WRITTEN_LIKE,
    hours_choice,
    hours_modal,
    hours_submitted,
)

__all__ = [
    "COHORTS",
    "ONLY_HOURS",
    "PATTERN_MAX",
    "WRITTEN_LIKE",
    "away_modal",
    "away_request",
    "hours_choice",
    "hours_modal",
    "hours_submitted",
]
