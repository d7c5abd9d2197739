"""SocketModeStandIn: the websocket end of Slack's Socket Mode, served from 127.0.0.1 on a free port.

Point the Web API stand-in at it (`standin.socket_mode_url = socket_mode.url`): apps.connections.open
then hands its URL to the app. Like Slack, it greets every connection with `hello`, sends requests as
envelopes (`slash_commands`, `events_api`, `interactive`), and records what the app sends back: the
acknowledgements, `{"envelope_id": ..., "payload": ...}`.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Self, TypeVar
from urllib.parse import parse_qsl

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from . import defaults
from .lifecycle import Lifecycle
from .signed import JSON, JsonDict, SignedRequest

T = TypeVar("T")

PING_SECONDS = 0.2

# Interactive payloads whose ack may carry an answer (errors, options, a view to push).
_ACCEPTS_RESPONSE = {"view_submission", "block_suggestion"}


@dataclass(frozen=True)
class Connection:
    """One websocket an app opened."""

    path: str  # with the query, e.g. /link/?ticket=...
    opened_at: float


@dataclass(frozen=True)
class Ack:
    """What the app sent back for one envelope."""

    envelope_id: str
    payload: JsonDict | None
    at: float


class SocketModeStandIn(Lifecycle):
    """Slack's Socket Mode server: one event loop in a daemon thread, any number of app connections."""

    def __init__(self, *, app_id: str = defaults.APP_ID, ticket: str = "socket-mode-ticket") -> None:
        self.app_id = app_id
        self.ticket = ticket
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: Server | None = None
        self._open: list[ServerConnection] = []
        self._connections: list[Connection] = []
        self._acks: list[Ack] = []
        self._sent: dict[str, JsonDict] = {}
        self._changed = threading.Condition()

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind a free port on 127.0.0.1 and serve from a daemon thread."""
        if self._loop is not None:
            raise RuntimeError("the Socket Mode stand-in is already running")
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="socket-mode-standin", daemon=True)
        self._thread.start()
        self._server = self._run(self._serve())
        return self

    def stop(self) -> None:
        """Close every connection (as Slack does when it goes away), stop serving, release the port."""
        loop, server = self._loop, self._server
        if loop is None:
            return
        if server is not None:
            server.close()
            self._run(server.wait_closed())
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)
        loop.close()
        self._loop = self._thread = self._server = None

    @property
    def url(self) -> str:
        """The wss URL Slack would hand out; here plain ws:// on the local port."""
        if self._server is None:
            raise RuntimeError("start the Socket Mode stand-in first")
        port = self._server.sockets[0].getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket={self.ticket}&app_id={self.app_id}"

    # -- what the app did --------------------------------------------------------------------------

    def connections(self) -> list[Connection]:
        """Every connection opened so far, oldest first (closed ones included)."""
        with self._changed:
            return list(self._connections)

    def wait_connected(self, count: int = 1, timeout: float = 10.0) -> None:
        """Block until the app has opened count connections in all and one of them is open now."""
        self._wait(
            lambda: len(self._connections) >= count and bool(self._open),
            timeout,
            f"connection number {count} to be open",
        )

    def acks(self) -> list[Ack]:
        """Every acknowledgement received so far, in order."""
        with self._changed:
            return list(self._acks)

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        """Block until the app acknowledges the envelope; AssertionError on timeout."""

        def found() -> Ack | None:
            return next((a for a in self._acks if a.envelope_id == envelope_id), None)

        self._wait(lambda: found() is not None, timeout, f"the ack of envelope {envelope_id}")
        with self._changed:
            ack = found()
        assert ack is not None
        return ack

    # -- what Slack sends --------------------------------------------------------------------------

    def send_envelope(self, kind: str, payload: JsonDict, *, accepts_response_payload: bool = False) -> str:
        """Send one request to the newest open connection, as Slack does; returns its envelope_id."""
        envelope_id = str(uuid.uuid4())
        envelope: JsonDict = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope.update(retry_attempt=0, retry_reason="")
        with self._changed:
            self._sent[envelope_id] = envelope
        self.send_raw(envelope)
        return envelope_id

    def redeliver(self, envelope_id: str, retry_reason: str = "timeout") -> None:
        """Send an envelope again, as Slack does when its ack came late or the socket it went on closed."""
        with self._changed:
            envelope = dict(self._sent[envelope_id])
        if envelope["type"] == "events_api":
            envelope.update(retry_attempt=envelope["retry_attempt"] + 1, retry_reason=retry_reason)
        self.send_raw(envelope)

    def drop(self) -> None:
        """Close every open connection without a word, as a network failure does."""
        with self._changed:
            open_now = list(self._open)
        for connection in open_now:
            self._run(connection.close())

    def deliver(self, request: SignedRequest) -> str:
        """Send what a Signer built for HTTP over the socket instead: the same payload, in an envelope."""
        if request.headers["Content-Type"].startswith(JSON):
            return self.send_envelope("events_api", request.payload())
        form = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
        if "payload" in form:
            payload: JsonDict = json.loads(form["payload"])
            accepts = payload.get("type") in _ACCEPTS_RESPONSE
            return self.send_envelope("interactive", payload, accepts_response_payload=accepts)
        return self.send_envelope("slash_commands", form, accepts_response_payload=True)

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the app to reconnect, as Slack does every few hours."""
        self.send_raw({"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-standin"}})

    def send_raw(self, message: JsonDict) -> None:
        """Send any JSON message to the newest open connection."""
        self.send_frame(json.dumps(message))

    def send_frame(self, data: str | bytes) -> None:
        """Send one frame to the newest open connection: a text frame for str, a binary one for bytes."""
        with self._changed:
            if not self._open:
                raise AssertionError("no app is connected to the Socket Mode stand-in")
            connection = self._open[-1]
        self._run(connection.send(data))

    # -- internals ---------------------------------------------------------------------------------

    async def _session(self, connection: ServerConnection) -> None:
        path = connection.request.path if connection.request is not None else ""
        await connection.send(json.dumps(self._hello()))
        with self._changed:
            self._open.append(connection)
            self._connections.append(Connection(path, time.time()))
            self._changed.notify_all()
        try:
            async for raw in connection:
                self._received(raw)
        except ConnectionClosed:
            pass  # the app closed its socket without a close frame: Slack shrugs too
        finally:
            with self._changed:
                self._open.remove(connection)
                self._changed.notify_all()

    def _received(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            return  # Slack ignores what it cannot parse
        if isinstance(message, dict) and isinstance(message.get("envelope_id"), str):
            with self._changed:
                self._acks.append(Ack(message["envelope_id"], message.get("payload"), time.time()))
                self._changed.notify_all()

    def _hello(self) -> JsonDict:
        with self._changed:
            count = len(self._open) + 1
        return {
            "type": "hello",
            "num_connections": count,
            "debug_info": {
                "host": "applink-standin",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }

    def _wait(self, done: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not done():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {what}; "
                        f"connections: {len(self._connections)} ({len(self._open)} open), "
                        f"acks: {[a.envelope_id for a in self._acks]}"
                    )
                self._changed.wait(remaining)

    async def _serve(self) -> Server:
        # Slack pings its clients too. Pinging often also wakes slack_sdk's blocking read, which
        # otherwise holds up the client's close() for its 3-second read timeout: apps stop fast.
        return await serve(self._session, "127.0.0.1", 0, ping_interval=PING_SECONDS)

    def _run(self, work: Coroutine[Any, Any, T], timeout: float = 5.0) -> T:
        """Run a coroutine on the stand-in's loop from any other thread and return its result."""
        if self._loop is None:
            raise RuntimeError("start the Socket Mode stand-in first")
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout)
