"""Time zones of an iCalendar rota, known by name only: a TZID names a zone of the zoneinfo database, as a
calendar program spells it, and never a zone the file defines for itself in a VTIMEZONE block."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from icalendar.parser import Contentlines
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from circles.domain.cohort_rules import is_time_zone


def without_zone_definitions(text: str) -> str:
    """The calendar without its VTIMEZONE blocks, unfolded as icalendar reads it. icalendar builds a zone
    from each block's own rules (and keeps it for every later file of the process); rules that repeat each
    second from 1601 would then be walked one by one, and kept, to read a single time. Raises ValueError
    for a block never closed, or an END:VTIMEZONE with no block: icalendar would build a zone of whatever
    component that END closes."""
    kept: list[str] = []
    depth = 0  # how deep inside a VTIMEZONE block the line is; 0 outside of one
    for line in Contentlines.from_ical(text):  # type: ignore[no-untyped-call]
        if not line:
            continue
        if not line[:5].upper().startswith(("BEGIN", "END")):  # most lines: kept, or skipped in a block
            if not depth:
                kept.append(line)
            continue
        try:
            name, _, value = line.parts()
        except ValueError:  # a line icalendar's parser would also refuse or skip
            name = value = ""
        name, zone = name.upper(), value.strip().upper() == "VTIMEZONE"
        if depth:
            depth += {"BEGIN": 1, "END": -1}.get(name, 0)
        elif name == "BEGIN" and zone:
            depth = 1
        elif name == "END" and zone:
            raise ValueError("END:VTIMEZONE with no BEGIN:VTIMEZONE")
        else:
            kept.append(line)
    if depth:
        raise ValueError("BEGIN:VTIMEZONE never ended")
    return "".join(f"{line}\r\n" for line in kept)


def place_named(tzid: str) -> ZoneInfo | None:
    """The zone of the place `tzid` names: a zoneinfo name, a Windows one (Outlook's), or a vendor's
    globally unique TZID (/mozilla.org/…/America/New_York) read as the name it ends with. None for a name
    of no place known, or the zone of the machine reading it (`localtime`, or a path such as /etc/UTC)."""
    if tzid.startswith("/etc/"):
        return None
    # Each name is looked up in the zone database's list before any file it spells is opened.
    return next((ZoneInfo(name) for name in _spellings(tzid) if is_time_zone(name)), None)


def _spellings(tzid: str) -> Iterator[str]:
    """The names `tzid` may mean, the likeliest first (as icalendar tries them, less its own cache)."""
    cleaned = tzid.strip("/")
    yield cleaned
    if cleaned in WINDOWS_TO_OLSON:
        yield WINDOWS_TO_OLSON[cleaned]
    if tzid.startswith("/"):
        parts = cleaned.split("/")
        for start in range(1, len(parts)):
            yield "/".join(parts[start:])
