"""Rows of an iCalendar rotations file: one per person (ATTENDEE, or an email in SUMMARY) of each VEVENT."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, GloballyUniqueTZIDGuessed

from circles.domain.availability import AbsenceKind
from circles.domain.rotations import checks
from circles.domain.rotations.ics_durations import end_after, event_durations
from circles.domain.rotations.ics_zones import place_named, without_zone_definitions

EMAIL_IN_TEXT = re.compile(r"[^@\s<>:;,()\[\]\"']+@[^@\s<>:;,()\[\]\"']+\.[A-Za-z]{2,}")
BROKEN = object()  # a property the file gives but icalendar cannot read
SUMMARY_KINDS = {"rotation": AbsenceKind.ROTATION, "leave": AbsenceKind.LEAVE}
EVENT_STARTS = re.compile(r"^BEGIN:VEVENT\r?$", re.IGNORECASE | re.MULTILINE)
# A content line starts at the left margin; one that starts with a space or a tab continues the line before.
LINE_STARTS = re.compile(rb"^[^ \t\r\n]", re.MULTILINE)
# An event takes a dozen lines, and one for each person it names (a row each): room for 15 a row, about
# what the size allowed holds of lines a calendar program writes (35 bytes each, on average).
MAX_LINES = 15 * checks.MAX_ROWS
UNREADABLE = (
    "not an iCalendar file this can read: it must be one calendar, from BEGIN:VCALENDAR to END:VCALENDAR, "
    "each BEGIN:VEVENT closed by an END:VEVENT; export it from the calendar again"
)
HOURS_OF_A_DAY = "DURATION must be whole days or weeks for an all-day event"
TOO_MANY_PEOPLE = f"more than {checks.MAX_ROWS:,} rows (one for each person of each event): split the file"


def parse_ics(text: str, zone: ZoneInfo, days: checks.Days) -> list[checks.RotationRow | checks.RowProblem]:
    """Each person of each event, as a block or what was wrong; all-day dates are days in `zone`, as are
    times with no zone, and an all-day event's DTEND is the day they are back (RFC 5545). Every date is
    within `days`."""
    # A vendor's globally unique TZID (/mozilla.org/…/America/New_York) is read as the zone it ends with;
    # icalendar warns of it as it reads each time: lines of its own on the facilitator's screen.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GloballyUniqueTZIDGuessed)
        return _parse(text, zone, days)


def _parse(text: str, zone: ZoneInfo, days: checks.Days) -> list[checks.RotationRow | checks.RowProblem]:
    # Counted before parsing too: a file of too many events, or lines, is refused without reading each of
    # them (parsing a million one-letter lines, which fit in the size allowed, took half a minute).
    if sum(1 for _ in LINE_STARTS.finditer(text.encode())) > MAX_LINES:
        raise checks.RotationFileRefused(f"more than {MAX_LINES:,} lines: split the file")
    if len(EVENT_STARTS.findall(text)) > checks.MAX_ROWS:
        raise checks.RotationFileRefused(f"more than {checks.MAX_ROWS:,} events: split the file")
    try:
        calendar = Calendar.from_ical(without_zone_definitions(text))
    except ValueError:
        # icalendar's message repeats the file's text, emails and all, over many lines.
        raise checks.RotationFileRefused(UNREADABLE) from None
    events = calendar.walk("VEVENT")
    if len(events) > checks.MAX_ROWS:
        raise checks.RotationFileRefused(f"more than {checks.MAX_ROWS:,} events: split the file")
    found: list[checks.RotationRow | checks.RowProblem] = []
    durations = event_durations(text)
    if len(durations) != len(events):  # read otherwise than icalendar did: no event's spelling is known
        durations = [None] * len(events)
    for number, (event, spelled) in enumerate(zip(events, durations, strict=True), start=1):
        found.extend(_rows(f"event {number}", event, spelled, zone, days))
        # Each person of an event is a row, and may be a question to Slack: the cap is on rows, not events.
        if len(found) > checks.MAX_ROWS:
            raise checks.RotationFileRefused(TOO_MANY_PEOPLE)
    return found


def _rows(
    where: str, event: Any, duration: str | None, zone: ZoneInfo, days: checks.Days
) -> list[checks.RotationRow | checks.RowProblem]:
    if str(event.get("STATUS", "")).strip().upper() == "CANCELLED":
        return []  # a rotation or leave called off: nobody is away (calendars keep such events in exports)
    if "RRULE" in event or "RDATE" in event:
        return [
            checks.RowProblem(
                where, "a repeating event (RRULE or RDATE): give each block as an event of its own"
            )
        ]
    problems: list[str] = []
    span, spelled = _span(event, duration, zone, days, problems)
    people = _people(event)
    if not people:
        nobody = "names nobody: give an ATTENDEE with a mailto: address, or an email in SUMMARY"
        return [checks.RowProblem(where, "; ".join([nobody, *problems]))]
    kind = _kind(event)
    many = len(people) > 1
    return [
        checks.checked_row(
            f"{where} ({email})" if many else where,
            email,
            span,
            kind,
            zone=zone,
            spelled=spelled,
            problems=problems,
        )
        for email in people
    ]


def _span(
    event: Any, spelled_duration: str | None, zone: ZoneInfo, days: checks.Days, problems: list[str]
) -> tuple[tuple[datetime, datetime] | None, tuple[str, str]]:
    start, end, duration = (_value(event, name, problems) for name in ("DTSTART", "DTEND", "DURATION"))
    if BROKEN in (start, end, duration):
        return None, ("?", "?")
    if not isinstance(start, date):
        problems.append("no DTSTART: say when they leave")
        return None, ("?", "?")
    # Checked before any arithmetic: a day on from 9999-12-31, or its instant in UTC, cannot be worked out.
    if problem := _day_problem("DTSTART", start, days):
        problems.append(problem)
        return None, (start.isoformat(), "?")
    if not isinstance(end, date):
        if isinstance(duration, timedelta):
            if not isinstance(start, datetime) and duration % timedelta(days=1):
                # A date plus hours is that same date (or a day on from 36 hours): no end the file meant.
                problems.append(HOURS_OF_A_DAY)
                return None, (start.isoformat(), "?")
            try:
                end = (
                    end_after(start, duration, spelled_duration, zone)
                    if isinstance(start, datetime)
                    else start + duration
                )
            except OverflowError:  # a DURATION of millions of days
                problems.append("bad date: DURATION is out of range: give blocks of a year at most")
                return None, (start.isoformat(), "?")
        elif not isinstance(start, datetime):
            end = start + timedelta(days=1)  # an all-day event with no end lasts its one day
        else:
            problems.append("no DTEND or DURATION: say when they are back")
            return None, (start.isoformat(), "?")
    if problem := _day_problem("DTEND" if "DTEND" in event else "end", end, days):
        problems.append(problem)
        return None, (start.isoformat(), end.isoformat())
    return (_instant(start, zone), _instant(end, zone)), (start.isoformat(), end.isoformat())


def _value(event: Any, name: str, problems: list[str]) -> object:
    """The property's date, date and time, or length; BROKEN (and a problem said) when it is none of them,
    or a time in a zone that is not known."""
    prop = event.get(name)
    try:
        value = getattr(prop, "dt", None)
    except ValueError:  # icalendar parses lazily: a malformed value fails when it is read
        problems.append(f"bad date: {name} is not a {'length of time' if name == 'DURATION' else 'date'}")
        return BROKEN
    if isinstance(value, datetime) and (tzid := prop.params.get("TZID")):
        # Read by its name alone, whatever zone icalendar attached (none, when it knows no zone of that
        # name): a name of no place is no time in the cohort's zone either, nor in the server's own.
        if (place := place_named(str(tzid))) is None:
            unknown = f"unknown time zone {checks.shown(str(tzid))} (TZID): use a name like America/Chicago"
            if unknown not in problems:
                problems.append(unknown)
            return BROKEN
        return value.replace(tzinfo=place)
    return value


def _day_problem(name: str, moment: date, days: checks.Days) -> str | None:
    """Whether the day `moment` falls on, where it is, is one a block may use."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return checks.day_problem(name, day, moment.isoformat(), days)


