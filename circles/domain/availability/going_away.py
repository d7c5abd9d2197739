"""Saying one is away: for some weeks or until a date, read from `/circles away` or the Home form."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKS_LIMITS = (1, 26)
_WEEKS = re.compile(r"^(\d{1,3})\s*(?:w|wk|wks|week|weeks)?$")


@dataclass(frozen=True)
class AwayRequest:
    """Away for a number of weeks, or until a return date (the day they are back); exactly one is set."""

    weeks: int | None = None
    until: date | None = None

    def return_date(self, today: date) -> date:
        """The local date they are back, counted from their own `today`."""
        if self.weeks is not None:
            return today + timedelta(weeks=self.weeks)
        assert self.until is not None
        return self.until


def parse_away(words: Sequence[str]) -> AwayRequest | None:
    """Read `2 weeks`, `1 week`, `2w`, `2`, `until 2027-01-10` or `2027-01-10`; None when it reads as
    neither (the caller shows how to say it). Ranges are checked by `away_problem`."""
    text = " ".join(words).strip().lower()
    if text.startswith("until "):
        text = text.removeprefix("until ").strip()
        return _day(text)
    found = _WEEKS.match(text)
    if found is not None and text.isascii():
        return AwayRequest(weeks=int(found[1]))
    return _day(text)


def impossible_day(words: Sequence[str]) -> str | None:
    """The date typed when the words are `[until] YYYY-MM-DD` and no such day exists (`2027-02-30`), or
    None: a real day in words `parse_away` cannot read (`until until 2027-02-01`) needs the usual help."""
    text = " ".join(words).strip().lower()
    text = text.removeprefix("until ").strip() if text.startswith("until ") else text
    if not (text.isascii() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)):
        return None
    return text if _day(text) is None else None


def away_problem(request: AwayRequest, today: date) -> str | None:
    """What is wrong with the request for someone whose local date is `today`, or None."""
    low, high = WEEKS_LIMITS
    if request.weeks is not None and not low <= request.weeks <= high:
        return f"Say a whole number of weeks from {low} to {high}, e.g. `/circles away 2 weeks`."
    if request.weeks is None and request.until is None:
        return "Say how many weeks you are away, or the date you are back."
    back = request.return_date(today)
    if back <= today:
        return "The date you are back has to be after today."
    if back > a_year_after(today):
        return "Choose a date you are back within a year from today."
    return None


def a_year_after(day: date) -> date:
    """Return the same date next year (1 March for 29 February): the furthest a return, or a rota block's
    end, may be from the day it starts, whether or not a 29 February falls between."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February: a year on is 1 March, the day after 28 February
        return date(day.year + 1, 3, 1)


def back_at(return_date: date, zone: str) -> datetime:
    """The instant the person is back: local midnight starting their return date, in UTC."""
    return datetime.combine(return_date, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _day(text: str) -> AwayRequest | None:
    if not (text.isascii() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)):
        return None
    try:
        return AwayRequest(until=date.fromisoformat(text))
    except ValueError:
        return None
