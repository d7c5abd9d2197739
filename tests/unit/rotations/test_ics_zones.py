"""Times in an iCalendar rota whose TZID names the zone of the machine reading it, not a place: each is a
problem of its event, never read in the server's zone; a vendor's globally unique TZID is read quietly."""

from __future__ import annotations

import warnings

import pytest

from circles.domain.rotations import RotationRow
from tests.unit.rotations.test_ics_rows import lines, read, utc


@pytest.mark.parametrize("tzid", ["localtime", "/etc/localtime", "posixrules", "Factory", "/etc/UTC"])
def test_a_time_in_the_servers_own_zone_is_a_problem_of_its_event(tzid: str) -> None:
    [row] = read(
        lines(f"DTSTART;TZID={tzid}:20270104T090000", "DURATION:P14D", "SUMMARY:ann@hospital.org"),
    )
    assert str(row) == f"event 1: unknown time zone '{tzid}' (TZID): use a name like America/Chicago"


def test_a_vendors_globally_unique_zone_is_read_as_the_zone_it_names_without_a_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        [row] = read(
            lines(
                "DTSTART;TZID=/mozilla.org/20070129_1/America/New_York:20270104T090000",
                "DTEND;TZID=/mozilla.org/20070129_1/America/New_York:20270118T090000",
                "SUMMARY:ann@hospital.org",
            )
        )
    assert isinstance(row, RotationRow)
    assert (row.starts_at, row.ends_at) == (utc(2027, 1, 4, 14), utc(2027, 1, 18, 14))
    assert [str(warning.message) for warning in caught] == []
