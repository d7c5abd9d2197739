"""Socket Mode as Slack really behaves: envelopes sent again, odd envelopes, and a link Slack turns off.

One app for the whole module, in this process, connected to the Socket Mode stand-in as `circles run`
connects it; each test speaks as its own person so that what it counts is its own.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import select

from bot.app import create_app
from bot.deps import build_deps
from bot.pacing import Pacer
from bot.socket_mode import SocketMode
from circles.persistence.db import Database
from circles.persistence.models import Member
from circles.settings import Settings
from standin import Signer, SlackStandIn, defaults
from standin.socket_mode import SocketModeStandIn
from tests import factories
from tests.databases import migrated_sqlite_url
from tests.e2e.conftest import BOT_TOKEN, NOTES_KEY
from tests.e2e.settling import Activity

APP_TOKEN = "xapp-1-A0CIRCLES1-1000-shapes-app-token"
SECRET_WORDS = "my patient in bed 4 frightens me"


@dataclass
class Connected:
    """The app on the socket, and what a test needs to speak to it and see what it did."""

    standin: SlackStandIn
    socket: SocketModeStandIn
    slack: Signer
    db: Database
    activity: Activity
    link_disabled: threading.Event

    def answers_to(self, user_id: str) -> list[dict[str, Any]]:
        """Every private answer the app gave this person on a response_url, once its work is over."""
        self.activity.wait_idle(10)
        self.standin.wait_quiet()
        return [call.args for call in self.standin.calls("response_url") if user_id in call.path]


@pytest.fixture(scope="module")
def connected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connected]:
    folder = tmp_path_factory.mktemp("socket-shapes")
    with SlackStandIn() as standin, SocketModeStandIn() as socket:
        standin.socket_mode_url = socket.url
        settings = Settings(
            _env_file=None,
            slack_bot_token=BOT_TOKEN,
            slack_app_token=APP_TOKEN,
            slack_api_url=standin.api_url,
            database_url=migrated_sqlite_url(folder),
            circles_notes_key=NOTES_KEY,
        )
        db = Database(settings.database_url)
        with db.unit_of_work() as uow:
            ws = factories.workspace(uow.session, defaults.DEFAULT_TEAM_ID)
            factories.cohort(uow.session, ws, "pgy1", "PGY-1 residents")
            uow.commit()
        deps = replace(build_deps(settings, db), pacer=Pacer.unpaced())
        app = create_app(deps)
        activity = Activity()
        activity.watch(app)
        link_disabled = threading.Event()
        # Pinging each second, the app notices a dropped socket within a second rather than five.
        handler = SocketMode(app, APP_TOKEN, on_link_disabled=link_disabled.set, ping_seconds=1.0)
        handler.connect()
        socket.wait_connected()
        try:
            yield Connected(standin, socket, Signer("unused", standin=standin), db, activity, link_disabled)
        finally:
            activity.wait_idle(10)
            handler.close()
            db.dispose()


def command(connected: Connected, text: str, user_id: str) -> dict[str, str]:
    """A slash command's payload as Slack puts it in an envelope, answered on a response_url of its own."""
    request = connected.slack.slash_command(
        text, user_id=user_id, response_url=connected.standin.response_url(user_id)
    )
    return dict(parse_qsl(request.body.decode(), keep_blank_values=True))


def test_a_command_slack_sends_again_on_the_same_envelope_is_answered_and_worked_once(
    connected: Connected,
) -> None:
    connected.standin.add_user("U0TWICE")
    envelope_id = connected.socket.send_envelope(
        "slash_commands", command(connected, "join pgy1", "U0TWICE"), accepts_response_payload=True
    )
    connected.socket.wait_for_ack(envelope_id)
    connected.socket.redeliver(envelope_id)
    [answer] = connected.answers_to("U0TWICE")
    assert "already" not in json.dumps(answer)
    with connected.db.unit_of_work() as uow:
        joined = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0TWICE")).all()
    assert len(joined) == 1


def test_a_command_sent_again_in_a_new_envelope_after_a_reconnect_is_answered_once(
    connected: Connected,
) -> None:
    connected.standin.add_user("U0AGAIN")
    payload = command(connected, "join pgy1", "U0AGAIN")
    for _ in range(2):
        connected.socket.wait_for_ack(connected.socket.send_envelope("slash_commands", payload))
    assert len(connected.answers_to("U0AGAIN")) == 1


