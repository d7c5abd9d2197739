"""A cohort file lists someone who left by themselves, on SQLite and PostgreSQL: leaving is theirs, so the
file keeps them out, writes nothing of theirs (an erased profile stays erased) and welcomes nobody, unless it
says `status: active`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.cli_import import describe
from circles.domain.vocabulary import MemberStatus
from circles.persistence.db import Database
from circles.persistence.models import Member, Profile
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from tests.factories import NOW
from tests.integration.test_cohort_import import LATER, TEAM, cohort_file, run
from tests.integration.test_cohort_welcome import welcomed

WEEKLY = [
    "{email: person1@hospital.org, role: learner, department: Surgery, interests: [burnout]}",
    "{email: person2@hospital.org, role: learner}",
]


def status_of(db: Database, user_id: str) -> MemberStatus:
    with db.reading() as reading:
        return reading.session.scalars(select(Member.status).where(Member.slack_user_id == user_id)).one()


def profiles(db: Database) -> list[str]:
    with db.reading() as reading:
        return sorted(reading.session.scalars(select(Profile.slack_user_id)))


def test_the_same_file_after_someone_left_and_was_erased_writes_nothing_of_theirs(db: Database) -> None:
    run(db, cohort_file(WEEKLY))
    leave(db.unit_of_work(), TEAM, "pgy1-spring", "U0P1", NOW + timedelta(days=1))
    assert erase_personal_data(db.unit_of_work(), TEAM, "U0P1", NOW + timedelta(days=1))

    for week in (1, 2):
        report = run(db, cohort_file(WEEKLY), now=NOW + timedelta(days=7 * week))

        assert (report.changes, report.applied, report.welcomed) == ([], False, 0)
        assert describe(report, {}, dry_run=False)[-1].startswith("no changes")
        assert profiles(db) == ["U0P2"]  # no email, name, time zone, department or interests of Sam's
        assert status_of(db, "U0P1") is MemberStatus.LEFT


def test_a_file_that_says_paused_leaves_someone_who_left_out_and_unwelcomed(db: Database) -> None:
    run(db, cohort_file(["{user: U0ANN, role: learner}"]))
    leave(db.unit_of_work(), TEAM, "pgy1-spring", "U0ANN", NOW)

    report = run(db, cohort_file(["{user: U0ANN, role: learner, status: paused}"]), now=LATER)

    assert (report.changes, report.applied, report.welcomed) == ([], False, 0)
    assert status_of(db, "U0ANN") is MemberStatus.LEFT
    assert welcomed(db) == ["U0ANN"]  # the first import's welcome only
    with db.reading() as reading:
        member = reading.session.scalars(select(Member)).one()
        assert (member.left_at, member.earlier_stints) == (NOW, None)
