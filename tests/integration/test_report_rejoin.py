"""Someone who leaves a cohort and comes back is in its report's history each time: the week they first
joined, the week they left and the week they came back, with the members in each week counted so. Still one
person in the cohort's figures. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.services.people.membership import join, leave
from circles.services.reports import cohort_report
from tests import factories

MONDAY = datetime(2027, 1, 4, 9, tzinfo=UTC)


def test_a_member_who_left_and_came_back_is_in_each_weeks_joins_and_leaves(db: Database) -> None:
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        cohort.pairing_mode, cohort.created_at = PairingMode.COACH_LEARNER, MONDAY
        cohort.starts_on = MONDAY.date()
        for user in ("U0A", "U0B", "U0C"):
            factories.member(uow.session, cohort, user, Role.LEARNER, at=MONDAY)
        uow.commit()
        cohort_id = cohort.id
    join(db.unit_of_work(), "T0001", "pgy1", "U0R", Role.LEARNER, MONDAY + timedelta(hours=1))  # week 1
    leave(db.unit_of_work(), "T0001", "pgy1", "U0R", MONDAY + timedelta(days=8))  # week 2
    join(db.unit_of_work(), "T0001", "pgy1", "U0R", Role.LEARNER, MONDAY + timedelta(days=22))  # week 4

    with db.unit_of_work() as uow:
        report = cohort_report(
            uow.session, uow.session.get_one(Cohort, cohort_id), MONDAY + timedelta(days=23)
        )

    weeks = [(week.week.isoformat(), week.joined, week.left, week.members) for week in report.participation]
    assert weeks == [  # before: the first join and the leave were gone, and weeks 1 to 3 one member short
        ("2027-01-04", 4, 0, 4),
        ("2027-01-11", 0, 1, 3),
        ("2027-01-18", 0, 0, 3),
        ("2027-01-25", 1, 0, 4),
    ]
    assert (report.members_joined, report.members_left) == (4, 0)  # one person, in the cohort now


def test_a_stint_from_before_the_cohorts_start_begins_the_report_at_its_week(db: Database) -> None:
    start = datetime(2027, 3, 8, 15, tzinfo=UTC)  # a Monday, 9:00 in Chicago
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1", at=start)
        cohort.timezone, cohort.starts_on = "America/Chicago", start.date()
        for user in ("U0A", "U0B", "U0C"):
            factories.member(uow.session, cohort, user, Role.LEARNER, at=start)
        back = factories.member(uow.session, cohort, "U0R", Role.LEARNER, at=start + timedelta(days=8))
        back.earlier_stints = [["2027-02-01T15:00+00:00", "2027-02-10T15:00+00:00"]]
        uow.commit()
        cohort_id = cohort.id

    with db.unit_of_work() as uow:
        report = cohort_report(
            uow.session, uow.session.get_one(Cohort, cohort_id), start + timedelta(days=16)
        )

    weeks = [(week.week.isoformat(), week.joined, week.left, week.members) for week in report.participation]
    assert weeks[:2] == [("2027-02-01", 1, 0, 1), ("2027-02-08", 0, 1, 0)]
    # Before: the report began on 8 March, with the stint's join and leave in it ("2027-03-08", 4, 1, 3).
    assert weeks[-3:] == [("2027-03-08", 3, 0, 3), ("2027-03-15", 1, 0, 4), ("2027-03-22", 0, 0, 4)]
    assert (report.members_joined, report.members_left) == (4, 0)