HOSTILE_PAYLOADS: list[Any] = [
    {"type": "event_callback", "event": "a text, not an event"},
    {"type": "event_callback", "event": {"type": "message", "user": 5, "text": SECRET_WORDS}},
    {"type": "event_callback", "event": {"type": ["message"], "text": SECRET_WORDS}},
    {"type": "block_actions", "trigger_id": "1.2.3", "user": {"id": "U0X"}, "actions": "press"},
    {"type": "block_actions", "trigger_id": "1.2.3", "user": {"id": "U0X"}, "team": 7, "actions": [{}]},
    {"type": "view_submission", "trigger_id": "1.2.3", "view": {"id": 3}},
    {"type": "view_submission", "trigger_id": "1.2.3", "user": {"id": "U0X"}},
    {"command": "/circles", "text": SECRET_WORDS, "user_id": ["U0X"]},
    {"no": "type at all", "text": SECRET_WORDS},
]


@pytest.mark.parametrize("payload", HOSTILE_PAYLOADS, ids=lambda p: json.dumps(p)[:40])
def test_a_payload_not_shaped_like_slacks_is_acknowledged_quietly_without_a_traceback(
    connected: Connected, payload: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    envelope_id = connected.socket.send_envelope("interactive", payload)
    assert connected.socket.wait_for_ack(envelope_id).payload is None  # not sent again and again
    connected.activity.wait_idle(10)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert SECRET_WORDS not in caplog.text


@pytest.mark.parametrize(
    "envelope",
    [
        {"envelope_id": "e-null", "type": "interactive", "payload": None},
        {"envelope_id": "e-text", "type": "events_api", "payload": SECRET_WORDS},
        {"envelope_id": "e-list", "type": "slash_commands", "payload": [SECRET_WORDS]},
        {"envelope_id": "e-kind", "type": "something_new", "payload": {"text": SECRET_WORDS}},
        {"envelope_id": 5, "type": "events_api", "payload": {"type": "event_callback"}},
        {"type": "events_api", "payload": {"type": "event_callback", "text": SECRET_WORDS}},
    ],
    ids=lambda e: str(e.get("envelope_id")),
)
def test_an_envelope_not_shaped_like_slacks_leaves_no_traceback_and_the_app_answering(
    connected: Connected, envelope: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    connected.socket.send_raw(envelope)
    if isinstance(envelope.get("envelope_id"), str):
        connected.socket.wait_for_ack(envelope["envelope_id"])
    helped = connected.socket.send_envelope("slash_commands", command(connected, "help", "U0ODD"))
    connected.socket.wait_for_ack(helped)
    assert connected.answers_to("U0ODD")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert SECRET_WORDS not in caplog.text


def test_after_the_socket_drops_the_app_reconnects_and_answers_what_slack_sends_again(
    connected: Connected,
) -> None:
    opened = len(connected.socket.connections())
    payload = command(connected, "help", "U0DROPPED")
    connected.socket.drop()
    connected.socket.wait_connected(count=opened + 1)
    connected.socket.wait_for_ack(connected.socket.send_envelope("slash_commands", payload))
    assert len(connected.answers_to("U0DROPPED")) == 1


def test_slack_turning_socket_mode_off_stops_the_app_with_one_line_instead_of_reconnecting(
    connected: Connected, caplog: pytest.LogCaptureFixture
) -> None:
    # Last in the module: the app it leaves behind is stopped.
    opened = len(connected.standin.calls("apps.connections.open"))
    opened_sockets = len(connected.socket.connections())
    caplog.set_level(logging.INFO)
    connected.socket.disconnect("link_disabled")
    assert connected.link_disabled.wait(5)
    said = [r.getMessage() for r in caplog.records if "link_disabled" in r.getMessage()]
    assert said == [
        "Slack turned Socket Mode off for this app (link_disabled): "
        "turn it on again in the app's settings, Socket Mode, then start Circles again"
    ]
    assert len(connected.standin.calls("apps.connections.open")) == opened
    assert len(connected.socket.connections()) == opened_sockets
