"""A workspace of an Enterprise Grid organisation installs Circles on its own (not org-wide): Slack's answer
names the organisation, and the install is kept under it. Its scheduled messages are sent with that
workspace's token, and an event sent as that workspace changes nothing of the organisation's tenant."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import select

from bot.app import _recorder
from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import SlackLimits
from circles.messages import PlainNotice
from circles.persistence.models import RevokedTeam, Workspace
from circles.services.outbox.enqueue import Outgoing, enqueue
from tests.e2e.test_enterprise_grid import install_org
from tests.e2e.test_oauth import OAuthApp, oauth_app  # noqa: F401 - the fixture

ORG, NORTH, SOUTH, USER = "E0HEALTH", "T0NORTH", "T0SOUTH", "U0NORTH"


def installed_in_the_organisation(app: OAuthApp) -> int:
    """North's own install, as the OAuth flow saves and records it; the workspace row's id."""
    with app.standin.lock:
        known = NORTH in app.standin.workspace.teams
    if not known:
        app.standin.add_organisation(ORG)
        app.standin.add_team(NORTH, enterprise_id=ORG)
    app.standin.add_user(USER, team_id=NORTH)
    installation = Installation(
        app_id="A0",
        enterprise_id=ORG,
        enterprise_name="Health",
        team_id=NORTH,
        team_name="North",
        bot_token="xoxb-north-token",
        bot_id="B0",
        bot_user_id="U0BOT",
        bot_scopes="chat:write",
        user_id="U0ADMIN",
        is_enterprise_install=False,
    )
    assert app.deps.installation_store is not None
    app.deps.installation_store.save(installation)
    _recorder(app.deps)(installation)
    with app.db.reading() as reading:
        return reading.session.scalars(select(Workspace.id).where(Workspace.team_id == NORTH)).one()


def test_a_workspaces_own_install_inside_an_organisation_sends_its_scheduled_messages(
    oauth_app: OAuthApp,  # noqa: F811 - the fixture imported above
) -> None:
    app = oauth_app
    workspace_id = installed_in_the_organisation(app)
    now = datetime.now(UTC)
    with app.db.unit_of_work() as uow:
        enqueue(uow.session, workspace_id, Outgoing("notice:north", USER, PlainNotice("hello")), now, now)
        uow.commit()
    app.standin.clear()
    dispatch(app.deps, now, options=DispatchOptions(limits=SlackLimits.none(), look_up_dnd=False))

    [post] = app.standin.calls("chat.postMessage")  # before, none: it failed for good, "no_bot_token"
    assert post.token == "xoxb-north-token"


def revoked(app: OAuthApp) -> list[tuple[str, str]]:
    with app.db.reading() as reading:
        rows = reading.session.execute(
            select(Workspace.team_id, RevokedTeam.team_id).join(
                Workspace, Workspace.id == RevokedTeam.workspace_id
            )
        )
        return sorted((tenant, team) for tenant, team in rows)


def test_an_event_of_a_workspaces_own_install_changes_nothing_of_its_organisations_tenant(
    oauth_app: OAuthApp,  # noqa: F811 - the fixture imported above
) -> None:
    app = oauth_app
    install_org(app, ORG, {NORTH: ["U0A"], SOUTH: ["U0B"]})
    installed_in_the_organisation(app)  # North's own install too
    app.standin.valid_tokens = None
    forged = app.signer.event(
        {"type": "team_access_revoked", "team_ids": [SOUTH]},
        team_id=NORTH,
        enterprise_id=ORG,
        is_enterprise_install=False,
    )
    assert app.post(forged)[0] == 200
    # The organisation's own app losing North, after: what it changes shows the forged one was done with.
    real = app.signer.event(
        {"type": "team_access_revoked", "team_ids": [NORTH]},
        team_id=NORTH,
        enterprise_id=ORG,
        is_enterprise_install=True,
    )
    assert app.post(real)[0] == 200
    deadline = time.monotonic() + 10
    while not revoked(app) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert revoked(app) == [(ORG, NORTH)]
