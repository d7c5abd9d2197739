"""Enterprise Grid: one org-wide install serves every workspace of an organisation, and nobody outside it;
rotating tokens are refreshed before they are used."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import SlackLimits
from circles.messages import PlainNotice
from circles.persistence.models import Cohort, Member, OutboxMessage, Workspace
from circles.services.outbox.enqueue import Outgoing, enqueue
from standin import Call
from tests import factories
from tests.e2e.test_oauth import OAuthApp, install, oauth_app, poll  # noqa: F401 - the fixture is used by name

ORG, OTHER_ORG = "E0HEALTH", "E0ELSEWHERE"
T1, T2, T3 = "T0NORTH", "T0SOUTH", "T0AWAY"
FACILITATOR, NORTH, SOUTH, STRANGER = "U0FACIL", "U0NORTH", "U0SOUTH", "U0STRANGE"


def install_org(app: OAuthApp, org: str, teams: dict[str, list[str]]) -> str:
    """An org-wide install of org, whose workspaces hold these people; returns the org's bot token."""
    app.standin.add_organisation(org)
    for team, people in teams.items():
        app.standin.add_team(team, enterprise_id=org)
        for user in people:
            app.standin.add_user(user, team_id=team)
    app.standin.oauth_enterprise_id = org
    return install(app)


def seed_cohort(app: OAuthApp) -> None:
    """pgy1 in the organisation, run by a facilitator of workspace T1."""
    with app.db.unit_of_work() as uow:
        tenant = uow.session.scalars(select(Workspace).where(Workspace.team_id == ORG)).one()
        cohort = factories.cohort(uow.session, tenant, "pgy1", "PGY-1 residents")
        factories.facilitator(uow.session, cohort, FACILITATOR)
        uow.commit()


def say(app: OAuthApp, text: str, user: str, team: str, org: str) -> Call:
    app.standin.clear()
    request = app.signer.slash_command(
        text, user_id=user, team_id=team, enterprise_id=org, is_enterprise_install=True
    )
    assert app.post(request) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return answer


def members(app: OAuthApp) -> dict[str, int]:
    with app.db.reading() as reading:
        return {m.slack_user_id: m.cohort_id for m in reading.session.scalars(select(Member))}


def notify_facilitator(app: OAuthApp, key: str) -> None:
    """A notice for the cohort's facilitator waits in the organisation's outbox."""
    with app.db.unit_of_work() as uow:
        tenant = uow.session.scalars(select(Workspace).where(Workspace.team_id == ORG)).one()
        notice = Outgoing(key, FACILITATOR, PlainNotice("Someone in PGY-1 residents asked for support."))
        enqueue(uow.session, tenant.id, notice, datetime.now(UTC), datetime.now(UTC))
        uow.commit()


def send_outbox(app: OAuthApp) -> None:
    options = DispatchOptions(limits=SlackLimits.none(), look_up_dnd=False)
    dispatch(app.deps, datetime.now(UTC), options=options)


@pytest.fixture
def org_app(oauth_app: OAuthApp) -> OAuthApp:  # noqa: F811 - the fixture imported above
    install_org(oauth_app, ORG, {T1: [FACILITATOR, NORTH], T2: [SOUTH]})
    seed_cohort(oauth_app)
    return oauth_app


def test_an_org_wide_install_records_the_organisation_as_one_tenant(oauth_app: OAuthApp) -> None:  # noqa: F811
    token = install_org(oauth_app, ORG, {T1: [NORTH]})
    exchange = oauth_app.standin.last("oauth.v2.access").response
    assert (exchange["is_enterprise_install"], exchange["team"]) == (True, None)
    [installation] = oauth_app.rows("slack_installations")
    assert (installation.enterprise_id, installation.team_id, installation.is_enterprise_install) == (
        ORG,
        None,
        True,
    )
    assert installation.bot_token == token
    [tenant] = oauth_app.rows("workspaces")
    assert (tenant.team_id, tenant.enterprise_id, tenant.kind) == (ORG, ORG, "org")


def test_people_of_two_workspaces_of_the_organisation_join_the_same_cohort(org_app: OAuthApp) -> None:
    assert "You have joined *PGY-1 residents*" in json.dumps(say(org_app, "join pgy1", NORTH, T1, ORG).args)
    assert "You have joined *PGY-1 residents*" in json.dumps(say(org_app, "join pgy1", SOUTH, T2, ORG).args)
    joined = members(org_app)
    assert set(joined) == {NORTH, SOUTH}
    assert len(set(joined.values())) == 1


def test_what_the_organisation_is_sent_goes_with_the_org_wide_token(org_app: OAuthApp) -> None:
    [installation] = org_app.rows("slack_installations")
    notify_facilitator(org_app, "notice:grid")
    org_app.standin.clear()
    send_outbox(org_app)
    [sent] = org_app.standin.calls("chat.postMessage")
    assert sent.token == installation.bot_token
    assert sent.args["channel"] == FACILITATOR
    assert sent.response["ok"] is True


def test_a_facilitator_in_one_workspace_sees_the_board_of_the_organisations_cohort(org_app: OAuthApp) -> None:
    say(org_app, "join pgy1", SOUTH, T2, ORG)
    board = json.dumps(say(org_app, "health pgy1", FACILITATOR, T1, ORG).args)
    assert "Partnership health: PGY-1 residents" in board
    refused = json.dumps(say(org_app, "health pgy1", SOUTH, T2, ORG).args)
    assert "Partnership health" not in refused  # a member of the cohort is not its facilitator


