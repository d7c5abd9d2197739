"""A pause set by a cohort file (`status: paused`, then `active` again) is a break like `/circles pause`:
its days never count against the pair's health."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member
from tests.integration.test_cohort_import import cohort_file, run
from tests.integration.test_pause_health_on_a_break import LEARNER, PAUSED, THREE_WEEKS_ON, health, seeded


def status_by_file(db: Database, status: str, at: datetime) -> None:
    """Import the pair's cohort as a file that names the coach and the learner, the learner so."""
    with db.unit_of_work() as uow:
        slug = uow.session.scalars(select(Member.cohort_id)).first()
        assert slug is not None
    members = [
        "{user: U0COACH, role: coach}",
        f"{{user: {LEARNER}, role: learner, status: {status}}}",
    ]
    file = cohort_file(members, facilitators="[U0FAC]")
    run(db, file, now=at)


def test_a_pause_from_the_cohort_file_does_not_count_against_the_pair(db: Database) -> None:
    seeded(db)
    with db.unit_of_work() as uow:  # the file names the seeded cohort
        uow.session.scalars(select(Cohort)).one().slug = "pgy1-spring"
        uow.commit()
    status_by_file(db, "paused", PAUSED)
    with db.reading() as reading:
        statuses = set(reading.session.scalars(select(Member.status).where(Member.slack_user_id == LEARNER)))
        assert statuses == {MemberStatus.PAUSED}
    assert health(db, THREE_WEEKS_ON).signals.days_without_meeting == 7
    status_by_file(db, "active", THREE_WEEKS_ON)
    assert health(db, THREE_WEEKS_ON + timedelta(days=4)).signals.days_without_meeting == 7 + 4
