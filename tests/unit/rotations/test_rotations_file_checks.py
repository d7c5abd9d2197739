"""What a facilitator is told about a rotations file that is too big, out of range or malformed: the whole
file refused in one line, or one problem per row, never a traceback."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from circles.domain.rotations import MAX_ROWS, RotationFileRefused, RotationRow, read_rotations
from tests.unit.rotations.test_ics_rows import calendar, lines

CHICAGO = ZoneInfo("America/Chicago")
TODAY = date(2026, 12, 6)
TOO_MANY = "more than 10,000 rows (one for each person of each event): split the file"


def attendees(count: int, first: int = 0) -> str:
    return lines(*(f"ATTENDEE:mailto:r{n}@hospital.org" for n in range(first, first + count)))


def said(data: bytes, name: str, *, today: date | None = None) -> list[str]:
    """Each row as the facilitator reads it; dates checked against `today` when given."""
    entries = read_rotations(data, name, CHICAGO, today) if today else read_rotations(data, name, CHICAGO)
    return [str(entry) for entry in entries.entries]


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(RotationFileRefused) as refused:
        read_rotations(data, name, CHICAGO)
    return str(refused.value)


def test_one_event_whose_attendees_are_more_rows_than_the_limit_is_refused_whole() -> None:
    event = lines("DTSTART;VALUE=DATE:20270104", "DTEND;VALUE=DATE:20270118") + attendees(MAX_ROWS + 1)
    assert refusal(calendar(event), "rota.ics") == TOO_MANY


# Rows are people times events, and a calendar costs more to parse per event than per attendee: the limit
# is reached with events of a hundred people each rather than thousands of events of two or three.
PER_EVENT = 100


def test_events_under_the_event_limit_whose_attendees_add_up_past_the_row_limit_are_refused_whole() -> None:
    events = [
        lines("DTSTART;VALUE=DATE:20270104") + attendees(PER_EVENT, first=PER_EVENT * n)
        for n in range(MAX_ROWS // PER_EVENT + 1)
    ]
    assert len(events) < MAX_ROWS
    assert refusal(calendar(*events), "rota.ics") == TOO_MANY


def test_a_calendar_of_exactly_the_limit_in_rows_is_read() -> None:
    events = [
        lines("DTSTART;VALUE=DATE:20270104") + attendees(PER_EVENT, first=PER_EVENT * n)
        for n in range(MAX_ROWS // PER_EVENT)
    ]
    assert len(read_rotations(calendar(*events), "rota.ics", CHICAGO).entries) == MAX_ROWS


def test_csv_dates_near_year_one_or_9999_are_problems_of_their_rows() -> None:
    rows = said(
        b"email,start,end,kind\n"
        b"ann@hospital.org,9999-12-30,9999-12-31,rotation\n"
        b"ben@hospital.org,0001-01-01,0001-01-05,rotation\n"
        b"cat@hospital.org,1900-01-01,1900-01-10,leave\n"
        b"dan@hospital.org,2027-01-04,9999-12-31,leave\n"
        b"eve@hospital.org,2027-01-04,2027-01-17,leave\n",
        "rota.csv",
        today=TODAY,
    )
    within = "give a date from 2021-12-06 to 2031-12-06"
    assert rows[:4] == [
        f"row 2: bad date: start '9999-12-30' is out of range: {within}; "
        f"bad date: end '9999-12-31' is out of range: {within}",
        f"row 3: bad date: start '0001-01-01' is out of range: {within}; "
        f"bad date: end '0001-01-05' is out of range: {within}",
        f"row 4: bad date: start '1900-01-01' is out of range: {within}; "
        f"bad date: end '1900-01-10' is out of range: {within}",
        f"row 5: bad date: end '9999-12-31' is out of range: {within}",
    ]
    assert rows[4].startswith("RotationRow(where='row 6'")


def test_dates_are_within_five_years_of_today_either_side() -> None:
    data = (
        b"email,start,end\n"
        b"ann@hospital.org,2021-12-06,2021-12-10\n"
        b"ben@hospital.org,2021-12-05,2021-12-10\n"
        b"cat@hospital.org,2031-12-01,2031-12-06\n"
        b"dan@hospital.org,2031-12-01,2031-12-07\n"
    )
    entries = read_rotations(data, "rota.csv", CHICAGO, TODAY).entries
    assert [isinstance(entry, RotationRow) for entry in entries] == [True, False, True, False]


def test_without_today_dates_are_those_a_cohort_schedule_may_use() -> None:
    rows = said(b"email,start,end\nann@hospital.org,2199-12-31,9999-12-31\n", "rota.csv")
    assert rows == [
        "row 2: bad date: end '9999-12-31' is out of range: give a date from 2000-01-01 to 2199-12-31"
    ]


def test_calendar_dates_near_9999_or_year_one_are_problems_of_their_events() -> None:
    rows = said(
        calendar(
            lines("DTSTART:99991230T090000Z", "DTEND:99991231T230000Z", "SUMMARY:ann@hospital.org"),
            lines("DTSTART;VALUE=DATE:99991231", "SUMMARY:ann@hospital.org"),
            lines("DTSTART;VALUE=DATE:20270104", "DTEND;VALUE=DATE:99991231", "SUMMARY:ann@hospital.org"),
            lines("DTSTART:00010101T000000Z", "DURATION:P1D", "SUMMARY:ann@hospital.org"),
            lines("DTSTART;VALUE=DATE:20270104", "DURATION:P99999999W", "SUMMARY:ann@hospital.org"),
            lines("DTSTART;VALUE=DATE:20270104", "DURATION:-P99999999W", "SUMMARY:ann@hospital.org"),
        ),
        "rota.ics",
        today=TODAY,
    )
    within = "give a date from 2021-12-06 to 2031-12-06"
    assert rows == [
        f"event 1: bad date: DTSTART 9999-12-30T09:00:00+00:00 is out of range: {within}",
        f"event 2: bad date: DTSTART 9999-12-31 is out of range: {within}",
        f"event 3: bad date: DTEND 9999-12-31 is out of range: {within}",
        f"event 4: bad date: DTSTART 0001-01-01T00:00:00+00:00 is out of range: {within}",
        "event 5: bad date: DURATION is out of range: give blocks of a year at most",
        "event 6: bad date: DURATION is out of range: give blocks of a year at most",
    ]


def test_a_time_in_an_unknown_zone_is_a_problem_naming_the_zone() -> None:
    rows = said(
        calendar(
            lines(
                "DTSTART;TZID=Nowhere/Land:20270501T090000",
                "DTEND;TZID=Nowhere/Land:20270502T090000",
                "SUMMARY:ann@hospital.org",
            ),
            lines(
                "DTSTART;TZID=../../etc/passwd:20270301T090000",
                "DTEND;VALUE=DATE:20270305",
                "SUMMARY:ben@hospital.org",
            ),
            lines("DTSTART;TZID=Europe/London:20270104T090000", "DURATION:P2D", "SUMMARY:cat@hospital.org"),
        ),
        "rota.ics",
    )
    assert rows[:2] == [
        "event 1: unknown time zone 'Nowhere/Land' (TZID): use a name like America/Chicago",
        "event 2: unknown time zone '../../etc/passwd' (TZID): use a name like America/Chicago",
    ]
    assert rows[2].startswith("RotationRow(where='event 3'")


def test_a_calendar_that_cannot_be_parsed_is_refused_in_one_line_without_its_content() -> None:
    broken = (
        b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:notadate\nDTEND:20270102\n"
        b"SUMMARY:a.nguyen@stmarys-health.org\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:2027\n"
    )
    message = refusal(broken, "broken.ics")
    assert message == (
        "not an iCalendar file this can read: it must be one calendar, from BEGIN:VCALENDAR to "
        "END:VCALENDAR, each BEGIN:VEVENT closed by an END:VEVENT; export it from the calendar again"
    )
    two = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert refusal(two, "two.ics") == message


def test_a_csv_separated_by_semicolons_is_refused_with_a_hint() -> None:
    data = b"email;start;end;kind\nann@hospital.org;2027-01-04;2027-01-31;rotation\n"
    assert refusal(data, "rota.csv") == (
        "row 1: no email, start, end column: its first line must be the header email,start,end,kind "
        "(its columns are separated by ';': save it as CSV with commas)"
    )


def test_a_header_without_semicolons_gets_no_hint() -> None:
    assert not refusal(b"email,from,to\nann@hospital.org,2027-01-01,2027-01-02\n", "rota.csv").endswith(
        "with commas)"
    )
