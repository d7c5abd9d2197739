"""Cohorts side by side as of an earlier instant (`--now`) count each cohort as its own report does: nobody
who joined later, nobody who left later left out, no pair that started later, and a pair that ended later
still running then. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from circles.domain.vocabulary import EndReason, MemberStatus, PartnershipHealthState, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.reports import cohort_report, compare_cohorts, write_comparison
from tests import factories
from tests import report_world as w

MONDAY = datetime(2027, 1, 4, 9, tzinfo=UTC)
THEN = MONDAY + timedelta(days=14)


def stored(db: Database) -> int:
    """Six learners and a coach: three learners joined later, one left later; two pairs ran then (one
    struggling, one ending later), a third started later."""
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1", at=MONDAY)
        cohort.starts_on = MONDAY.date()
        coach = factories.member(uow.session, cohort, "U0C", Role.COACH, at=MONDAY)
        early = [factories.member(uow.session, cohort, f"U0L{i}", at=MONDAY) for i in range(5)]
        late = [
            factories.member(uow.session, cohort, f"U0X{i}", at=MONDAY + timedelta(days=30)) for i in range(3)
        ]
        factories.pair(uow.session, coach, early[0], started_at=MONDAY)
        ending = factories.pair(uow.session, coach, early[1], started_at=MONDAY)
        ending.status, ending.end_reason = PartnershipStatus.ENDED, EndReason.NO_FAULT
        ending.ended_at = MONDAY + timedelta(days=25)
        factories.pair(uow.session, coach, late[0], started_at=MONDAY + timedelta(days=31))
        early[4].status, early[4].left_at = MemberStatus.LEFT, MONDAY + timedelta(days=28)
        at = MONDAY + timedelta(days=7)
        uow.session.add(w.health_record(cohort, ending.id, at, PartnershipHealthState.STRUGGLING))
        uow.commit()
        return cohort.id


def test_cohorts_side_by_side_as_of_an_earlier_instant_count_them_as_they_stood_then(db: Database) -> None:
    cohort_id = stored(db)
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Cohort, cohort_id)
        report = cohort_report(uow.session, cohort, THEN)
        [column] = compare_cohorts(uow.session, cohort.workspace_id, [cohort], THEN, {})
    running = report.endings.active + report.endings.paused
    assert (report.members_joined - report.members_left, running) == (6, 2)
    # Before: 8 members (three who joined later, not the one who left later) and the later pair counted.
    assert (column.members, column.partnerships) == (6, 2)
    assert (column.struggling, column.struggling_share) == (1, 0.5)


def test_the_comparison_page_as_of_an_earlier_instant_says_what_each_cohorts_page_says(
    db: Database, tmp_path: Path
) -> None:
    stored(db)
    index = write_comparison(db.reading(), "T0001", ["pgy1"], tmp_path, THEN, refresh_health=False)
    page = index.read_text()
    assert "<tr><td>Members</td><td>6</td></tr>" in page  # then; before: 8
    assert "<tr><td>Partnerships struggling</td><td>50% (1 of 2)</td></tr>" in page  # before: 0 of 2
