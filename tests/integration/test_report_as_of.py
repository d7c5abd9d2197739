"""A report as of an earlier instant (`--now`) counts the cohort as it stood then: nobody who joined later,
no pair that started later, no end, leave or return that came later, and no note written later. On SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import PairingMode, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, Partnership
from circles.services.people.membership import join, leave
from circles.services.reports import Report, cohort_report
from circles.services.reports.figures import Endings
from tests import factories
from tests.integration.research.test_export import NOW
from tests.integration.research.test_export_as_of import LATER, changed_after_now


def report(db: Database, at: datetime, **options: object) -> Report:
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        return cohort_report(uow.session, cohort, at, **options)  # type: ignore[arg-type]


def test_a_report_as_of_an_earlier_instant_counts_no_pair_that_started_after_it_nor_how_it_ended(
    db: Database,
) -> None:
    changed_after_now(db)
    assert report(db, NOW).endings == Endings(5, 0, 0, 0, 0, 0, 0, 0)
    assert report(db, LATER + timedelta(days=4)).endings == Endings(0, 0, 0, 5, 5, 0, 0, 0)


def test_a_report_as_of_an_earlier_instant_counts_members_as_they_were_then(db: Database) -> None:
    changed_after_now(db)
    then = report(db, NOW)
    assert {c.role: (c.active, c.paused, c.left) for c in then.members} == {
        Role.COACH: (5, 0, 0),
        Role.LEARNER: (5, 0, 0),
    }
    assert (then.members_joined, then.members_left) == (10, 0)
    since = report(db, LATER + timedelta(days=4))
    assert {c.role: (c.active, c.paused, c.left) for c in since.members} == {
        Role.COACH: (5, 0, 5),
        Role.LEARNER: (5, 0, 5),
    }


def test_individual_rows_as_of_an_earlier_instant_show_its_pairs_running_and_only_notes_written_by_then(
    db: Database,
) -> None:
    changed_after_now(db)
    with db.unit_of_work() as uow:
        learner = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0L000000")).one()
        pairing = uow.session.scalars(
            select(Partnership).where(Partnership.second_member_id == learner.id)
        ).one()
        uow.session.add_all(
            [
                factories.checkin(
                    pairing, learner.id, NOW - timedelta(days=2), 4, note=b"before", shared=True
                ),
                factories.checkin(
                    pairing,
                    learner.id,
                    NOW - timedelta(days=1),
                    4,
                    after=timedelta(days=2),
                    note=b"after",
                    shared=True,
                ),
            ]
        )
        uow.commit()
    rows = report(db, NOW, individual=True, decrypt=bytes.decode).individual
    assert rows is not None
    assert len(rows) == 5
    assert {(row.status, row.end_reason, row.ended_on) for row in rows} == {
        (PartnershipStatus.ACTIVE, None, None)
    }
    [noted] = [row for row in rows if row.shared_notes]
    assert [note.split(": ", 1)[1] for note in noted.shared_notes] == ["before"]


MONDAY = datetime(2027, 1, 4, 9, tzinfo=UTC)


def test_someone_who_came_back_after_the_instant_is_counted_as_they_were_then(db: Database) -> None:
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        cohort.pairing_mode, cohort.created_at = PairingMode.COACH_LEARNER, MONDAY
        cohort.starts_on = MONDAY.date()
        factories.member(uow.session, cohort, "U0A", Role.LEARNER, at=MONDAY)
        uow.commit()
    join(db.unit_of_work(), "T0001", "pgy1", "U0R", Role.LEARNER, MONDAY + timedelta(hours=1))
    leave(db.unit_of_work(), "T0001", "pgy1", "U0R", MONDAY + timedelta(days=8))
    join(db.unit_of_work(), "T0001", "pgy1", "U0R", Role.LEARNER, MONDAY + timedelta(days=22))

    def learners(at: datetime) -> tuple[int, int, int]:
        [count] = report(db, at).members
        return count.active, count.paused, count.left

    assert learners(MONDAY + timedelta(days=2)) == (2, 0, 0)  # in, before leaving
    assert learners(MONDAY + timedelta(days=15)) == (1, 0, 1)  # out, before coming back
    assert learners(MONDAY + timedelta(days=23)) == (2, 0, 0)  # back
    weeks = report(db, MONDAY + timedelta(days=15)).participation
    assert [(week.joined, week.left, week.members) for week in weeks] == [(2, 0, 2), (0, 1, 1), (0, 0, 1)]
