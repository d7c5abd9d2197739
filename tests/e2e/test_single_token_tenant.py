"""With SLACK_BOT_TOKEN the app serves the tenant the token belongs to: a signed request naming another
workspace stores nothing of it, and nobody there administers anything here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from standin import SlackStandIn
from standin.defaults import DEFAULT_TEAM_ID
from tests.e2e.conftest import BOT_TOKEN, RunningApp

OTHER = "T0OTHER"
EVE = "U0EVE"  # an admin, listed in CIRCLES_ADMINS too
ORG, NORTH, OUTSIDE = "E0HEALTH", "T0NORTH", "T0OUTSIDE"


def typed(user: str) -> dict[str, Any]:
    """A message someone typed in the app's DM."""
    return {"type": "message", "channel": "D0EVEDM", "channel_type": "im", "user": user, "text": "hello"}


def rows(app: RunningApp, query: str) -> list[tuple[Any, ...]]:
    with app.db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query))]


def create(app: RunningApp, team: str) -> str:
    """`/circles cohort create evil Evil` by Eve in `team`; the private answer she gets."""
    app.standin.clear()
    request = app.signer.slash_command("cohort create evil Evil", user_id=EVE, team_id=team)
    assert app.post(request) == (200, b"")
    [answer] = app.standin.wait_for("response_url")
    return str(answer.args.get("text"))


def test_a_message_typed_in_another_workspace_is_acknowledged_and_stores_and_sends_nothing(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(sending=True)
    assert app.post(app.signer.event(typed(EVE), team_id=OTHER)) == (200, b"")
    app.settled()
    assert rows(app, "SELECT team_id FROM workspaces") == []
    assert rows(app, "SELECT id FROM outbox") == []
    assert app.standin.calls() == []
    assert app.post(app.signer.event(typed(EVE))) == (200, b"")  # the token's own workspace is answered
    app.settled()
    assert rows(app, "SELECT team_id FROM workspaces") == [(DEFAULT_TEAM_ID,)]
    assert [call.method for call in app.standin.calls()] == ["chat.postMessage"]


def test_an_admin_of_another_workspace_cannot_create_a_cohort_and_with_it_a_tenant(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(circles_admins=frozenset({EVE}))
    app.standin.add_team(OTHER)
    app.standin.add_user(EVE, team_id=OTHER, is_admin=True)
    assert "Only workspace admins" in create(app, OTHER)
    assert app.standin.calls("users.info") == []  # nobody of another workspace is looked up with this token
    assert rows(app, "SELECT team_id FROM workspaces") == []
    assert rows(app, "SELECT slug FROM cohorts") == []
    assert "Only workspace admins" not in create(app, DEFAULT_TEAM_ID)
    assert rows(app, "SELECT team_id FROM workspaces") == [(DEFAULT_TEAM_ID,)]
    assert rows(app, "SELECT slug FROM cohorts") == [("evil",)]


def test_an_org_wide_token_serves_the_workspaces_of_its_organisation_only(
    standin: SlackStandIn, serve_app: Callable[..., RunningApp]
) -> None:
    standin.add_organisation(ORG)
    standin.add_team(NORTH, enterprise_id=ORG)
    standin.add_team(OUTSIDE)
    standin.add_token(BOT_TOKEN, team_id=ORG)  # SLACK_BOT_TOKEN is the organisation's
    app = serve_app(sending=True)
    for team, org in ((OUTSIDE, None), (NORTH, ORG)):
        event = app.signer.event(typed(EVE), team_id=team, enterprise_id=org, is_enterprise_install=bool(org))
        assert app.post(event) == (200, b"")
        app.settled()
    assert rows(app, "SELECT team_id, kind FROM workspaces") == [(ORG, "org")]
