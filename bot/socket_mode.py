"""Socket Mode: Slack's requests over a websocket pass the same edge as over HTTP before Bolt reads them.

An envelope that is not shaped like anything Slack sends is acknowledged (so that Slack does not send
it again and again) and goes no further; every envelope reaches the work after the ack with its id, so
that one Slack sends again is not worked twice (bot.edge.once). A request that fails before its ack is
left unacknowledged, as one over HTTP is answered 500: Slack shows its own error on a form, which keeps
what was typed, or sends an event again. The websocket itself: bot.socket_client.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.socket_mode.base_handler import BaseSocketModeHandler
from slack_bolt.adapter.socket_mode.internals import build_headers, send_response
from slack_sdk.errors import SlackClientNotConnectedError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.edge.once import ENVELOPE_HEADER
from bot.edge.shape import shaped
from bot.socket_client import SocketClient
from bot.web import noted_rate_limit

logger = logging.getLogger("circles.socket")

# How often the client pings Slack, and so how soon it notices a connection gone without a word and
# opens another (slack_sdk's own default).
PING_SECONDS = 5.0


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
        self.client = SocketClient(
            on_link_disabled,  # or the app token refused: either way reconnecting cannot help
            app_token=app_token,
            web_client=app.client,
            proxy=app.client.proxy,
            ping_interval=ping_seconds,
        )
        self.client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type]

    def connect(self) -> None:
        """Open the first connection (apps.connections.open with the app token, then the websocket)."""
        self.client.connect()

    def close(self) -> None:
        """Take no more requests, let the acks being prepared go out, then disconnect."""
        self.client.close()

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        try:
            self._answer(client, req)
        except SlackClientNotConnectedError:  # closed while this was worked: Slack sends it again
            logger.warning("could not acknowledge a Socket Mode request: its connection had closed")

    def _answer(self, client: SocketModeClient, req: SocketModeRequest) -> None:
        start = time.time()
        data = shaped(req.payload)
        if data is None:
            logger.info("ignored a Socket Mode request that is not shaped like anything Slack sends")
            return _ack(client, req.envelope_id)
        if noted_rate_limit(data):
            return _ack(client, req.envelope_id)
        headers = {**(build_headers(req) or {}), ENVELOPE_HEADER: req.envelope_id}
        response = self.app.dispatch(BoltRequest(mode="socket_mode", body=data, headers=headers))
        if response.status >= 500:  # failed before its ack (logged where it failed)
            logger.info("left a Socket Mode request unacknowledged: it failed (%s)", response.status)
            return None
        if response.status == 404:  # a kind of request Circles does not serve
            logger.info("acknowledged a Socket Mode request no listener takes (404)")
            return _ack(client, req.envelope_id)
        if response.status != 200:
            logger.info("acknowledged a Socket Mode request Circles refused (%s)", response.status)
            return _ack(client, req.envelope_id)
        send_response(client, req, response, start)
        return None


def _ack(client: SocketModeClient, envelope_id: str) -> None:
    client.send_socket_mode_response(SocketModeResponse(envelope_id=envelope_id))
