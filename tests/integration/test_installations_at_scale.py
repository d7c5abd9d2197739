"""OAuth mode with hundreds of installed workspaces: finding the bot token of a request's workspace, or of
each workspace a dispatch pass sends to, costs the same few indexed reads as with a handful, and none of
them waits for the database's write lock while no token is due for refresh."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from slack_bolt import BoltRequest
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.app import create_app
from bot.deps import Deps, build_deps
from bot.gateway import Clients
from circles.persistence.db import Database
from circles.settings import Settings
from standin import SlackStandIn
from standin.slack_requests import Signer
from tests.databases import counted

CLIENT_ID, SIGNING_SECRET = "111.222", "tenants-signing-secret"
INSTALLED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def oauth_deps(db: Database, standin: SlackStandIn) -> Deps:
    settings = Settings(
        _env_file=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret="tenants-client-secret",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=standin.api_url,
        database_url=str(db.engine.url.render_as_string(hide_password=False)),
    )
    return build_deps(settings, db)


def team(n: int) -> str:
    return f"T{n:06d}"


def install(db: Database, count: int) -> None:
    """`count` workspaces installed, each by its own admin, in one statement."""
    table = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=db.engine).installations
    rows = [
        {
            "client_id": CLIENT_ID,
            "app_id": "A0APP",
            "team_id": team(n),
            "team_name": f"Workspace {n}",
            "bot_token": f"xoxb-{n}",
            "bot_id": "B0BOT",
            "bot_user_id": "U0BOT",
            "bot_scopes": "commands,chat:write",
            "user_id": f"U0ADMIN{n}",
            "is_enterprise_install": False,
            "token_type": "bot",
            "installed_at": INSTALLED_AT,
        }
        for n in range(count)
    ]
    with db.engine.begin() as connection:
        connection.execute(table.insert(), rows)


def installation_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if "slack_installations" in s or "slack_bots" in s]


@pytest.mark.parametrize("workspaces", [5, 500])
def test_a_request_finds_its_workspaces_token_with_one_read_that_takes_no_write_lock(
    db: Database, standin: SlackStandIn, workspaces: int
) -> None:
    install(db, workspaces)
    app = create_app(oauth_deps(db, standin))
    # A person who did not install the app, as almost everyone who writes to it.
    event = Signer(SIGNING_SECRET).event({"type": "star_added", "user": "U0LEE"}, team_id=team(3))

    with counted(db) as statements:
        answer = app.dispatch(
            BoltRequest(body=event.body.decode(), headers={k.lower(): v for k, v in event.headers.items()})
        )

    assert answer.status == 200
    [read] = installation_reads(statements)
    assert "LIMIT" in read.upper()
    assert "BEGIN IMMEDIATE" not in statements  # SQLite: a request never queues behind a writer for its token


def test_a_dispatch_pass_over_500_workspaces_reads_each_installation_once_without_the_write_lock(
    db: Database, standin: SlackStandIn
) -> None:
    install(db, 500)
    deps = oauth_deps(db, standin)
    clients = Clients(deps.settings, deps.installation_store)

    with counted(db) as first_pass:
        tokens = {clients.for_team(team(n)).token for n in range(500) for _ in range(2)}
    with counted(db) as second_pass:
        again = {clients.for_team(team(n)).token for n in range(500)}

    assert tokens == again == {f"xoxb-{n}" for n in range(500)}
    assert len(installation_reads(first_pass)) == 500
    assert "BEGIN IMMEDIATE" not in first_pass
    assert second_pass == []  # the clients are kept until their tokens are due


def test_the_app_starts_with_500_installations_without_reading_any(
    db: Database, standin: SlackStandIn
) -> None:
    install(db, 500)
    deps = oauth_deps(db, standin)

    with counted(db) as statements:
        create_app(deps)

    assert statements == []


def test_requests_from_one_workspace_ask_slack_who_the_bot_is_once_not_each_time(
    db: Database, standin: SlackStandIn
) -> None:
    install(db, 5)
    app = create_app(oauth_deps(db, standin))
    for n in range(3):
        event = Signer(SIGNING_SECRET).event({"type": "star_added", "user": f"U0LEE{n}"}, team_id=team(3))
        request = BoltRequest(
            body=event.body.decode(), headers={k.lower(): v for k, v in event.headers.items()}
        )
        assert app.dispatch(request).status == 200
    assert len(standin.calls("auth.test")) == 1  # a Slack call before the ack, kept for the next requests
