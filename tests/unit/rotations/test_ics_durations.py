"""An iCalendar event's DURATION across a clock change (RFC 5545, 3.3.6): its hours, minutes and seconds
are real time, its days and weeks the same wall-clock time that many days on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from circles.domain.rotations import RotationRow, read_rotations

LONDON = ZoneInfo("Europe/London")  # clocks go back at 02:00 BST on Sunday 25 October 2026
NEW_YORK = ZoneInfo("America/New_York")  # clocks go forward at 02:00 on Sunday 14 March 2027
ANN = "ATTENDEE:mailto:ann@hospital.org"


def span(*properties: str, zone: ZoneInfo = LONDON) -> tuple[datetime, datetime]:
    event = "".join(f"{p}\r\n" for p in ("UID:1@rota", "DTSTAMP:20261001T000000Z", *properties, ANN))
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rota//EN\r\nBEGIN:VEVENT\r\n{event}END:VEVENT\r\n"
    [row] = read_rotations(f"{text}END:VCALENDAR\r\n".encode(), "rota.ics", zone).entries
    assert isinstance(row, RotationRow), row
    return row.starts_at, row.ends_at


def utc(month: int, day: int, hour: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_a_24_hour_block_over_the_autumn_clock_change_lasts_24_real_hours() -> None:
    # Noon on Saturday in London (floating): back at 11:00 on Sunday, 24 hours later, not at noon (25).
    starts, ends = span("DTSTART:20261024T120000", "DURATION:PT24H")
    assert (starts, ends) == (utc(10, 24, 11), utc(10, 25, 11))
    assert ends - starts == timedelta(hours=24)


def test_a_one_day_block_over_the_autumn_clock_change_ends_at_the_same_wall_clock_time() -> None:
    starts, ends = span("DTSTART:20261024T120000", "DURATION:P1D")
    assert (starts, ends) == (utc(10, 24, 11), utc(10, 25, 12))  # noon in London both days: 25 hours


def test_days_of_a_duration_keep_the_wall_clock_and_its_hours_are_added_after() -> None:
    starts, ends = span("DTSTART:20261024T120000", "DURATION:P1DT2H")
    assert ends == utc(10, 25, 14)  # noon on Sunday, then two real hours
    starts, ends = span("DTSTART:20261018T120000", "DURATION:P1W")
    assert ends.astimezone(LONDON).hour == 12
    assert ends - starts == timedelta(weeks=1, hours=1)


def test_a_night_shift_in_hours_in_a_named_zone_over_the_spring_clock_change_is_that_many_hours() -> None:
    # 19:00 on Saturday in New York for 12 hours: back at 08:00 there (clocks went forward at 02:00).
    starts, ends = span("DTSTART;TZID=America/New_York:20270313T190000", "DURATION:PT12H")
    assert (starts, ends) == (utc(3, 14, 0, year=2027), utc(3, 14, 12, year=2027))
    assert ends.astimezone(NEW_YORK).hour == 8


def test_an_alarms_duration_is_not_its_events() -> None:
    alarm = ("BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT15M", "DURATION:PT5M", "REPEAT:1", "END:VALARM")
    _, ends = span("DTSTART:20261024T120000", *alarm, "DURATION:P1D")
    assert ends == utc(10, 25, 12)


def test_a_duration_spelled_in_lower_case_and_folded_over_lines_is_read_the_same() -> None:
    starts, ends = span("DTSTART:20261024T120000", "duration:PT2\r\n 4H")
    assert ends - starts == timedelta(hours=24)
