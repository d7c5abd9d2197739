"""A planned instant moved to the same local hour in another zone, and left where it is when either zone
is one no clock can be read in (unknown to this server, or blank)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from circles.domain.schedule import same_hour_elsewhere

NINE_IN_LONDON = datetime(2026, 3, 9, 9, tzinfo=UTC)


def test_nine_where_they_were_is_nine_where_they_are_now() -> None:
    moved = same_hour_elsewhere(NINE_IN_LONDON, "Europe/London", "America/New_York")
    assert moved == datetime(2026, 3, 9, 13, tzinfo=UTC)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Europe/London", "Mars/Olympus"),
        ("Europe/Lundon", "Europe/London"),
        ("Europe/London", "   "),
        ("", "UTC"),
    ],
)
def test_a_zone_no_clock_can_be_read_in_leaves_the_instant_where_it_was(old: str, new: str) -> None:
    assert same_hour_elsewhere(NINE_IN_LONDON, old, new) == NINE_IN_LONDON
