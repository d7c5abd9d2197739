"""An organisation installed org-wide, whose cohort has people of two of its workspaces, beside a workspace
installed on its own where the same person ID is in a cohort of the same slug: whatever a person types or
presses in one tenant acts on that tenant's rows only, and says nothing of the other's cohorts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.models import Member, Profile, Workspace
from tests import factories
from tests.e2e.test_enterprise_grid import install_org
from tests.e2e.test_oauth import NEW_TEAM, OAuthApp, install, oauth_app  # noqa: F401 - fixture used by name

ORG, T1, T2 = "E0HEALTH", "T0NORTH", "T0SOUTH"
FACILITATOR, PERSON, SOUTH = "U0FACIL", "U0SAME", "U0SOUTH"
ORG_NAME, TEAM_NAME = "Health org residents", "Clinic residents"


@pytest.fixture
def two_tenants(oauth_app: OAuthApp) -> OAuthApp:  # noqa: F811 - the fixture imported above
    install_org(oauth_app, ORG, {T1: [FACILITATOR, PERSON], T2: [SOUTH]})
    oauth_app.standin.oauth_enterprise_id = None  # the next install is T0NEW's own
    install(oauth_app)
    with oauth_app.db.unit_of_work() as uow:
        tenants = {w.team_id: w for w in uow.session.scalars(select(Workspace))}
        for key, name in ((ORG, ORG_NAME), (NEW_TEAM, TEAM_NAME)):
            cohort = factories.cohort(uow.session, tenants[key], "pgy1", name)
            factories.facilitator(uow.session, cohort, FACILITATOR)
            factories.member(uow.session, cohort, PERSON, Role.PEER)
            factories.profile(uow.session, tenants[key], PERSON).interests = f"kept in {key}"
        org_cohort = factories.cohort(uow.session, tenants[ORG], "nights", "Health org nights")
        factories.member(uow.session, org_cohort, PERSON, Role.PEER)
        factories.member(uow.session, org_cohort, SOUTH, Role.PEER)
        uow.commit()
    return oauth_app


def from_workspace(app: OAuthApp, text: str) -> str:
    """`/circles <text>` typed by the person in the workspace installed on its own."""
    app.standin.clear()
    assert app.post(app.signer.slash_command(text, user_id=PERSON, team_id=NEW_TEAM)) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return json.dumps(answer.args, ensure_ascii=False)


def press_in_workspace(app: OAuthApp, action_id: str, value: str) -> str:
    app.standin.clear()
    hook = app.standin.response_url(PERSON)
    request = app.signer.block_action(
        action_id, user_id=PERSON, team_id=NEW_TEAM, value=value, channel_id="C0GENERAL01", response_url=hook
    )
    assert app.post(request) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return json.dumps(answer.args, ensure_ascii=False)


def kept(app: OAuthApp, tenant: str) -> dict[str, Any]:
    with app.db.reading() as reading:
        workspace = reading.session.scalars(select(Workspace).where(Workspace.team_id == tenant)).one()
        members = reading.session.scalars(
            select(Member).where(Member.workspace_id == workspace.id, Member.slack_user_id == PERSON)
        )
        profile = reading.session.scalars(
            select(Profile).where(Profile.workspace_id == workspace.id, Profile.slack_user_id == PERSON)
        ).one_or_none()
        return {
            "statuses": sorted(m.status.value for m in members),
            "profile": profile.interests if profile else None,
        }


def test_typing_in_the_workspace_never_names_or_changes_the_organisations_cohorts(
    two_tenants: OAuthApp,
) -> None:
    app = two_tenants
    org_before = kept(app, ORG)
    assert org_before == {"statuses": ["active", "active"], "profile": f"kept in {ORG}"}

    answers = [from_workspace(app, words) for words in ("status", "pause 2", "resume", "join nights")]
    answers.append(from_workspace(app, "leave"))  # one cohort here, whatever the organisation holds
    answers.append(press_in_workspace(app, ids.LEAVE_ERASE, "nights"))

    assert TEAM_NAME in answers[0]
    assert "Paused until" in answers[1]
    assert "`pgy1`" in answers[2]
    assert "can't find a cohort called `nights`" in answers[3]
    assert "Did you mean" not in answers[3]
    assert "You have left `pgy1`" in answers[4]
    assert "erased" in answers[5]
    for answer in answers:
        assert "Health org" not in answer
    assert kept(app, NEW_TEAM) == {"statuses": ["left"], "profile": None}
    assert kept(app, ORG) == org_before


def test_a_role_button_naming_the_organisations_cohort_joins_nothing_in_the_workspace(
    two_tenants: OAuthApp,
) -> None:
    answer = press_in_workspace(two_tenants, f"{ids.JOIN_AS_ROLE}:peer", "nights:peer")

    assert "Health org" not in answer
    with two_tenants.db.reading() as reading:
        southerners = reading.session.scalars(select(Member).where(Member.slack_user_id == SOUTH)).all()
        assert [m.status for m in southerners] == [MemberStatus.ACTIVE]
    assert kept(two_tenants, NEW_TEAM)["statuses"] == ["active"]
    assert kept(two_tenants, ORG)["statuses"] == ["active", "active"]
