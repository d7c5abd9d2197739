"""Rows of a CSV rotations file: `email,start,end,kind`, dates as YYYY-MM-DD in the cohort's time zone."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from circles.domain.availability import AbsenceKind
from circles.domain.rotations.checks import (
    KINDS,
    MAX_ROWS,
    Days,
    RotationFileRefused,
    RotationRow,
    RowProblem,
    checked_row,
    day_problem,
    day_start,
    shown,
)

COLUMNS = ("email", "start", "end", "kind")
REQUIRED = ("email", "start", "end")  # no kind column: every row is a rotation
SEMICOLONS = " (its columns are separated by ';': save it as CSV with commas)"
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # fromisoformat alone also takes 20270104 and week dates
UNCLOSED = (
    "row {row}: a quote opened here is never closed, so every line after it reads as one cell: close it "
    "on its line or take it out (a cell cannot hold a line break)"
)


def parse_csv(text: str, zone: ZoneInfo, days: Days) -> list[RotationRow | RowProblem]:
    """Each data row (blank ones skipped) as a block or what is wrong with it, named by the line it is on;
    `end` is the last day away, and both are within `days`."""
    records = _records(text)
    columns = _columns(next(records, (1, None))[1])
    found: list[RotationRow | RowProblem] = []
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        if len(found) == MAX_ROWS:
            raise RotationFileRefused(f"more than {MAX_ROWS:,} rows: split the file")
        cells = {name: record[at].strip() if at < len(record) else "" for name, at in columns.items()}
        found.append(_row(f"row {line}", cells, zone, days))
    return found


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on. One running onto a later line refuses the file: a quote
    never closed, which takes every line after it into one cell."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for record in reader:
            if reader.line_num > start:  # a quoted cell holding a line break
                raise RotationFileRefused(UNCLOSED.format(row=start))
            yield start, record
            start = reader.line_num + 1
    except csv.Error as error:  # its words never repeat the file's text
        if reader.line_num > start:  # a cell past the size limit, as one never closed soon is
            raise RotationFileRefused(UNCLOSED.format(row=start)) from None
        raise RotationFileRefused(f"row {start}: not readable as CSV: {error}") from None


def _columns(header: list[str] | None) -> dict[str, int]:
    expected = f"its first line must be the header {','.join(COLUMNS)}"
    if header is None:
        raise RotationFileRefused(f"the file is empty: {expected}")
    names = [cell.strip().lower().lstrip("\ufeff") for cell in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        # A spreadsheet saved where the decimal mark is a comma separates its columns with ';'.
        hint = SEMICOLONS if any(";" in cell for cell in header) else ""
        raise RotationFileRefused(f"row 1: no {', '.join(missing)} column: {expected}{hint}")
    return {name: names.index(name) for name in COLUMNS if name in names}


def _row(where: str, cells: dict[str, str], zone: ZoneInfo, days: Days) -> RotationRow | RowProblem:
    problems: list[str] = []
    first, last = (_day(column, cells[column], days, problems) for column in ("start", "end"))
    kind = _kind(cells.get("kind", ""), problems)
    span = None
    if first is not None and last is not None:
        # The end is the last day away: they are back at the start of the next day.
        span = (day_start(first, zone), day_start(last + timedelta(days=1), zone))
    spelled = (cells["start"], cells["end"])
    return checked_row(where, cells["email"], span, kind, zone=zone, spelled=spelled, problems=problems)


def _day(column: str, text: str, days: Days, problems: list[str]) -> date | None:
    """The date, when it is one within `days`: a day on from year 9999 cannot be worked out."""
    if not text:
        problems.append(f"no {column} date (YYYY-MM-DD)")
        return None
    try:
        day = date.fromisoformat(text) if DAY.match(text) else None
    except ValueError:
        day = None
    if day is None:
        problems.append(f"bad date: {column} {shown(text)} is not a date (YYYY-MM-DD)")
    elif problem := day_problem(column, day, shown(text), days):
        problems.append(problem)
        return None
    return day


def _kind(text: str, problems: list[str]) -> AbsenceKind | None:
    if not text:
        return AbsenceKind.ROTATION
    kind = KINDS.get(text.lower())
    if kind is None:
        problems.append(f"unknown kind {shown(text)}: use {', '.join(KINDS)}")
    return kind