def test_a_person_of_another_organisation_cannot_find_or_join_the_cohort(org_app: OAuthApp) -> None:
    install_org(org_app, OTHER_ORG, {T3: [STRANGER]})
    answer = json.dumps(say(org_app, "join pgy1", STRANGER, T3, OTHER_ORG).args)
    assert "find a cohort called `pgy1`" in answer
    assert "Did you mean" not in answer  # nothing of the other organisation is suggested
    assert members(org_app) == {}
    board = json.dumps(say(org_app, "health pgy1", STRANGER, T3, OTHER_ORG).args)
    assert "Partnership health" not in board
    with org_app.db.reading() as reading:
        tenants = {w.team_id: w.kind for w in reading.session.scalars(select(Workspace))}
    assert tenants == {ORG: "org", OTHER_ORG: "org"}


def test_a_rotating_token_near_expiry_is_refreshed_before_a_send(org_app: OAuthApp) -> None:
    org_app.standin.token_expires_in = 600  # ten minutes: inside the two hours before expiry
    install_org(org_app, ORG, {})  # installed again, now with a rotating token
    notify_facilitator(org_app, "notice:rotation")
    org_app.standin.clear()
    send_outbox(org_app)
    calls = [c for c in org_app.standin.calls() if c.method in ("oauth.v2.access", "chat.postMessage")]
    assert [c.method for c in calls][:2] == ["oauth.v2.access", "chat.postMessage"]
    refresh, post = calls[0], calls[1]
    assert refresh.args["grant_type"] == "refresh_token"
    assert post.token == refresh.response["access_token"]
    stored = org_app.rows("slack_bots")
    assert post.token in {bot.bot_token for bot in stored}  # saved back for the next process to use


def test_a_request_with_a_rotating_token_near_expiry_is_served_with_a_refreshed_one(
    org_app: OAuthApp,
) -> None:
    org_app.standin.token_expires_in = 600
    install_org(org_app, ORG, {})
    say(org_app, "health pgy1", FACILITATOR, T1, ORG)
    calls = [c for c in org_app.standin.calls() if c.method in ("oauth.v2.access", "users.info")]
    assert [c.method for c in calls] == ["oauth.v2.access", "users.info"]
    assert calls[0].args["grant_type"] == "refresh_token"
    assert calls[1].token == calls[0].response["access_token"]


def test_uninstalling_org_wide_forgets_the_organisations_token_and_marks_it_uninstalled(
    org_app: OAuthApp,
) -> None:
    event = org_app.signer.event(
        {"type": "app_uninstalled"}, team_id=T1, enterprise_id=ORG, is_enterprise_install=True
    )
    assert org_app.post(event)[0] == 200
    poll(lambda: not org_app.rows("slack_installations") and not org_app.rows("slack_bots"))
    [tenant] = org_app.rows("workspaces")
    assert tenant.team_id == ORG
    assert tenant.uninstalled_at is not None


def notify(app: OAuthApp, key: str, person: str) -> None:
    """A notice for someone of the organisation waits in its outbox."""
    with app.db.unit_of_work() as uow:
        tenant = uow.session.scalars(select(Workspace).where(Workspace.team_id == ORG)).one()
        notice = Outgoing(key, person, PlainNotice("Your circle has a new prompt."))
        enqueue(uow.session, tenant.id, notice, datetime.now(UTC), datetime.now(UTC))
        uow.commit()


def known_in(app: OAuthApp, people: dict[str, str]) -> None:
    """Members of pgy1 whose own workspaces the app knows (as a cohort import or user_change tells it)."""
    with app.db.unit_of_work() as uow:
        tenant = uow.session.scalars(select(Workspace).where(Workspace.team_id == ORG)).one()
        [cohort] = uow.session.scalars(select(Cohort))
        for person, team in people.items():
            factories.member(uow.session, cohort, person)
            factories.profile(uow.session, tenant, person).slack_team_id = team
        uow.commit()


def team_access(app: OAuthApp, change: str, teams: list[str]) -> None:
    event = {"type": f"team_access_{change}", "team_ids": teams}
    request = app.signer.event(event, team_id=T1, enterprise_id=ORG, is_enterprise_install=True)
    assert app.post(request)[0] == 200


def outbox(app: OAuthApp) -> dict[str, tuple[str, int]]:
    with app.db.reading() as reading:
        rows = reading.session.scalars(select(OutboxMessage))
        return {row.idempotency_key: (row.status.value, row.attempts) for row in rows}


def test_a_workspace_the_org_wide_install_loses_has_its_messages_held_until_access_comes_back(
    org_app: OAuthApp,
) -> None:
    known_in(org_app, {NORTH: T1, SOUTH: T2})  # the cohort spans both workspaces
    team_access(org_app, "revoked", [T2])
    poll(lambda: len(org_app.rows("revoked_teams")) == 1)
    notify(org_app, "notice:north", NORTH)
    notify(org_app, "notice:south", SOUTH)
    org_app.standin.clear()

    send_outbox(org_app)
    send_outbox(org_app)  # and again: still nothing for the south

    assert [c.args["channel"] for c in org_app.standin.calls("chat.postMessage")] == [NORTH]
    assert outbox(org_app) == {"notice:north": ("sent", 1), "notice:south": ("pending", 0)}

    team_access(org_app, "granted", [T2])
    poll(lambda: not org_app.rows("revoked_teams"))
    send_outbox(org_app)
    assert [c.args["channel"] for c in org_app.standin.calls("chat.postMessage")] == [NORTH, SOUTH]
    assert outbox(org_app)["notice:south"][0] == "sent"
