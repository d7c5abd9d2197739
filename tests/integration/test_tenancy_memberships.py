"""A person's memberships across several cohorts of one tenant, on SQLite and PostgreSQL: a pause asked
again while paused, or after a dated pause ran out by itself, pauses them in every cohort from now, and a
tenant with the same person in it is left as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, Role
from circles.errors import NotAMember
from circles.persistence.db import Database
from circles.persistence.models import Member, Workspace
from circles.services.people.membership import leave, pause, resume
from tests import factories
from tests.factories import NOW

PERSON = "U0NIGHTS"
LATER = NOW + timedelta(weeks=3)


@pytest.fixture
def in_three(db: Database) -> Database:
    """The person in three cohorts of T0001 and, with the same ID, in one of another workspace."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        for slug in ("pgy1", "nights", "faculty"):
            factories.member(
                uow.session, factories.cohort(uow.session, ws, slug, slug.upper()), PERSON, Role.PEER
            )
        other = factories.workspace(uow.session, "T0OTHER")
        factories.member(uow.session, factories.cohort(uow.session, other, "pgy1", "Elsewhere"), PERSON)
        uow.commit()
    return db


def memberships(db: Database, team_id: str = "T0001") -> list[tuple[MemberStatus, object]]:
    with db.reading() as reading:
        rows = reading.session.scalars(
            select(Member)
            .join(Workspace, Workspace.id == Member.workspace_id)
            .where(Workspace.team_id == team_id, Member.slack_user_id == PERSON)
            .order_by(Member.id)
        )
        return [(m.status, m.paused_until and m.paused_until.replace(tzinfo=None)) for m in rows]


def test_a_pause_asked_again_after_a_dated_one_ran_out_pauses_every_cohort_again(in_three: Database) -> None:
    pause(in_three.unit_of_work(), "T0001", PERSON, 2, NOW)

    until = pause(in_three.unit_of_work(), "T0001", PERSON, 1, LATER)

    assert until == LATER + timedelta(weeks=1)
    assert memberships(in_three) == [(MemberStatus.PAUSED, until.replace(tzinfo=None))] * 3
    assert memberships(in_three, "T0OTHER") == [(MemberStatus.ACTIVE, None)]


def test_a_pause_asked_while_paused_takes_its_new_end_in_every_cohort(in_three: Database) -> None:
    pause(in_three.unit_of_work(), "T0001", PERSON, None, NOW)
    until = pause(in_three.unit_of_work(), "T0001", PERSON, 4, NOW + timedelta(days=1))

    assert memberships(in_three) == [(MemberStatus.PAUSED, until and until.replace(tzinfo=None))] * 3
    assert resume(in_three.unit_of_work(), "T0001", PERSON, NOW + timedelta(days=2)) == [
        "faculty",
        "nights",
        "pgy1",
    ]
    assert memberships(in_three) == [(MemberStatus.ACTIVE, None)] * 3


def test_a_pause_from_someone_who_left_every_cohort_changes_nothing(in_three: Database) -> None:
    for slug in ("pgy1", "nights", "faculty"):
        leave(in_three.unit_of_work(), "T0001", slug, PERSON, NOW)

    with pytest.raises(NotAMember):
        pause(in_three.unit_of_work(), "T0001", PERSON, 2, NOW)

    assert memberships(in_three) == [(MemberStatus.LEFT, None)] * 3
    assert memberships(in_three, "T0OTHER") == [(MemberStatus.ACTIVE, None)]
