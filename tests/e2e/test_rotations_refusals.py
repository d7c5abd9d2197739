"""`circles cohort rotations` given files it cannot take whole, dates it cannot use, or a row corrected: what
the facilitator reads, what Slack is asked and what is stored, as a real process against the stand-in."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from standin import SlackStandIn
from tests.e2e import processes
from tests.e2e.harness import environment, stored
from tests.e2e.test_rotations_cli import circles, cohort_of

# `circles …` in a process that may hold 1 GiB at most: reading without a bound fails instead of
# taking the machine's memory. Forked with Circles loaded (processes.script), it has less of it to spare.
GIGABYTE = 1024 * 1024 * 1024
LIMITED_CIRCLES = processes.script(
    f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({GIGABYTE}, {GIGABYTE}))
import bot.cli

sys.exit(bot.cli.main(sys.argv[1:]))
"""
)


@pytest.fixture
def few(standin: SlackStandIn, tmp_path: Path) -> dict[str, str]:
    return cohort_of(3, standin, tmp_path)


def soon(days: int) -> str:
    """A day a few weeks from now: well within the five years either side of today a block may use."""
    return (date.today() + timedelta(days=days)).isoformat()


def test_a_calendar_whose_attendees_pass_the_row_limit_is_refused_before_slack_is_asked(
    tmp_path: Path, standin: SlackStandIn, few: dict[str, str]
) -> None:
    people = "".join(f"ATTENDEE:mailto:someone{n}@elsewhere.org\r\n" for n in range(10_001))
    path = tmp_path / "rota.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rota//EN\r\nBEGIN:VEVENT\r\nUID:1@rota\r\n"
        f"DTSTART;VALUE=DATE:{soon(30).replace('-', '')}\r\n{people}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = circles(tmp_path, few, "rotations", "pgy1", str(path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circles: {path}: more than 10,000 rows (one for each person of each event): split the file"
    ]
    assert standin.calls("users.lookupByEmail") == []
    assert stored(tmp_path, "SELECT count(*) FROM away_blocks") == [(0,)]


def test_a_device_that_never_ends_is_refused_as_larger_than_five_megabytes(
    tmp_path: Path, few: dict[str, str]
) -> None:
    result = processes.run(
        [*LIMITED_CIRCLES, "cohort", "rotations", "pgy1", "/dev/zero"],
        cwd=tmp_path,
        env=environment(**few),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == ["circles: /dev/zero: larger than 5 MB: split the file"]


def test_dates_near_year_one_or_9999_are_named_by_their_rows_and_the_others_imported(
    tmp_path: Path, few: dict[str, str]
) -> None:
    path = tmp_path / "rota.csv"
    path.write_text(
        "email,start,end,kind\n"
        "resident0@hospital.org,9999-12-30,9999-12-31,rotation\n"
        "resident1@hospital.org,0001-01-01,0001-01-05,rotation\n"
        f"resident2@hospital.org,{soon(30)},{soon(44)},leave\n"
    )
    result = circles(tmp_path, few, "rotations", "pgy1", str(path))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    first, second = result.stderr.splitlines()
    assert first.startswith(
        f"circles: {path}:row 2: bad date: start '9999-12-30' is out of range: give a date from "
    )
    assert second.startswith(
        f"circles: {path}:row 3: bad date: start '0001-01-01' is out of range: give a date from "
    )
    assert "blocks imported: 1 for 1 people" in result.stdout
    assert stored(tmp_path, "SELECT slack_user_id FROM away_blocks") == [("U0R002",)]


def test_a_calendar_it_cannot_parse_is_refused_in_one_line_that_repeats_none_of_it(
    tmp_path: Path, few: dict[str, str]
) -> None:
    path = tmp_path / "broken.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:notadate\nDTEND:20270102\n"
        "SUMMARY:resident1@hospital.org\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:2027\n"
    )
    result = circles(tmp_path, few, "rotations", "pgy1", str(path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circles: {path}: not an iCalendar file this can read: it must be one calendar, from "
        "BEGIN:VCALENDAR to END:VCALENDAR, each BEGIN:VEVENT closed by an END:VEVENT; "
        "export it from the calendar again"
    ]


def test_a_time_in_a_zone_nobody_knows_is_a_problem_of_its_event(tmp_path: Path, few: dict[str, str]) -> None:
    path = tmp_path / "rota.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=../../etc/passwd:20270301T090000\r\n"
        "DTEND;VALUE=DATE:20270305\r\nSUMMARY:resident1@hospital.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = circles(tmp_path, few, "rotations", "pgy1", str(path))
    assert result.returncode == 2  # its only event: nothing was imported
    assert result.stderr.splitlines() == [
        f"circles: {path}:event 1: unknown time zone '../../etc/passwd' (TZID): "
        "use a name like America/Chicago"
    ]
    assert stored(tmp_path, "SELECT count(*) FROM away_blocks") == [(0,)]


def test_a_rota_whose_every_row_is_in_error_imports_nothing_and_exits_2_as_its_dry_run_does(
    tmp_path: Path, few: dict[str, str]
) -> None:
    path = tmp_path / "rota.csv"
    path.write_text(
        "email,start,end,kind\n"
        f"resident0@hospital.org,{soon(30)},{soon(20)},rotation\n"
        f"resident1@hospital.org,{soon(30)},{soon(44)},holiday\n"
    )
    refused = [
        f"circles: {path}:row 2: end {soon(20)} is before start {soon(30)}",
        f"circles: {path}:row 3: unknown kind 'holiday': use rotation, leave, away",
    ]
    for dry_run in (["--dry-run"], []):
        result = circles(tmp_path, few, "rotations", "pgy1", str(path), *dry_run)
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == refused  # one line a row, no traceback
        verb = "would be imported" if dry_run else "imported"
        assert f"blocks {verb}: 0 for 0 people" in result.stdout.splitlines(), result.stdout
    assert stored(tmp_path, "SELECT count(*) FROM away_blocks") == [(0,)]

    # One row of the file usable: the others are named and it is imported (exit 1).
    path.write_text(path.read_text() + f"resident2@hospital.org,{soon(30)},{soon(44)},leave\n")
    some = circles(tmp_path, few, "rotations", "pgy1", str(path))
    assert some.returncode == 1, some.stderr
    assert some.stderr.splitlines() == refused
    assert stored(tmp_path, "SELECT slack_user_id FROM away_blocks") == [("U0R002",)]


def test_a_quote_never_closed_refuses_the_rota_in_one_line_naming_its_row_and_nobodys_address(
    tmp_path: Path, standin: SlackStandIn, few: dict[str, str]
) -> None:
    rows = [f"resident{n % 3}@hospital.org,{soon(30 + n)},{soon(40 + n)},rotation" for n in range(1_000)]
    rows[1] = '"' + rows[1]  # a stray quote on line 3: every line after it would be one cell
    path = tmp_path / "rota.csv"
    path.write_text("email,start,end,kind\n" + "\n".join(rows) + "\n")
    result = circles(tmp_path, few, "rotations", "pgy1", str(path))
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"circles: {path}: row 3: a quote opened here is never closed, so every line after it reads as one "
        "cell: close it on its line or take it out (a cell cannot hold a line break)"
    ]
    assert standin.calls("users.lookupByEmail") == []
    assert stored(tmp_path, "SELECT count(*) FROM away_blocks") == [(0,)]


