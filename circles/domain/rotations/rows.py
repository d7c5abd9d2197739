"""A rotations file as rows, and those rows as blocks of the people their emails name."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from circles.domain.availability import AbsenceKind
from circles.domain.cohort_rules import date_range
from circles.domain.rotations.checks import (
    MAX_BYTES,
    RotationFileRefused,
    RotationRow,
    RowProblem,
)
from circles.domain.rotations.csv_rows import parse_csv
from circles.domain.rotations.ics_rows import parse_ics

CALENDAR_NAMES = (".ics", ".ical", ".icalendar")


@dataclass(frozen=True)
class RotationFile:
    """Every row of the file in its order: a block to import, or what was not understood in it."""

    entries: tuple[RotationRow | RowProblem, ...]

    @property
    def rows(self) -> list[RotationRow]:
        return [entry for entry in self.entries if isinstance(entry, RotationRow)]

    @property
    def problems(self) -> list[RowProblem]:
        return [entry for entry in self.entries if isinstance(entry, RowProblem)]

    def emails(self) -> list[str]:
        """The emails of the understood rows, each once, in the order the file gives them."""
        return list(dict.fromkeys(row.email for row in self.rows))


@dataclass(frozen=True)
class Block:
    """A row of the file as one person's block: from `starts_at` until the instant they are back."""

    where: str
    user_id: str
    starts_at: datetime
    ends_at: datetime
    kind: AbsenceKind


def read_rotations(data: bytes, name: str, zone: ZoneInfo, today: date | None = None) -> RotationFile:
    """The file's rows, in the cohort's time zone `zone`: iCalendar when it is named or begins like one,
    else CSV. A file too large, not text, or with no rows is refused whole. Dates must fall within a few
    years of `today` (the cohort's), or without it, within the years a cohort's schedule may use."""
    if len(data) > MAX_BYTES:
        raise RotationFileRefused(f"larger than {MAX_BYTES // (1024 * 1024)} MB: split the file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RotationFileRefused("not UTF-8 text: save it as CSV (UTF-8) or as an .ics file") from None
    calendar = name.lower().endswith(CALENDAR_NAMES) or text.lstrip().upper().startswith("BEGIN:VCALENDAR")
    days = date_range(today)  # as a cohort's dates
    entries = parse_ics(text, zone, days) if calendar else parse_csv(text, zone, days)
    if not entries:
        raise RotationFileRefused(
            "no rows: nothing to import" if not calendar else "no events: nothing to import"
        )
    return RotationFile(tuple(entries))


def assign_people(
    rotations: RotationFile,
    found: Mapping[str, str],
    refused: Mapping[str, str],
    outside: Collection[str] = (),
) -> tuple[list[Block], list[RowProblem]]:
    """Each understood row as a block of the person `found` says its email is (a Slack user ID), and every
    problem in file order: rows not understood, emails `refused` says why not (marked `outside` when the
    email is in `outside`: someone not of the cohort), and rows that repeat an earlier one (the same person,
    start and kind: one block, as the database keeps it)."""
    blocks: list[Block] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, datetime, AbsenceKind], str] = {}
    for entry in rotations.entries:
        if isinstance(entry, RowProblem):
            problems.append(entry)
            continue
        user_id = found.get(entry.email)
        if user_id is None:
            why = refused.get(entry.email, f"unknown email: no one in Slack has the email {entry.email}")
            problems.append(RowProblem(entry.where, why, outside=entry.email in outside))
            continue
        key = (user_id, entry.starts_at, entry.kind)
        if (first := seen.get(key)) is not None:
            problems.append(RowProblem(entry.where, f"duplicate of {first}: the same person, start and kind"))
            continue
        seen[key] = entry.where
        blocks.append(Block(entry.where, user_id, entry.starts_at, entry.ends_at, entry.kind))
    return blocks, problems
