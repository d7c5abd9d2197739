"""A cohort's check-in interval changed: the one it had until then is kept for health to judge the past by."""

from __future__ import annotations

from datetime import datetime

from circles.domain.cohort_rules import CohortSettings
from circles.domain.health.intervals import with_earlier_interval
from circles.persistence.models import Cohort


def keep_earlier_interval(cohort: Cohort, settings: CohortSettings, now: datetime) -> None:
    """Before `settings` change the cohort's check-in interval at `now`, keep the one it had until then:
    the gaps between the check-ins asked so far are judged by it (circles.domain.health.intervals)."""
    every = cohort.checkin_every_weeks
    if every != settings.checkin_every_weeks:
        cohort.earlier_checkin_intervals = with_earlier_interval(cohort.earlier_checkin_intervals, every, now)
