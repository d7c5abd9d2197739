"""Socket Mode's acks as over HTTP: a request that fails before its ack is left unacknowledged (over HTTP it
is answered 500), so that Slack shows its own error on the form, which keeps what was typed; one that no
listener takes is acknowledged quietly (over HTTP, 404)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.socket_mode import SocketMode
from standin import Signer, SlackStandIn
from standin.socket_mode import SocketModeStandIn
from tests.e2e.conftest import BOT_TOKEN

APP_TOKEN = "xapp-1-A0CIRCLES1-1000-acks-app-token"


@pytest.fixture
def socket(standin: SlackStandIn) -> Iterator[SocketModeStandIn]:
    """A Bolt app whose form `boom` fails before its ack, on the Socket Mode stand-in."""
    app = App(client=WebClient(token=BOT_TOKEN, base_url=standin.api_url), request_verification_enabled=False)

    @app.view("boom")
    def boom(ack: Ack) -> None:
        raise RuntimeError("the database went away")  # before the ack, as a failed write in it does

    with SocketModeStandIn() as running:
        standin.socket_mode_url = running.url
        handler = SocketMode(app, APP_TOKEN, on_link_disabled=lambda: None, ping_seconds=1.0)
        handler.connect()
        running.wait_connected()
        try:
            yield running
        finally:
            handler.close()


def said(caplog: pytest.LogCaptureFixture, words: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not any(words in record.getMessage() for record in caplog.records):
        assert time.monotonic() < deadline, f"never logged {words!r}: {caplog.text}"
        time.sleep(0.02)


def test_a_form_that_fails_before_its_ack_is_left_unacknowledged_and_one_nobody_takes_is_acknowledged(
    socket: SocketModeStandIn, standin: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="circles.socket")
    slack = Signer("unused", standin=standin)
    failing = socket.deliver(slack.view_submission("boom", user_id="U0LEE", values={}))
    said(caplog, "(500)")
    unknown = socket.deliver(slack.view_submission("no_such_form", user_id="U0LEE", values={}))
    assert socket.wait_for_ack(unknown).payload is None
    assert [ack.envelope_id for ack in socket.acks()] == [unknown]  # the failed one: Slack shows its error
    assert [r.getMessage() for r in caplog.records if r.name == "circles.socket"] == [
        "left a Socket Mode request unacknowledged: it failed (500)",
        "acknowledged a Socket Mode request no listener takes (404)",
    ]
    assert failing not in caplog.text
