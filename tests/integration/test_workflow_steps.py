"""Workflow Builder steps' use cases on SQLite and PostgreSQL: the rules a workflow meets like anyone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus, PairingMode, Role
from circles.errors import CohortNotFound, NoActivePartnership, NoFacilitators, RoleNotOffered
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member, OutboxMessage, Workspace
from circles.services.people.membership import join, leave
from circles.services.workflows.steps import ask_for_checkin, cohort_facilitators, message_facilitators
from tests import factories
from tests.factories import NOW


@pytest.fixture
def world(db: Database) -> Database:
    """Ada coaches Lee in pgy1-spring, run by Fay and Gus; another workspace has a cohort of the same name."""
    with db.unit_of_work() as uow:
        factories.coached_checkin(uow.session)
        [cohort] = uow.session.scalars(select(Cohort))
        cohort.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, cohort, "U0GUS")
        elsewhere = factories.cohort(uow.session, factories.workspace(uow.session, "T0002"))
        factories.facilitator(uow.session, elsewhere, "U0EVE")
        uow.commit()
    return db


def outbox(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def archive(db: Database) -> None:
    with db.unit_of_work() as uow:
        home = uow.session.scalars(select(Workspace).where(Workspace.team_id == "T0001")).one()
        mine = select(Cohort).where(Cohort.workspace_id == home.id, Cohort.slug == "pgy1-spring")
        uow.session.scalars(mine).one().archived_at = NOW
        uow.commit()


def status_of(db: Database, user_id: str) -> tuple[Role, MemberStatus]:
    with db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member).where(Member.slack_user_id == user_id)).one()
        return member.role, member.status


def test_adding_someone_who_left_brings_them_back_once(world: Database) -> None:
    leave(world.unit_of_work(), "T0001", "pgy1-spring", "U0LEE", NOW)
    joined = join(
        world.unit_of_work(), "T0001", "pgy1-spring", "U0LEE", Role.LEARNER, NOW + timedelta(days=1)
    )
    again = join(world.unit_of_work(), "T0001", "pgy1-spring", "U0LEE", Role.COACH, NOW + timedelta(days=1))
    assert (joined.already, again.already, again.role) == (False, True, Role.LEARNER)
    assert status_of(world, "U0LEE") == (Role.LEARNER, MemberStatus.ACTIVE)


def test_an_archived_cohort_takes_nobody(world: Database) -> None:
    archive(world)
    with pytest.raises(CohortNotFound):
        join(world.unit_of_work(), "T0001", "pgy1-spring", "U0SAM", Role.LEARNER, NOW)


def test_a_role_the_cohort_does_not_offer_is_refused(world: Database) -> None:
    with pytest.raises(RoleNotOffered) as refused:
        join(world.unit_of_work(), "T0001", "pgy1-spring", "U0SAM", Role.MENTOR, NOW)
    assert refused.value.offered == ["learner", "coach"]


def test_asking_for_a_checkin_records_one_per_partnership_once_per_run(world: Database) -> None:
    assert ask_for_checkin(world.unit_of_work(), "T0001", "U0LEE", NOW, key="Fx1") == 1
    assert ask_for_checkin(world.unit_of_work(), "T0001", "U0LEE", NOW, key="Fx1") == 1
    [row] = outbox(world)
    assert (row.channel, row.payload["template"]) == ("U0LEE", "checkin")
    assert row.payload["args"]["partner_user_id"] == "U0ADA"


def test_asking_someone_without_a_partnership_records_nothing(world: Database) -> None:
    with pytest.raises(NoActivePartnership):
        ask_for_checkin(world.unit_of_work(), "T0001", "U0FAY", NOW, key="Fx2")
    with pytest.raises(NoActivePartnership):
        ask_for_checkin(world.unit_of_work(), "T0002", "U0LEE", NOW, key="Fx3")  # another workspace
    assert outbox(world) == []


def test_the_facilitators_of_that_workspaces_cohort_are_told_privately(world: Database) -> None:
    told = message_facilitators(world.unit_of_work(), "T0001", "pgy1-spring", "Room moved", NOW, key="Fx4")
    assert told == 2
    rows = outbox(world)
    assert sorted(row.channel or "" for row in rows) == ["U0FAY", "U0GUS"]
    assert {row.payload["template"] for row in rows} == {"workflow_note"}
    assert {row.payload["args"]["text"] for row in rows} == {"Room moved"}


def test_an_archived_or_unrun_cohort_is_not_told(world: Database) -> None:
    with world.unit_of_work() as uow:
        home = uow.session.scalars(select(Workspace).where(Workspace.team_id == "T0001")).one()
        factories.cohort(uow.session, home, "empty", "Empty")
        uow.commit()
    with pytest.raises(NoFacilitators):
        message_facilitators(world.unit_of_work(), "T0001", "empty", "hello", NOW, key="Fx5")
    archive(world)
    with pytest.raises(CohortNotFound) as refused:
        message_facilitators(world.unit_of_work(), "T0001", "pgy1-spring", "hello", NOW, key="Fx6")
    assert refused.value.suggestions == []
    assert outbox(world) == []


def test_facilitators_slack_shows_gone_are_neither_told_nor_counted(world: Database) -> None:
    assert cohort_facilitators(world.unit_of_work(), "T0001", "pgy1-spring") == ["U0FAY", "U0GUS"]
    gone = frozenset({"U0GUS"})
    told = message_facilitators(world.unit_of_work(), "T0001", "pgy1-spring", "Hi", NOW, key="Fx7", gone=gone)
    assert told == 1
    assert [row.channel for row in outbox(world)] == ["U0FAY"]


def test_a_cohort_whose_facilitators_are_all_gone_has_nobody_to_tell(world: Database) -> None:
    gone = frozenset({"U0FAY", "U0GUS"})
    with pytest.raises(NoFacilitators):
        message_facilitators(world.unit_of_work(), "T0001", "pgy1-spring", "Hi", NOW, key="Fx8", gone=gone)
    assert outbox(world) == []
