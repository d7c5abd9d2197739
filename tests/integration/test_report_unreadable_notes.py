"""A shared note the notes key no longer opens is counted and shown as unavailable in the individual report
(its row, individual.csv, the page, the CLI's lines, the comment with the file in Slack), never as no note,
and the log holds one count, never a word of it."""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.cli_report import describe
from bot.views.report import individual_comment
from circles.notes import NoteUnreadable
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.reports import Report, cohort_report, write_report
from circles.services.reports.files import ReportFiles
from tests import report_world as w
from tests.shared_worlds import BOTH, shared

UNAVAILABLE = "Unavailable: 1 shared note could not be opened with the current notes key."


@pytest.fixture(scope="module", params=BOTH)
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    with shared(request) as opened:
        yield opened


@pytest.fixture(scope="module")
def world(db: Database) -> w.World:
    return w.stored(db)


def todays_key(token: bytes) -> str:
    """The key as it is now: the shared note was sealed under one since replaced, so it does not open."""
    if w.unseal(token) == w.SHARED_NOTE:
        raise NoteUnreadable()
    return w.unseal(token)


def report(db: Database, world: w.World) -> Report:
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, world.cohort_id)
        return cohort_report(uow.session, cohort, world.now, individual=True, decrypt=todays_key)


def test_a_shared_note_the_key_no_longer_opens_is_counted_in_its_row_not_shown_as_no_note(
    db: Database, world: w.World, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        found = report(db, world)
    assert found.individual is not None
    first, *others = found.individual
    assert (first.shared_notes, first.notes_unavailable) == ((), 1)
    assert all(row.notes_unavailable == 0 for row in others)
    assert found.notes_unavailable == 1
    [warning] = [r for r in caplog.records if "could not be opened" in r.getMessage()]  # one, a count
    assert warning.getMessage().startswith("1 shared check-in note(s) could not be opened")
    assert w.SHARED_NOTE not in caplog.text


def facilitators_files(
    db: Database, world: w.World, folder: Path, decrypt: Callable[[bytes], str]
) -> ReportFiles:
    """The report with individual rows a facilitator writes, opening notes with `decrypt`."""
    return write_report(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        folder,
        world.now,
        individual=True,
        as_user=w.FACILITATOR,
        decrypt=decrypt,
        refresh_health=False,
    )


def test_the_files_the_cli_lines_and_the_slack_comment_say_how_many_notes_are_unavailable(
    db: Database, world: w.World, tmp_path: Path
) -> None:
    files = facilitators_files(db, world, tmp_path, todays_key)
    rows = list(csv.DictReader(files.csv_files["individual"].open(newline="")))
    assert next((row["shared_notes"], row["notes_unavailable"]) for row in rows) == ("", "1")
    page = files.index.read_text(encoding="utf-8")
    assert UNAVAILABLE in page
    assert "Shared notes unavailable" in page
    [why] = [line for line in describe(files, "T0001") if "could not be opened" in line]
    assert why.startswith("1 shared note could not be opened")
    assert "CIRCLES_NOTES_KEY" in why
    assert UNAVAILABLE in individual_comment(files.report)
    assert w.SHARED_NOTE not in page + why + individual_comment(files.report)


def test_with_the_key_that_sealed_them_no_note_is_unavailable_and_nothing_is_said(
    db: Database, world: w.World, tmp_path: Path
) -> None:
    files = facilitators_files(db, world, tmp_path, w.unseal)
    assert files.report.notes_unavailable == 0
    assert "Unavailable" not in files.index.read_text(encoding="utf-8")
    assert not [line for line in describe(files, "T0001") if "could not be opened" in line]
    assert "Unavailable" not in individual_comment(files.report)