def test_a_csv_separated_by_semicolons_is_refused_with_a_hint(tmp_path: Path, few: dict[str, str]) -> None:
    path = tmp_path / "rota.csv"
    path.write_text(f"email;start;end;kind\nresident1@hospital.org;{soon(30)};{soon(44)};rotation\n")
    result = circles(tmp_path, few, "rotations", "pgy1", str(path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circles: {path}: row 1: no email, start, end column: its first line must be the header "
        "email,start,end,kind (its columns are separated by ';': save it as CSV with commas)"
    ]


def test_a_row_whose_end_was_corrected_moves_the_stored_block_and_says_so(
    tmp_path: Path, few: dict[str, str]
) -> None:
    path = tmp_path / "rota.csv"
    start, wrong_end, right_end = soon(30), soon(72), soon(44)
    rows = [f"resident{n}@hospital.org,{start},{wrong_end},rotation" for n in range(3)]
    path.write_text("email,start,end,kind\n" + "\n".join(rows) + "\n")
    first = circles(tmp_path, few, "rotations", "pgy1", str(path))
    assert "blocks imported: 3 for 3 people" in first.stdout, first.stderr

    rows[0] = f"resident0@hospital.org,{start},{right_end},rotation"
    path.write_text("email,start,end,kind\n" + "\n".join(rows) + "\n")
    dry = circles(tmp_path, few, "rotations", "pgy1", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert (
        "blocks would be imported: 0 for 3 people "
        "(1 would be updated to the file's end, 2 already stored, left as they were)"
    ) in dry.stdout.splitlines()

    again = circles(tmp_path, few, "rotations", "pgy1", str(path))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[1] == (
        "blocks imported: 0 for 3 people (1 updated to the file's end, 2 already stored, left as they were)"
    )
    ends = {
        user: day for user, day in stored(tmp_path, "SELECT slack_user_id, date(ends_at) FROM away_blocks")
    }
    back_on = (date.fromisoformat(right_end) + timedelta(days=1)).isoformat()
    assert ends["U0R000"] == back_on  # back the day after the corrected last day (midnight in Chicago)
    assert ends["U0R001"] == ends["U0R002"] == (date.fromisoformat(wrong_end) + timedelta(days=1)).isoformat()
