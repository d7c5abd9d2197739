"""`circles cohort rotations` given a calendar whose times name their zone as calendar programs write it: a
vendor's globally unique TZID is read as the zone it names, without Python's warnings on the facilitator's
screen; the server's own zone (`localtime`, `/etc/…`) is no zone of the rota, a problem of its event."""

from __future__ import annotations

from pathlib import Path

import pytest

from standin import SlackStandIn
from tests.e2e.harness import stored
from tests.e2e.test_rotations_cli import circles, cohort_of
from tests.e2e.test_rotations_refusals import soon


@pytest.fixture
def few(standin: SlackStandIn, tmp_path: Path) -> dict[str, str]:
    return cohort_of(3, standin, tmp_path)


def event(tzid: str, email: str) -> str:
    day = soon(30).replace("-", "")
    return (
        f"BEGIN:VEVENT\r\nDTSTART;TZID={tzid}:{day}T090000\r\nDURATION:P14D\r\n"
        f"SUMMARY:{email}\r\nEND:VEVENT\r\n"
    )


def test_a_vendors_zone_is_read_quietly_and_the_servers_own_zone_is_a_problem_of_its_event(
    tmp_path: Path, few: dict[str, str]
) -> None:
    path = tmp_path / "rota.ics"
    events = [
        event("/mozilla.org/20070129_1/America/New_York", "resident0@hospital.org"),
        event("/etc/localtime", "resident1@hospital.org"),
        event("localtime", "resident2@hospital.org"),
    ]
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{''.join(events)}END:VCALENDAR\r\n")
    for dry_run in (["--dry-run"], []):
        result = circles(tmp_path, few, "rotations", "pgy1", str(path), *dry_run)
        assert result.returncode == 1, result.stderr
        use = "(TZID): use a name like America/Chicago"
        assert result.stderr.splitlines() == [
            f"circles: {path}:event 2: unknown time zone '/etc/localtime' {use}",
            f"circles: {path}:event 3: unknown time zone 'localtime' {use}",
        ]
    # 9:00 in New York is 8:00 in Chicago, whatever the server's own zone.
    assert stored(tmp_path, "SELECT slack_user_id, time(starts_at) FROM away_blocks") == [
        ("U0R000", "14:00:00")
    ]
