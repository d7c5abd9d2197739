"""When an iCalendar event given a DURATION ends (RFC 5545, 3.3.6): its weeks and days are nominal, the
same wall-clock time that many days on whatever clock change comes between, and its hours, minutes and
seconds exact, that much real time after. icalendar reads both into one timedelta (PT24H and P1D alike),
so how many days the file spelled is read from its own text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar.parser import Contentlines

NOMINAL = re.compile(r"([+-]?)P(?:(\d+)W)?(?:(\d+)D)?", re.IGNORECASE)


def event_durations(text: str) -> list[str | None]:
    """Each VEVENT's own DURATION as the file spells it (None when it gives none), in the order icalendar
    walks the events; a DURATION of a component inside an event (an alarm's) is not the event's."""
    found: list[str | None] = []
    inside: list[int | None] = []  # the open components: an event's place in `found`, None for others
    for line in Contentlines.from_ical(text):  # type: ignore[no-untyped-call]
        if not line:
            continue
        try:
            name, _, value = line.parts()
        except ValueError:  # a line icalendar's parser would also refuse or skip
            continue
        name = name.upper()
        if name == "BEGIN":
            inside.append(len(found) if value.strip().upper() == "VEVENT" else None)
            if inside[-1] is not None:
                found.append(None)
        elif name == "END":
            if inside:
                inside.pop()
        elif name == "DURATION" and inside and (event := inside[-1]) is not None and found[event] is None:
            found[event] = value.strip()
    return found


def nominal_part(spelled: str | None, duration: timedelta) -> timedelta:
    """The weeks and days of a DURATION spelled so (signed); all of it when its spelling is not known."""
    match = NOMINAL.match(spelled.strip()) if spelled else None
    if match is None:
        return duration
    sign, weeks, days = match.groups()
    nominal = timedelta(days=7 * int(weeks or 0) + int(days or 0))
    return -nominal if sign == "-" else nominal


def end_after(start: datetime, duration: timedelta, spelled: str | None, zone: ZoneInfo) -> datetime:
    """The end of an event from `start` (in its own zone, or with none: floating, in `zone`) that lasts
    `duration`, spelled `spelled`, in the same terms as `start`. Raises OverflowError past year 9999."""
    nominal = nominal_part(spelled, duration)
    wall = start + nominal  # the same time of day, that many days on
    exact = duration - nominal
    if not exact:
        return wall
    here = wall.tzinfo or zone
    ends = (wall.replace(tzinfo=here).astimezone(UTC) + exact).astimezone(here)
    # A floating end stays floating; its fold says which of a repeated hour's two it is.
    return ends if wall.tzinfo is not None else ends.replace(tzinfo=None)
