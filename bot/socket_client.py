"""Socket Mode's websocket: slack_sdk's client, made to read, reconnect, stop and log as Circles must.

An envelope not shaped like Slack's is refused before it is read, and a frame that is not a JSON object is
ignored in one line without its content. A `disconnect` Slack sends (every few hours) is answered by
opening the next connection on a thread of its own, while envelopes on the old one are still worked and
acknowledged. A reconnection Slack fails or cannot be reached for is one line, tried again by the client's
monitor every ping; an app token Slack refuses, or Socket Mode turned off for the app (`link_disabled`),
cannot be mended by reconnecting: the app says so once and stops. Closing takes no more envelopes, lets
the acks being prepared go out, then disconnects.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from queue import Empty
from typing import Any

from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.acked_work import finished
from bot.gateway.outcomes import TOKEN_REFUSED, error_code
from bot.logs import tidy_socket_mode

logger = logging.getLogger("circles.socket")

MAX_MESSAGE_CHARS = 4 * 1024 * 1024  # as over HTTP: Slack's largest payloads are far below this
ENVELOPE_ID_CHARS = 100
# slack_sdk reads a frame this many bytes at a time, one call deeper each time: by its default of 1 KB a
# frame of about 1 MB reaches Python's recursion limit (over TLS, each read brings 16 KB at most anyway).
RECEIVE_BYTES = 64 * 1024
# How long closing waits for the acks being prepared before it disconnects: Slack waits 3 s for an ack.
ACKS_SECONDS = 5.0
LINK_DISABLED = (
    "Slack turned Socket Mode off for this app (link_disabled): "
    "turn it on again in the app's settings, Socket Mode, then start Circles again"
)
APP_LEVEL_REFUSED = (
    "SLACK_APP_TOKEN was refused by Slack ({code}): "
    "copy it again from Basic Information, App-Level Tokens, then start Circles again"
)


class SocketClient(SocketModeClient):
    """slack_sdk's client, refusing odd envelopes before it reads them and stopping when it cannot go on."""

    def __init__(self, on_stop: Callable[[], None], **options: Any) -> None:
        # Set before slack_sdk's threads start, which look at them.
        self._on_stop = on_stop
        self._connecting = threading.Lock()  # held while a connection opens, and while closing
        self._guard = threading.Lock()
        self._reconnecting: threading.Thread | None = None
        sdk_logger = logging.getLogger("slack_sdk.socket_mode.builtin.client")
        tidy_socket_mode(sdk_logger)
        super().__init__(logger=sdk_logger, receive_buffer_size=RECEIVE_BYTES, **options)

    def connect(self) -> None:
        with self._connecting:
            if not self.closed:  # closing or stopped: no connection opens any more
                super().connect()

    def close(self) -> None:
        """Take no more envelopes, let the acks being prepared go out (ACKS_SECONDS at most), then
        disconnect; nothing reconnects from here."""
        self.closed = True  # slack_sdk's message processor stops taking envelopes off its queue
        self.auto_reconnect_enabled = self.default_auto_reconnect_enabled = False
        self.message_queue.put(None)  # it looks at its queue a second at a time: this wakes it at once
        self.message_processor.shutdown()  # type: ignore[no-untyped-call]
        if not finished(self.message_workers, ACKS_SECONDS):
            logger.warning("closed the socket before every request being answered was acknowledged")
        with self._connecting:  # a reconnection under way has connected, or will not
            self.current_session_state.terminated = True
            self.disconnect()
        for runner in (self.current_session_runner, self.current_app_monitor):
            runner.shutdown()  # type: ignore[no-untyped-call]

    def issue_new_wss_url(self) -> str:
        # slack_sdk's own logs Slack's whole answer over several lines before raising: the caller says it.
        return str(self.web_client.apps_connections_open(app_token=self.app_token)["url"])

    def connect_to_new_endpoint(self, force: bool = False) -> None:
        """Open the next connection; if Slack fails that, one line, and the monitor tries again at its
        next ping (a refused token stops the app instead)."""
        if self.closed:
            return
        try:
            super().connect_to_new_endpoint(force)
        except SlackApiError as error:
            code = error_code(error)
            if code in TOKEN_REFUSED:
                self._stop(APP_LEVEL_REFUSED.format(code=code))
            else:
                logger.warning("Slack answered apps.connections.open with %s; retrying", code)
        except (SlackRequestError, OSError) as error:
            logger.warning(
                "could not reach Slack for apps.connections.open (%s); retrying", type(error).__name__
            )

    def process_message(self) -> None:
        try:
            raw_message = self.message_queue.get(timeout=1)
        except Empty:
            return
        if raw_message is None:
            return
        message = _json_object(raw_message)
        if message is None:
            logger.info("ignored a Socket Mode frame that is not a JSON object")
        elif message.get("type") == "disconnect":
            self._reconnect_aside()
        else:
            self.message_workers.submit(self.run_message_listeners, message, raw_message)

    def _on_message(self, message: str) -> None:
        if '"link_disabled"' in message and _is_link_disabled(message):
            # Nothing reconnects or reads on from here; whoever stops the app closes the client.
            self._stop(LINK_DISABLED)
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
            self.send_socket_mode_response(SocketModeResponse(envelope_id=str(envelope_id)))

    def _reconnect_aside(self) -> None:
        """Slack asked for a new connection: open it on a thread of its own, one at a time, while the
        envelopes that still come on this one are worked and acknowledged as usual."""
        with self._guard:
            if self.closed or (self._reconnecting is not None and self._reconnecting.is_alive()):
                return
            self._reconnecting = threading.Thread(
                target=self.connect_to_new_endpoint,
                kwargs={"force": True},
                name="circles-socket-reconnect",
                daemon=True,
            )
            self._reconnecting.start()

    def _stop(self, why: str) -> None:
        """Reconnecting cannot help: say why in one line, once, and stop the app."""
        with self._guard:
            if self.closed:
                return
            self.closed = True
            self.auto_reconnect_enabled = self.default_auto_reconnect_enabled = False
        logger.error("%s", why)
        self._on_stop()


def _json_object(message: str) -> dict[str, Any] | None:
    try:
        data = json.loads(message)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _is_link_disabled(message: str) -> bool:
    data = _json_object(message)
    return data is not None and data.get("type") == "disconnect" and data.get("reason") == "link_disabled"
