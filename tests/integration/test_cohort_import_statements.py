"""A cohort file of thousands of members is read and replanned in a number of statements that does not grow
with them (only their rows' INSERTs do, batched on PostgreSQL), and the people whose time zone it changes
still have their other cohorts and digests worked out again."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select, update

from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member
from tests import factories
from tests.databases import counted
from tests.factories import NOW
from tests.integration.test_cohort_import import TEAM, cohort_file, roster, run


def test_importing_three_hundred_members_reads_and_updates_as_often_as_importing_ten(db: Database) -> None:
    with db.unit_of_work() as uow:
        factories.workspace(uow.session, TEAM)
        uow.commit()
    sent = []
    for slug, people in (("few", roster(10)), ("many", roster(310)[10:])):  # new people each time
        with counted(db) as seen:
            run(db, replace(cohort_file(people), slug=slug))
        sent.append([statement for statement in seen if not statement.startswith("INSERT")])
    assert len(sent[1]) == len(sent[0])


def test_a_member_whose_time_zone_an_import_sets_has_their_other_cohorts_planned_again(db: Database) -> None:
    with db.unit_of_work() as uow:
        other = factories.cohort(uow.session, factories.workspace(uow.session, TEAM), "night-shift")
        factories.member(uow.session, other, "U0P1")  # person1@hospital.org in the import's Slack
        factories.member(uow.session, other, "U0SOMEONE")
        uow.session.execute(update(Cohort).values(plan_due_at=NOW + timedelta(days=1)))
        uow.session.execute(update(Member).values(digest_due_at=NOW + timedelta(days=1)))
        uow.commit()
    run(db, cohort_file(roster(3)))
    with db.engine.connect() as connection:
        planned = dict(connection.execute(select(Cohort.slug, Cohort.plan_due_at)).all())
        digests = dict(
            connection.execute(
                select(Member.slack_user_id, Member.digest_due_at)
                .join(Cohort)
                .where(Cohort.slug == "night-shift")
            ).all()
        )
    assert planned["night-shift"] is None  # at the next tick, in the member's new time zone
    assert digests["U0P1"] is None
    assert digests["U0SOMEONE"] is not None  # nobody else's
