"""Read a cohort's settings off its row as plain values, and write them back onto it."""

from __future__ import annotations

from dataclasses import fields

from circles.domain.availability import parse_quiet_hours
from circles.domain.availability.blackout_dates import blackouts_from_json
from circles.domain.cohort_rules import CohortSettings
from circles.domain.cohort_settings import HealthThresholds, SurveyPlan
from circles.domain.research.consent import next_version
from circles.persistence.models import Cohort

# Every setting but these is a column of the cohort of the same name, kept as it is.
_CONVERTED = ("thresholds", "quiet_hours", "blackout_dates", "survey_plan", "research_statement")
_COLUMNS = tuple(field.name for field in fields(CohortSettings) if field.name not in _CONVERTED)


def settings_of(cohort: Cohort) -> CohortSettings:
    """The cohort's settings as plain values."""
    kept = {name: getattr(cohort, name) for name in _COLUMNS}
    return CohortSettings(
        **kept,
        thresholds=HealthThresholds.from_json(cohort.health_thresholds),
        quiet_hours=parse_quiet_hours(cohort.quiet_hours),
        blackout_dates=blackouts_from_json(cohort.blackout_dates),
        survey_plan=SurveyPlan.from_json(cohort.survey_plan),
        research_statement=cohort.research_statement,
    )


def apply_settings(cohort: Cohort, settings: CohortSettings) -> None:
    """Write the settings onto the cohort's row."""
    for name in _COLUMNS:
        setattr(cohort, name, getattr(settings, name))
    cohort.health_thresholds = settings.thresholds.to_json()
    cohort.quiet_hours = settings.quiet_hours.stored()
    cohort.blackout_dates = [blackout.to_json() for blackout in settings.blackout_dates]
    cohort.survey_plan = settings.survey_plan.to_json()
    if cohort.research_statement_version and cohort.research_statement != settings.research_statement:
        # Consents name the version they were given to: a new wording asks everyone again.
        cohort.research_statement_version = next_version(cohort.research_statement_version)
    cohort.research_statement = settings.research_statement
