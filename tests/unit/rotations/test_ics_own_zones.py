"""An iCalendar rota that defines its own zones (VTIMEZONE): a TZID is read by its name alone, never by the
file's rules, so a made-up name is a problem of its event and endless rules cost nothing to read."""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection

import pytest

from circles.domain.rotations import RotationFileRefused, RotationRow, read_rotations
from tests.unit.rotations.test_ics_rows import CHICAGO, lines, utc

UNKNOWN = "(TZID): use a name like America/Chicago"


def zone(tzid: str, *rules: str) -> str:
    return lines("BEGIN:VTIMEZONE", f"TZID:{tzid}", *rules, "END:VTIMEZONE")


def rule(kind: str, start: str, repeat: str, offset: str) -> str:
    offsets = ("TZOFFSETFROM:+0000", f"TZOFFSETTO:{offset}")
    return lines(f"BEGIN:{kind}", f"DTSTART:{start}", repeat, *offsets, f"END:{kind}")


def calendar_with(zones: str, start: str, end: str) -> bytes:
    event = lines("BEGIN:VEVENT", "UID:1@rota", start, end, "SUMMARY:ann@hospital.org", "END:VEVENT")
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rota//EN\r\n{zones}{event}END:VCALENDAR\r\n".encode()


def read_aside(data: bytes, seconds: float) -> list[str] | None:
    """What reading the file says, as text, from a process of its own; None when it took longer."""
    ours, theirs = multiprocessing.get_context("fork").Pipe(duplex=False)
    reader = multiprocessing.get_context("fork").Process(target=_read_into, args=(data, theirs), daemon=True)
    reader.start()
    theirs.close()
    answered = ours.poll(seconds)
    said = ours.recv() if answered else None
    reader.kill()  # a read still walking the file's rules stops here, not when the tests end
    reader.join()
    return said


def _read_into(data: bytes, into: Connection) -> None:
    into.send([str(entry) for entry in read_rotations(data, "rota.ics", CHICAGO).entries])


def test_a_zone_the_file_defines_with_endless_rules_is_read_at_once_as_an_unknown_zone() -> None:
    bomb = zone(
        "Audit/Bomb",
        rule("STANDARD", "16010101T000000", "RRULE:FREQ=SECONDLY", "+0000"),
        rule("DAYLIGHT", "16010101T000001", "RRULE:FREQ=MINUTELY", "+0100"),
    )
    data = calendar_with(
        bomb, "DTSTART;TZID=Audit/Bomb:20270104T080000", "DTEND;TZID=Audit/Bomb:20270118T080000"
    )
    assert read_aside(data, seconds=2) == [f"event 1: unknown time zone 'Audit/Bomb' {UNKNOWN}"]


def test_a_made_up_zone_name_the_file_defines_is_a_problem_of_its_event() -> None:
    hospital = zone("Hospital Time", rule("STANDARD", "19700101T000000", "RRULE:FREQ=YEARLY", "-0500"))
    data = calendar_with(
        hospital, "DTSTART;TZID=Hospital Time:20270104T080000", "DTEND;TZID=Hospital Time:20270118T080000"
    )
    [row] = read_rotations(data, "rota.ics", CHICAGO).entries
    assert str(row) == f"event 1: unknown time zone 'Hospital Time' {UNKNOWN}"


def test_a_windows_zone_name_is_the_zone_it_names_whatever_rules_the_file_gives_it() -> None:
    # Outlook writes its own VTIMEZONE for each Windows name; the zone database says what the name means.
    wrong = zone("Central Standard Time", rule("STANDARD", "19700101T000000", "RRULE:FREQ=YEARLY", "+0500"))
    data = calendar_with(
        wrong,
        "DTSTART;TZID=Central Standard Time:20270104T080000",
        "DTEND;TZID=Central Standard Time:20270118T080000",
    )
    [row] = read_rotations(data, "rota.ics", CHICAGO).entries
    assert isinstance(row, RotationRow)
    assert (row.starts_at, row.ends_at) == (utc(2027, 1, 4, 14), utc(2027, 1, 18, 14))


def test_a_zone_the_file_defined_earlier_is_no_zone_of_a_later_file() -> None:
    hospital = zone("Ward/Time", rule("STANDARD", "19700101T000000", "RRULE:FREQ=YEARLY", "-0500"))
    times = ("DTSTART;TZID=Ward/Time:20270104T080000", "DTEND;TZID=Ward/Time:20270118T080000")
    read_rotations(calendar_with(hospital, *times), "first.ics", CHICAGO)
    [row] = read_rotations(calendar_with("", *times), "second.ics", CHICAGO).entries
    assert str(row) == f"event 1: unknown time zone 'Ward/Time' {UNKNOWN}"


def test_a_zone_block_spelled_with_a_trailing_space_is_left_out_like_any_other() -> None:
    spaced = zone("Audit/Bomb", rule("STANDARD", "16010101T000000", "RRULE:FREQ=SECONDLY", "+0000"))
    data = calendar_with(
        spaced.replace("BEGIN:VTIMEZONE", "BEGIN:VTIMEZONE "),
        "DTSTART;TZID=America/Chicago:20270104T080000",
        "DTEND;TZID=America/Chicago:20270118T080000",
    )
    [row] = read_rotations(data, "rota.ics", CHICAGO).entries
    assert isinstance(row, RotationRow)
    assert row.starts_at == utc(2027, 1, 4, 14)


def test_an_end_of_a_zone_block_never_begun_refuses_the_file_as_unreadable() -> None:
    # icalendar would build a zone of the event that END closes, and fail on it.
    data = calendar_with("", "DTSTART;TZID=America/Chicago:20270104T080000", "TZID:Audit/Bomb")
    with pytest.raises(RotationFileRefused, match="not an iCalendar file this can read"):
        read_rotations(data.replace(b"END:VEVENT", b"END:VTIMEZONE"), "rota.ics", CHICAGO)
