"""Dates coarsened to the ISO week ("2027-W03") so an export does not say which day something happened."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


class NaiveInstant(ValueError):
    """An instant without a time zone cannot be placed in a cohort's week."""


def iso_week_of_date(day: date) -> str:
    """The ISO week a calendar date falls in, with the ISO year (which may differ from the calendar's)."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def iso_week(when: date | datetime, zone: ZoneInfo) -> str:
    """The ISO week of a date, or of an instant as seen in the cohort's time zone."""
    if isinstance(when, datetime):
        if when.tzinfo is None:
            raise NaiveInstant("an instant needs a time zone")
        return iso_week_of_date(when.astimezone(zone).date())
    return iso_week_of_date(when)
