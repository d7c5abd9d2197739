"""team_access_revoked / team_access_granted as Slack documents them (docs.slack.dev/reference/events/
team_access_granted): the authorization names the organisation with `is_enterprise_install: false`
(bolt-js#1778 reports real deliveries the same), and the older reference puts `"team_id": null` on the
envelope. The org-wide tenant still holds, then releases, the messages to that workspace's people; an
organisation without an org-wide install changes nothing."""

from __future__ import annotations

import json

import pytest

from standin.signed import JSON
from tests.e2e.test_enterprise_grid import (  # noqa: F401 - the fixture is used by name
    NORTH,
    ORG,
    OTHER_ORG,
    SOUTH,
    T1,
    T2,
    known_in,
    notify,
    org_app,
    outbox,
    send_outbox,
    team_access,
)
from tests.e2e.test_grid_workspace_install import installed_in_the_organisation
from tests.e2e.test_oauth import OAuthApp, oauth_app, poll  # noqa: F401 - the fixture is used by name

SHAPES = pytest.mark.parametrize("outer_team", [T1, None], ids=["docs-slack-dev", "api-slack-com-team-null"])


def documented(app: OAuthApp, change: str, teams: list[str], outer_team: str | None, org: str = ORG) -> int:
    """Post the event as Slack's reference shows it; returns the HTTP status."""
    request = app.signer.event(
        {"type": f"team_access_{change}", "team_ids": teams},
        team_id=T1,
        enterprise_id=org,
        is_enterprise_install=True,
    )
    envelope = json.loads(request.body)
    envelope["team_id"] = outer_team
    envelope["authorizations"] = [
        {"enterprise_id": org, "team_id": outer_team, "is_bot": False, "is_enterprise_install": False}
    ]
    status, _ = app.post(app.signer.sign(json.dumps(envelope).encode(), JSON))
    return status


def all_work_done(app: OAuthApp) -> None:
    """Wait for every listener started so far (the app takes no more work after this)."""
    assert app.deps.acked_work.finish(within=10)


@SHAPES
def test_a_revocation_in_slacks_documented_shape_holds_that_workspaces_messages(
    org_app: OAuthApp,  # noqa: F811 - the fixture imported above
    outer_team: str | None,
) -> None:
    known_in(org_app, {NORTH: T1, SOUTH: T2})
    assert documented(org_app, "revoked", [T2], outer_team) == 200
    poll(lambda: len(org_app.rows("revoked_teams")) == 1)
    notify(org_app, "notice:south", SOUTH)
    org_app.standin.clear()

    send_outbox(org_app)

    assert [row.team_id for row in org_app.rows("revoked_teams")] == [T2]
    assert outbox(org_app)["notice:south"] == ("pending", 0)
    assert org_app.standin.calls("chat.postMessage") == []


@SHAPES
def test_a_grant_in_slacks_documented_shape_releases_that_workspaces_messages(
    org_app: OAuthApp,  # noqa: F811 - the fixture imported above
    outer_team: str | None,
) -> None:
    known_in(org_app, {NORTH: T1, SOUTH: T2})
    team_access(org_app, "revoked", [T2])  # the shape the app always understood
    poll(lambda: len(org_app.rows("revoked_teams")) == 1)
    notify(org_app, "notice:south", SOUTH)

    assert documented(org_app, "granted", [T2], outer_team) == 200
    poll(lambda: not org_app.rows("revoked_teams"))
    send_outbox(org_app)

    assert outbox(org_app)["notice:south"][0] == "sent"


@pytest.mark.parametrize("change", ["revoked", "granted"])
def test_a_change_of_access_for_an_organisation_never_installed_org_wide_changes_nothing(
    org_app: OAuthApp,  # noqa: F811 - the fixture imported above
    change: str,
) -> None:
    team_access(org_app, "revoked", [T2])
    poll(lambda: len(org_app.rows("revoked_teams")) == 1)
    before = (org_app.rows("workspaces"), org_app.rows("revoked_teams"))

    documented(org_app, change, [T1, T2], T1, org=OTHER_ORG)
    all_work_done(org_app)

    assert (org_app.rows("workspaces"), org_app.rows("revoked_teams")) == before


@pytest.mark.parametrize("change", ["revoked", "granted"])
def test_a_change_of_access_after_the_org_wide_install_was_removed_changes_nothing(
    org_app: OAuthApp,  # noqa: F811 - the fixture imported above
    change: str,
) -> None:
    team_access(org_app, "revoked", [T2])
    poll(lambda: len(org_app.rows("revoked_teams")) == 1)
    uninstall = org_app.signer.event(
        {"type": "app_uninstalled"}, team_id=T1, enterprise_id=ORG, is_enterprise_install=True
    )
    assert org_app.post(uninstall)[0] == 200
    poll(lambda: not org_app.rows("slack_installations"))
    before = org_app.rows("revoked_teams")

    documented(org_app, change, [T1, T2], None)
    all_work_done(org_app)

    assert org_app.rows("revoked_teams") == before


def test_a_grant_naming_a_workspace_with_its_own_install_changes_nothing_of_the_organisation(
    org_app: OAuthApp,  # noqa: F811 - the fixture imported above
) -> None:
    installed_in_the_organisation(org_app)  # T1's own install, beside the org-wide one
    team_access(org_app, "revoked", [T2])
    poll(lambda: len(org_app.rows("revoked_teams")) == 1)
    before = org_app.rows("revoked_teams")

    documented(org_app, "granted", [T2], T1)
    all_work_done(org_app)

    assert org_app.rows("revoked_teams") == before


def test_an_envelope_without_a_team_is_still_refused_for_other_events(
    org_app: OAuthApp,  # noqa: F811 - the fixture imported above
) -> None:
    request = org_app.signer.event(
        {"type": "app_home_opened", "user": NORTH, "tab": "home"},
        team_id=T1,
        enterprise_id=ORG,
        is_enterprise_install=True,
    )
    envelope = json.loads(request.body)
    envelope["team_id"] = None

    status, _ = org_app.post(org_app.signer.sign(json.dumps(envelope).encode(), JSON))

    assert status == 400
