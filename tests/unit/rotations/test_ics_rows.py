"""iCalendar rotations: all-day and timed events, people by ATTENDEE or SUMMARY, kinds by CATEGORIES."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from circles.domain.availability import AbsenceKind
from circles.domain.rotations import MAX_ROWS, RotationFileRefused, RotationRow, RowProblem, read_rotations

CHICAGO = ZoneInfo("America/Chicago")


def calendar(*events: str) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@rota\r\nDTSTAMP:20261201T000000Z\r\n{e}END:VEVENT\r\n"
        for n, e in enumerate(events)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rota//EN\r\n{body}END:VCALENDAR\r\n".encode()


def lines(*properties: str) -> str:
    return "".join(f"{p}\r\n" for p in properties)


def read(*events: str, name: str = "rota.ics") -> list[RotationRow | RowProblem]:
    return list(read_rotations(calendar(*events), name, CHICAGO).entries)


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_an_all_day_event_runs_from_local_midnight_to_the_local_midnight_dtend_names() -> None:
    [row] = read(
        lines(
            "DTSTART;VALUE=DATE:20270104",
            "DTEND;VALUE=DATE:20270118",
            "SUMMARY:Rotation at St Mary's",
            "ATTENDEE;CN=Ann:mailto:Ann@Hospital.org",
        )
    )
    assert row == RotationRow(
        "event 1", "ann@hospital.org", utc(2027, 1, 4, 6), utc(2027, 1, 18, 6), AbsenceKind.ROTATION
    )


def test_an_all_day_event_over_the_clock_change_ends_at_local_midnight() -> None:
    [row] = read(
        lines("DTSTART;VALUE=DATE:20270313", "DTEND;VALUE=DATE:20270315", "SUMMARY:leave ann@hospital.org")
    )
    assert isinstance(row, RotationRow)
    assert row.kind is AbsenceKind.LEAVE
    assert row.ends_at - row.starts_at == timedelta(hours=47)
    assert row.ends_at.astimezone(CHICAGO).hour == 0


def test_an_all_day_event_without_an_end_is_its_one_day() -> None:
    [row] = read(lines("DTSTART;VALUE=DATE:20270104", "ATTENDEE:mailto:ann@hospital.org"))
    assert isinstance(row, RotationRow)
    assert row.ends_at - row.starts_at == timedelta(days=1)


def test_timed_events_keep_their_instants_in_utc_in_a_named_zone_or_floating_in_the_cohorts() -> None:
    rows = read(
        lines("DTSTART:20270104T080000Z", "DTEND:20270105T080000Z", "ATTENDEE:mailto:ann@hospital.org"),
        lines(
            "DTSTART;TZID=Europe/London:20270104T090000",
            "DURATION:P2D",
            "ATTENDEE:mailto:ben@hospital.org",
        ),
        lines("DTSTART:20270104T190000", "DTEND:20270105T070000", "ATTENDEE:mailto:cat@hospital.org"),
    )
    assert [(row.starts_at, row.ends_at) for row in rows if isinstance(row, RotationRow)] == [
        (utc(2027, 1, 4, 8), utc(2027, 1, 5, 8)),
        (utc(2027, 1, 4, 9), utc(2027, 1, 6, 9)),
        (utc(2027, 1, 5, 1), utc(2027, 1, 5, 13)),  # 19:00 to 07:00 in Chicago, across midnight
    ]


def test_the_kind_comes_from_categories_then_summary_words_else_rotation() -> None:
    rows = read(
        lines(
            "DTSTART;VALUE=DATE:20270104",
            "CATEGORIES:Work,LEAVE",
            "SUMMARY:Rotation",
            "ATTENDEE:mailto:a@h.org",
        ),
        lines("DTSTART;VALUE=DATE:20270104", "SUMMARY:Parental leave", "ATTENDEE:mailto:b@h.org"),
        lines("DTSTART;VALUE=DATE:20270104", "SUMMARY:Site B", "ATTENDEE:mailto:c@h.org"),
    )
    assert [row.kind for row in rows if isinstance(row, RotationRow)] == [
        AbsenceKind.LEAVE,
        AbsenceKind.LEAVE,
        AbsenceKind.ROTATION,
    ]


def test_every_attendee_of_an_event_gets_the_block_each_named_in_problems() -> None:
    rows = read(
        lines(
            "DTSTART;VALUE=DATE:20270110",
            "DTEND;VALUE=DATE:20270104",
            "ATTENDEE:mailto:ann@hospital.org",
            "ATTENDEE:mailto:ben@hospital.org",
        )
    )
    assert [str(row) for row in rows] == [
        "event 1 (ann@hospital.org): end 2027-01-04 is before start 2027-01-10",
        "event 1 (ben@hospital.org): end 2027-01-04 is before start 2027-01-10",
    ]


def test_events_it_cannot_use_say_why() -> None:
    rows = read(
        lines("DTSTART;VALUE=DATE:20270104", "SUMMARY:Rotation"),
        lines("DTSTART:20270104T080000Z", "ATTENDEE:mailto:ann@hospital.org"),
        lines("DTSTART;VALUE=DATE:20270104", "RRULE:FREQ=WEEKLY;COUNT=4", "ATTENDEE:mailto:ann@hospital.org"),
        lines("DTSTART;VALUE=DATE:20270101", "DTEND;VALUE=DATE:20280301", "ATTENDEE:mailto:ann@hospital.org"),
        lines("SUMMARY:no start", "ATTENDEE:mailto:ann@hospital.org"),
    )
    assert [str(row) for row in rows] == [
        "event 1: names nobody: give an ATTENDEE with a mailto: address, or an email in SUMMARY",
        "event 2: no DTEND or DURATION: say when they are back",
        "event 3: a repeating event (RRULE or RDATE): give each block as an event of its own",
        "event 4: over a year long (2027-01-01 to 2028-03-01): give it as blocks of a year at most",
        "event 5: no DTSTART: say when they leave",
    ]


def test_dates_icalendar_cannot_read_are_bad_dates_of_their_event_only() -> None:
    rows = read(
        lines("DTSTART;VALUE=DATE:20270230", "ATTENDEE:mailto:ann@hospital.org"),
        lines("DTSTART;VALUE=DATE:20270104", "DURATION:two weeks", "ATTENDEE:mailto:ann@hospital.org"),
        lines("DTSTART;VALUE=DATE:20270104", "ATTENDEE:mailto:ann@hospital.org"),
    )
    assert [str(row) for row in rows[:2]] == [
        "event 1: bad date: DTSTART is not a date",
        "event 2: bad date: DURATION is not a length of time",
    ]
    assert isinstance(rows[2], RotationRow)


def test_a_calendar_is_recognised_by_its_first_line_whatever_the_files_name() -> None:
    [row] = read(lines("DTSTART;VALUE=DATE:20270104", "ATTENDEE:mailto:ann@hospital.org"), name="export.txt")
    assert isinstance(row, RotationRow)


def test_a_broken_calendar_or_one_with_too_many_events_is_refused_whole() -> None:
    with pytest.raises(RotationFileRefused, match="not an iCalendar file"):
        read_rotations(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nthis is not a property\r\n", "rota.ics", CHICAGO)
    many = [lines("DTSTART;VALUE=DATE:20270104", "ATTENDEE:mailto:ann@hospital.org")] * (MAX_ROWS + 1)
    with pytest.raises(RotationFileRefused, match="more than 10,000 events"):
        read(*many)


def test_a_calendar_of_too_many_events_is_refused_before_any_event_is_read() -> None:
    # No event here ends, which the parser would refuse the whole file for: the count is what refuses
    # it, so the events were counted before they were parsed.
    unended = b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\nSUMMARY:leave\r\n" * (MAX_ROWS + 1)
    with pytest.raises(RotationFileRefused, match="more than 10,000 events"):
        read_rotations(unended, "rota.ics", CHICAGO)


def test_a_night_shift_event_over_the_spring_clock_change_is_an_hour_shorter() -> None:
    [row] = read(
        lines(
            "DTSTART;TZID=America/Chicago:20270313T190000",
            "DTEND;TZID=America/Chicago:20270314T070000",
            "ATTENDEE:mailto:ann@hospital.org",
        )
    )
    assert isinstance(row, RotationRow)
    assert (row.starts_at, row.ends_at) == (utc(2027, 3, 14, 1), utc(2027, 3, 14, 12))
    assert row.ends_at - row.starts_at == timedelta(hours=11)


def test_a_cancelled_event_is_no_block_and_the_others_are_read() -> None:
    rows = read(
        lines(
            "DTSTART;VALUE=DATE:20270104",
            "DTEND;VALUE=DATE:20270118",
            "SUMMARY:Rotation at St Mary's",
            "STATUS:CANCELLED",
            "ATTENDEE:mailto:ann@hospital.org",
        ),
        lines("DTSTART;VALUE=DATE:20270201", "DTEND;VALUE=DATE:20270215", "SUMMARY:leave ben@hospital.org"),
    )
    assert [(row.where, row.email) for row in rows if isinstance(row, RotationRow)] == [
        ("event 2", "ben@hospital.org")
    ]
    assert [row for row in rows if isinstance(row, RowProblem)] == []


def test_a_calendar_of_cancelled_events_only_has_nothing_to_import() -> None:
    cancelled = lines("DTSTART;VALUE=DATE:20270104", "SUMMARY:leave ann@hospital.org", "STATUS:cancelled")
    with pytest.raises(RotationFileRefused, match="no events"):
        read(cancelled)


def test_an_all_day_events_duration_in_hours_is_a_problem_of_that_event_and_days_or_weeks_are_read() -> None:
    ann = "ATTENDEE:mailto:ann@hospital.org"
    rows = read(
        lines("DTSTART;VALUE=DATE:20270104", "DURATION:PT12H", ann),
        lines("DTSTART;VALUE=DATE:20270104", "DURATION:PT36H", ann),
        lines("DTSTART;VALUE=DATE:20270104", "DURATION:P1DT1H", ann),
        lines("DTSTART;VALUE=DATE:20270104", "DURATION:P2D", ann),
        lines("DTSTART;VALUE=DATE:20270111", "DURATION:P1W", ann),
    )
    hours = "DURATION must be whole days or weeks for an all-day event"
    assert [str(row) for row in rows[:3]] == [f"event {n}: {hours}" for n in (1, 2, 3)]
    spans = [(row.starts_at, row.ends_at) for row in rows[3:] if isinstance(row, RotationRow)]
    assert spans == [(utc(2027, 1, 4, 6), utc(2027, 1, 6, 6)), (utc(2027, 1, 11, 6), utc(2027, 1, 18, 6))]


def test_a_calendar_of_too_many_lines_is_refused_before_any_line_is_parsed() -> None:
    # One event of a million one-letter properties fits in 5 MB; read line by line it took half a minute.
    # No event here ends either, so the count, made before parsing, is what refuses it.
    padded = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:leave\r\n" + b"X:1\r\n" * 1_000_000
    with pytest.raises(RotationFileRefused, match="more than 150,000 lines"):
        read_rotations(padded, "rota.ics", CHICAGO)


def test_folded_lines_count_as_the_one_line_they_continue() -> None:
    # A long description folded at 75 characters, as calendar programs write it, is one line of its event.
    folded = "DESCRIPTION:" + "".join(f"\r\n {'x' * 74}" for _ in range(40))
    [row] = read(
        lines("DTSTART;VALUE=DATE:20270104", "DTEND;VALUE=DATE:20270111", "SUMMARY:ann@hospital.org", folded)
    )
    assert isinstance(row, RotationRow)
