"""Socket Mode: Slack's requests over a websocket pass the same edge as over HTTP before Bolt reads them.

An envelope that is not shaped like anything Slack sends is acknowledged (so that Slack does not send
it again and again) and goes no further; every envelope reaches the work after the ack with its id, so
that one Slack sends again is not worked twice (bot.edge.once). When Slack turns Socket Mode off for
the app (a `disconnect` with reason `link_disabled`), reconnecting cannot help: the app says so once and
stops.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.socket_mode.base_handler import BaseSocketModeHandler
from slack_bolt.adapter.socket_mode.internals import build_headers, send_response
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.edge.once import ENVELOPE_HEADER
from bot.edge.shape import shaped
from bot.web import noted_rate_limit

logger = logging.getLogger("circles.socket")

MAX_MESSAGE_CHARS = 4 * 1024 * 1024  # as over HTTP: Slack's largest payloads are far below this
ENVELOPE_ID_CHARS = 100
# How often the client pings Slack, and so how soon it notices a connection gone without a word and
# opens another (slack_sdk's own default).
PING_SECONDS = 5.0
LINK_DISABLED = (
    "Slack turned Socket Mode off for this app (link_disabled): "
    "turn it on again in the app's settings, Socket Mode, then start Circles again"
)


class SocketMode(BaseSocketModeHandler):
    """Bolt's Socket Mode handler, with the edge HTTP requests pass in front of the app."""

    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        on_link_disabled: Callable[[], None],
        ping_seconds: float = PING_SECONDS,
    ) -> None:
        self.app = app
        self.app_token = app_token
        self.client = _Client(
            on_link_disabled,
            app_token=app_token,
            logger=app.logger,
            web_client=app.client,
            proxy=app.client.proxy,
            ping_interval=ping_seconds,
        )
        self.client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type]

    def connect(self) -> None:
        """Open the first connection (apps.connections.open with the app token, then the websocket)."""
        self.client.connect()

    def close(self) -> None:
        self.client.close()

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time.time()
        data = shaped(req.payload)
        if data is None:
            logger.info("ignored a Socket Mode request that is not shaped like anything Slack sends")
            return _ack(client, req.envelope_id)
        if noted_rate_limit(data):
            return _ack(client, req.envelope_id)
        headers = {**(build_headers(req) or {}), ENVELOPE_HEADER: req.envelope_id}
        response = self.app.dispatch(BoltRequest(mode="socket_mode", body=data, headers=headers))
        if response.status != 200:  # no listener for it (a kind of request Circles does not serve)
            logger.info("acknowledged a Socket Mode request no listener takes (%s)", response.status)
            return _ack(client, req.envelope_id)
        send_response(client, req, response, start)


class _Client(SocketModeClient):
    """slack_sdk's client, refusing odd envelopes before it reads them and stopping on link_disabled."""

    def __init__(self, on_link_disabled: Callable[[], None], **options: Any) -> None:
        super().__init__(**options)
        self._on_link_disabled = on_link_disabled

    def close(self) -> None:
        # slack_sdk's message processor looks at its queue for a second at a time, and closing waits for it:
        # an empty message wakes it at once to find the client closed.
        self.closed = True
        self.message_queue.put(None)
        super().close()

    def _on_message(self, message: str) -> None:
        if '"link_disabled"' in message and _is_link_disabled(message):
            if not self.closed:
                logger.error("%s", LINK_DISABLED)
                # Nothing reconnects or reads on from here; whoever stops the app closes the client (this
                # thread is one close() would wait for).
                self.closed = True
                self.auto_reconnect_enabled = self.default_auto_reconnect_enabled = False
                self._on_link_disabled()
            return
        super()._on_message(message)

    def run_message_listeners(self, message: dict[str, Any], raw_message: str) -> None:
        if not any(name in message for name in ("envelope_id", "payload")):
            return super().run_message_listeners(message, raw_message)  # hello and the like
        envelope_id = message.get("envelope_id")
        readable = isinstance(envelope_id, str) and 0 < len(envelope_id) <= ENVELOPE_ID_CHARS
        if (
            readable
            and isinstance(message.get("type"), str)
            and isinstance(message.get("payload"), dict)
            and len(raw_message) <= MAX_MESSAGE_CHARS
        ):
            return super().run_message_listeners(message, raw_message)
        logger.info("ignored a Socket Mode envelope that is not shaped like anything Slack sends")
        if readable:
            _ack(self, str(envelope_id))


def _is_link_disabled(message: str) -> bool:
    try:
        data = json.loads(message)
    except ValueError:
        return False
    return (
        isinstance(data, dict) and data.get("type") == "disconnect" and data.get("reason") == "link_disabled"
    )


def _ack(client: SocketModeClient, envelope_id: str) -> None:
    client.send_socket_mode_response(SocketModeResponse(envelope_id=envelope_id))
