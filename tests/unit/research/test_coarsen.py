"""Dates coarsened to the ISO week, in the cohort's time zone, across year boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from circles.domain.research.coarsen import NaiveInstant, iso_week

TOKYO = ZoneInfo("Asia/Tokyo")
CHICAGO = ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2027, 1, 20), "2027-W03"),
        (date(2026, 12, 31), "2026-W53"),  # 2026 has 53 ISO weeks
        (date(2027, 1, 3), "2026-W53"),  # a Sunday in January still belongs to last year's week 53
        (date(2027, 1, 4), "2027-W01"),
        (date(2024, 12, 30), "2025-W01"),  # a Monday in December already belongs to next year
        (date(2021, 1, 1), "2020-W53"),
    ],
)
def test_a_date_reads_as_its_iso_week_and_iso_year(day: date, week: str) -> None:
    assert iso_week(day, CHICAGO) == week


def test_an_instant_falls_in_the_week_of_its_local_day() -> None:
    # Sunday 3 January 2027 at 20:00 in Chicago is already Monday 4 January in UTC and in Tokyo.
    instant = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)
    assert iso_week(instant, CHICAGO) == "2026-W53"
    assert iso_week(instant, TOKYO) == "2027-W01"
    assert iso_week(instant, ZoneInfo("UTC")) == "2027-W01"


def test_a_sunday_night_in_tokyo_is_the_next_week_nowhere_else() -> None:
    instant = datetime(2027, 1, 17, 16, 0, tzinfo=UTC)  # Monday 01:00 in Tokyo
    assert iso_week(instant, TOKYO) == "2027-W03"
    assert iso_week(instant, CHICAGO) == "2027-W02"


def test_an_instant_without_a_time_zone_is_refused() -> None:
    with pytest.raises(NaiveInstant):
        iso_week(datetime(2027, 1, 4, 2, 0), CHICAGO)
