"""Who a person is: their cohorts and the ones they run, never another workspace's."""

from __future__ import annotations

from datetime import timedelta

from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.db import Database
from circles.services.intake.workspaces import ensure_workspace, find_workspace, mark_uninstalled
from circles.services.people.caller import describe_caller
from circles.services.people.profiles import SlackPerson, refresh_from_slack
from tests import factories
from tests.factories import NOW


def test_a_person_sees_their_cohorts_and_the_ones_they_facilitate(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        spring = factories.cohort(uow.session, ws, "spring", "Spring residents")
        fall = factories.cohort(uow.session, ws, "fall", "Fall faculty")
        factories.member(uow.session, spring, "U0ALICE", Role.COACH, MemberStatus.PAUSED)
        factories.facilitator(uow.session, fall, "U0ALICE")
        uow.commit()
    caller = describe_caller(
        db.unit_of_work(), team_id="T0001", user_id="U0ALICE", is_workspace_admin=False, circles_admins=()
    )
    assert [(m.cohort_slug, m.role, m.status) for m in caller.memberships] == [
        ("spring", Role.COACH, MemberStatus.PAUSED)
    ]
    assert [c.slug for c in caller.facilitates] == ["fall"]
    assert caller.runs_cohorts
    assert not caller.can_create_cohorts


def test_another_workspace_with_the_same_user_id_shows_nothing(db: Database) -> None:
    with db.unit_of_work() as uow:
        other = factories.workspace(uow.session, "T0OTHER")
        co = factories.cohort(uow.session, other)
        factories.member(uow.session, co, "U0ALICE")
        factories.facilitator(uow.session, co, "U0ALICE")
        factories.workspace(uow.session, "T0001")
        uow.commit()
    caller = describe_caller(
        db.unit_of_work(), team_id="T0001", user_id="U0ALICE", is_workspace_admin=False, circles_admins=()
    )
    assert caller.memberships == []
    assert caller.facilitates == []
    assert not caller.runs_cohorts


def test_circles_admins_and_workspace_admins_may_create_cohorts(db: Database) -> None:
    listed = describe_caller(
        db.unit_of_work(),
        team_id="T0001",
        user_id="U0LEAD",
        is_workspace_admin=False,
        circles_admins={"U0LEAD"},
    )
    owner = describe_caller(
        db.unit_of_work(), team_id="T0001", user_id="U0OWNER", is_workspace_admin=True, circles_admins=()
    )
    assert listed.can_create_cohorts
    assert owner.can_create_cohorts


def test_circles_admins_named_for_one_workspace_are_admins_of_it_alone(db: Database) -> None:
    named = {"T0001:U0LEAD", "E0ORG:U0GRID"}

    def admin(team_id: str, user_id: str) -> bool:
        return describe_caller(
            db.unit_of_work(), team_id, user_id, is_workspace_admin=False, circles_admins=named
        ).can_create_cohorts

    assert admin("T0001", "U0LEAD")
    assert not admin("T0002", "U0LEAD")  # the same user ID in another workspace (of one organisation)
    assert admin("E0ORG", "U0GRID")  # an org-wide install: the organisation is the tenant
    assert not admin("T0001", "U0GRID")


def test_a_workspace_is_recorded_once_and_revived_after_reinstalling(db: Database) -> None:
    with db.unit_of_work() as uow:
        first = ensure_workspace(uow.session, "T0042", NOW)
        again = ensure_workspace(uow.session, "T0042", NOW + timedelta(days=1))
        assert first.id == again.id
        uow.commit()
    mark_uninstalled(db.unit_of_work(), "T0042", NOW)
    with db.unit_of_work() as uow:
        gone = find_workspace(uow.session, "T0042")
        assert gone is not None
        assert gone.uninstalled_at == NOW
        assert ensure_workspace(uow.session, "T0042", NOW).uninstalled_at is None


def test_slack_profile_changes_refresh_a_stored_profile_only(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        factories.profile(uow.session, ws, "U0ALICE", timezone="Europe/London")
        uow.commit()
    updated = refresh_from_slack(
        db.unit_of_work(), "T0001", "U0ALICE", slack=SlackPerson("America/Chicago", "Alice"), now=NOW
    )
    stranger = refresh_from_slack(
        db.unit_of_work(), "T0001", "U0NOBODY", slack=SlackPerson("Asia/Tokyo", "Nobody"), now=NOW
    )
    assert updated is True
    assert stranger is False
    with db.unit_of_work() as uow:
        from sqlalchemy import select

        from circles.persistence.models import Profile

        profiles = uow.session.scalars(select(Profile)).all()
    assert [(p.slack_user_id, p.timezone, p.display_name) for p in profiles] == [
        ("U0ALICE", "America/Chicago", "Alice")
    ]
