"""What every row of a rotations file must be, whatever the file's shape: one person, a sound span, a kind."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from circles.domain.availability import AbsenceKind
from circles.domain.availability.going_away import a_year_after

MAX_BYTES = 5 * 1024 * 1024  # a year of rotations for thousands of people fits well within this
MAX_ROWS = 10_000
KINDS = {"rotation": AbsenceKind.ROTATION, "leave": AbsenceKind.LEAVE, "away": AbsenceKind.AWAY}
EMAIL = re.compile(r"^[^@\s<>:;,\"]+@[^@\s<>:;,\"]+\.[^@\s<>:;,\"]+$")
Days = tuple[date, date]  # the first and last day a block may start or end on
SHOWN = 60  # of a cell said back: enough to find it, too little to hold other rows' addresses


class RotationFileRefused(Exception):
    """The whole file cannot be read, for one reason a person can fix; nothing of it is imported."""


@dataclass(frozen=True)
class RowProblem:
    """What was not understood in one row; `where` names it ("row 7", "event 3")."""

    where: str
    what: str
    outside: bool = field(default=False, compare=False)  # it names someone outside the cohort

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass(frozen=True)
class RotationRow:
    """One person, by email, away from `starts_at` until `ends_at` (the instant they are back), in UTC."""

    where: str
    email: str  # lower case: Slack's addresses are compared without case
    starts_at: datetime
    ends_at: datetime
    kind: AbsenceKind


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight of `day` in `zone` as a UTC instant (when a clock change skips it: the first hour)."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def day_problem(name: str, day: date, spelled: str, days: Days) -> str | None:
    """Why the file's `name` (start, DTEND, …), written `spelled`, cannot be a block's day, or None."""
    low, high = days
    if low <= day <= high:
        return None
    return f"bad date: {name} {spelled} is out of range: give a date from {low:%Y-%m-%d} to {high:%Y-%m-%d}"


def shown(text: str) -> str:
    """A cell of the file as a problem says it back: quoted, and cut short when long."""
    return repr(text if len(text) <= SHOWN else f"{text[:SHOWN]}…")


def email_problem(email: str) -> str | None:
    if not email:
        return "no email: give the person's email address"
    if not EMAIL.match(email):
        return f"{shown(email)} is not an email address"
    return None


def span_problem(starts_at: datetime, ends_at: datetime, zone: ZoneInfo, start: str, end: str) -> str | None:
    """Why this span cannot be a block, or None; `start` and `end` are how the file wrote them."""
    if ends_at <= starts_at:
        return f"end {end} is before start {start}"
    if ends_at > _a_year_after(starts_at.astimezone(zone)):
        return f"over a year long ({start} to {end}): give it as blocks of a year at most"
    return None


def checked_row(
    where: str,
    email: str,
    span: tuple[datetime, datetime] | None,
    kind: AbsenceKind | None,
    *,
    zone: ZoneInfo,
    spelled: tuple[str, str],
    problems: Sequence[str] = (),
) -> RotationRow | RowProblem:
    """The row, or everything wrong with it: `problems` the file's reader found (a None `span` or `kind`
    comes with one), then the email and the span; `spelled` is the start and end as the file wrote them."""
    email = email.strip().lower()
    found = [problem for problem in (email_problem(email),) if problem] + list(problems)
    if span is not None and (problem := span_problem(*span, zone, *spelled)):
        found.append(problem)
    if found or span is None or kind is None:
        return RowProblem(where, "; ".join(found) or "not understood")
    return RotationRow(where, email, *span, kind)


def _a_year_after(local: datetime) -> datetime:
    """Return the same local time a year on (as far ahead as someone may say they are back)."""
    return datetime.combine(a_year_after(local.date()), local.timetz())
