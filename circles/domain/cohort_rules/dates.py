"""The dates a cohort (or a rotation block) may use: within a few years of today, and ending after it
starts."""

from __future__ import annotations

from datetime import date

# Dates a schedule can be worked out for: far-off dates (year 9999) overflow date arithmetic later.
DATE_RANGE = (date(2000, 1, 1), date(2199, 12, 31))
YEARS_FROM_TODAY = 5  # how far before or after today a cohort may start or end


def date_problems(starts_on: date | None, ends_on: date | None, today: date | None) -> dict[str, str]:
    """Dates within range (a few years of today, when known), and the end after the start."""
    low, high = date_range(today)
    problems = {
        name: f"Choose a date from {low.isoformat()} to {high.isoformat()}."
        for name, day in (("starts_on", starts_on), ("ends_on", ends_on))
        if day is not None and not low <= day <= high
    }
    if not problems and starts_on and ends_on and ends_on <= starts_on:
        problems["ends_on"] = "The cohort must end after it starts."
    return problems


def date_range(today: date | None) -> tuple[date, date]:
    """Dates a schedule (or a rotation block) may use: within a few years of today, when known; always
    far enough from year 1 and 9999 that a day or a year on cannot overflow."""
    low, high = DATE_RANGE
    if today is not None:
        low = max(low, _years_from(today, -YEARS_FROM_TODAY))
        high = min(high, _years_from(today, YEARS_FROM_TODAY))
    return low, high


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)
