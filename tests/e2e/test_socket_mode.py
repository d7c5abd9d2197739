"""`circles run` in Socket Mode: a real process that takes Slack's requests over a websocket."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from standin import Signer, SlackStandIn, post
from standin.socket_mode import SocketModeStandIn
from tests.databases import migrated_sqlite_url
from tests.e2e.conftest import BOT_TOKEN
from tests.e2e.harness import circles_run, http_get

APP_TOKEN = "xapp-1-A0CIRCLES1-1000-e2e-app-token"


@dataclass
class SocketModeApp:
    """`circles run` connected to the Socket Mode stand-in, and what a test needs to talk to it."""

    base_url: str
    standin: SlackStandIn
    socket: SocketModeStandIn
    slack: Signer  # builds Slack's payloads; over the socket nothing is signed

    def get(self, path: str) -> tuple[int, bytes]:
        return http_get(f"{self.base_url}{path}")


@pytest.fixture
def socket_mode() -> Iterator[SocketModeStandIn]:
    with SocketModeStandIn() as running:
        yield running


@pytest.fixture
def app(standin: SlackStandIn, socket_mode: SocketModeStandIn, tmp_path: Path) -> Iterator[SocketModeApp]:
    """`circles run` with a bot token and an app token only: Socket Mode, SQLite at the latest schema."""
    standin.socket_mode_url = socket_mode.url
    migrated_sqlite_url(tmp_path)  # made once for the run: every start here would migrate a new file
    with circles_run(
        tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, SLACK_API_URL=standin.api_url
    ) as base_url:
        socket_mode.wait_connected()
        yield SocketModeApp(base_url, standin, socket_mode, Signer("unused-in-socket-mode", standin=standin))


def test_a_slash_command_over_the_socket_is_acknowledged_and_answered_on_the_response_url(
    app: SocketModeApp,
) -> None:
    envelope_id = app.socket.deliver(app.slack.slash_command("help", user_id="U0MEMBER"))
    ack = app.socket.wait_for_ack(envelope_id)
    assert ack.payload is None  # an empty ack; the answer follows on the response_url
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert answer.args["response_type"] == "ephemeral"
    shown = json.dumps(answer.args, ensure_ascii=False)
    assert "/circles join &lt;cohort&gt;" in shown
    assert "For facilitators" not in shown
    assert app.standin.last("users.info").token == BOT_TOKEN  # the Web API gets the bot token


def test_opening_the_home_tab_over_the_socket_publishes_the_home_view(app: SocketModeApp) -> None:
    envelope_id = app.socket.deliver(app.slack.app_home_opened("U0MEMBER"))
    assert app.socket.wait_for_ack(envelope_id).payload is None
    [published] = app.standin.wait_for("views.publish", timeout=10)
    assert published.args["user_id"] == "U0MEMBER"
    assert published.args["view"]["type"] == "home"
    assert published.token == BOT_TOKEN


def test_http_serves_health_but_not_slack_events_in_socket_mode(app: SocketModeApp) -> None:
    status, body = app.get("/healthz")
    assert (status, body.splitlines()[0]) == (200, b"ok")
    signed = Signer("any-secret", standin=app.standin).slash_command("help", user_id="U0MEMBER")
    status, _, body = post(f"{app.base_url}/slack/events", signed)
    assert (status, body) == (404, b"Not Found")  # Slack's requests come over the socket
    assert app.get("/slack/events")[0] == 404
    assert app.standin.calls("response_url") == []


def test_the_socket_is_opened_with_the_app_token_and_the_web_api_gets_the_bot_token(
    app: SocketModeApp,
) -> None:
    opened = app.standin.last("apps.connections.open")
    assert opened.token == APP_TOKEN
    assert opened.response == {"ok": True, "url": app.socket.url}
    assert app.standin.last("auth.test").token == BOT_TOKEN  # Bolt's start-up check of the bot token
    [connection] = app.socket.connections()
    assert app.socket.url.endswith(connection.path)  # the app connected to the URL it was given


def test_the_app_reconnects_when_slack_asks_it_to_and_keeps_answering(app: SocketModeApp) -> None:
    app.socket.disconnect()
    app.standin.wait_for("apps.connections.open", count=2, timeout=10)
    app.socket.wait_connected(count=2)
    envelope_id = app.socket.deliver(app.slack.slash_command("help", user_id="U0MEMBER"))
    app.socket.wait_for_ack(envelope_id)
    app.standin.wait_for("response_url", timeout=10)