def _instant(moment: date, zone: ZoneInfo) -> datetime:
    if not isinstance(moment, datetime):
        return checks.day_start(moment, zone)
    local = moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)  # floating: the cohort's
    return local.astimezone(UTC)


def _people(event: Any) -> list[str]:
    attendees = event.get("ATTENDEE")
    listed = attendees if isinstance(attendees, list) else [attendees] if attendees is not None else []
    emails = []
    for attendee in listed:
        address = str(attendee).strip()
        if address.lower().startswith("mailto:"):
            emails.append(address[len("mailto:") :].strip().lower())
    if not emails:
        emails = [match.lower() for match in EMAIL_IN_TEXT.findall(str(event.get("SUMMARY", "")))]
    return list(dict.fromkeys(emails))


def _kind(event: Any) -> AbsenceKind:
    """From CATEGORIES when one is a kind, else the first of rotation or leave SUMMARY says; else rotation."""
    categories = event.get("CATEGORIES")
    listed = categories if isinstance(categories, list) else [categories] if categories is not None else []
    for category in listed:
        for name in getattr(category, "cats", []):
            if (kind := checks.KINDS.get(str(name).strip().lower())) is not None:
                return kind
    for word in re.findall(r"[a-z]+", str(event.get("SUMMARY", "")).lower()):
        if word in SUMMARY_KINDS:
            return SUMMARY_KINDS[word]
    return AbsenceKind.ROTATION
