"""A cohort file moving the start date of a cohort whose prompts have begun, on SQLite and PostgreSQL: refused
as the settings form refuses it, on the file's `starts_on`, dry run or not; the same start imports."""

from __future__ import annotations

from datetime import date

import pytest

from circles.domain.cohort_file import CohortFile, CohortFileInvalid, parse_cohort_file
from circles.persistence.db import Database
from circles.services.cohorts.file_import import ImportReport, as_given, import_cohort
from tests.integration.test_planning import standard, utc
from tests.integration.test_planning_start_moved import FIRST_FOUR, received
from tests.integration.test_planning_weekday_moved import ticks

MOVED = (
    "cohort.yml:2: starts_on: The cohort has begun: its start date stays 2026-03-02, or its prompts would "
    "repeat or be skipped. To skip weeks, add blackout dates in its settings; to run longer, move its end "
    "date."
)


def starting_on(day: date) -> CohortFile:
    """The planning world's cohort as a file, starting on `day`."""
    text = (
        "cohort:\n  slug: pgy1\n  name: Cohort pgy1\n  pairing: coach_learner\n  timezone: America/New_York\n"
        f'  prompts: {{weekday: monday, time: "09:00", track: default}}\n  starts_on: {day.isoformat()}\n'
        "  facilitators: [U0FAC]\n"
    )
    return parse_cohort_file(text, "cohort.yml")


def imported(db: Database, day: date, *, dry_run: bool = False) -> ImportReport | list[str]:
    """The import's report, or the problems it was refused with."""
    file = starting_on(day)
    try:
        return import_cohort(
            db.unit_of_work(), "T0001", file, as_given(file), now=utc(2026, 3, 17, 12), dry_run=dry_run
        )
    except CohortFileInvalid as refused:
        return [str(problem) for problem in refused.problems]


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "import"])
def test_a_file_moving_the_start_after_the_first_prompt_went_is_refused_and_no_prompt_repeats(
    db: Database, dry_run: bool
) -> None:
    standard(db)  # Mondays at 9:00 in New York from 2 March
    ticks(db, utc(2026, 3, 2, 14, 30), utc(2026, 3, 9, 13, 30), utc(2026, 3, 16, 13, 30))

    report = imported(db, date(2026, 3, 9), dry_run=dry_run)
    ticks(db, utc(2026, 3, 23, 14, 30))

    assert received(db, "circle_prompt") == [(prompt, week) for week, prompt in enumerate(FIRST_FOUR, 1)]
    assert report == [MOVED]


def test_a_file_keeping_the_start_imports_once_the_cohort_has_begun(db: Database) -> None:
    standard(db)
    ticks(db, utc(2026, 3, 2, 14, 30))

    report = imported(db, date(2026, 3, 2))

    assert isinstance(report, ImportReport)
    assert report.applied
    assert "starts_on" not in {change.subject for change in report.changes}
