"""The HTTP side of the stand-in: routing, failure injection, recording."""

from __future__ import annotations

import json
import math
import selectors
import socket
import sys
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import defaults
from .calls import Call
from .faults import Planned
from .methods import dispatch
from .state import JsonDict
from .wire import bearer_token, parse_args

if TYPE_CHECKING:
    from .server import SlackStandIn

# Endpoints other than the Web API, and the method name their calls are recorded under.
_PREFIXES = {"/api/": "", "/response/": "response_url", "/upload/v1/": "file_upload"}


@dataclass(frozen=True)
class Answer:
    """What goes back over HTTP, plus what the call log keeps of it."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    logged: Any = None

    @classmethod
    def json(cls, status: int, data: JsonDict, headers: dict[str, str] | None = None) -> Answer:
        """A JSON answer, like the Web API's."""
        return cls(status, json.dumps(data).encode(), headers=headers or {}, logged=data)

    @classmethod
    def text(cls, status: int, text: str, headers: dict[str, str] | None = None) -> Answer:
        """A plain answer, like hooks.slack.com's and files.slack.com's."""
        return cls(status, text.encode(), "text/html", headers or {}, logged=text)


def answer(standin: SlackStandIn, path: str, query: str, headers: dict[str, str], body: bytes) -> Answer:
    """Answer one request and record it."""
    arrived = time.time()
    prefix = next((p for p in _PREFIXES if path.startswith(p)), None)
    if prefix is None:
        return Answer.text(404, "not_found")
    name = path[len(prefix) :]
    kind = _PREFIXES[prefix] or name
    content_type = headers.get("content-type", "")
    args: JsonDict = {}
    parse_error = None
    if kind != "file_upload":
        try:
            args = parse_args(content_type, query, body)
        except (ValueError, UnicodeDecodeError):
            parse_error = "invalid_json" if "json" in content_type else "invalid_form_data"
    # Slack takes the token from the Authorization header or, failing that, a token argument.
    form_token = args.pop("token", None)
    token = bearer_token(headers) or (form_token if isinstance(form_token, str) else None)
    latency = standin.faults.latency_for(kind)
    gate = standin.faults.gate_for(kind)
    held = latency if gate is None else math.inf  # held until released: longer than any latency asked
    standin.log.arrived(kind, held)
    time.sleep(latency)
    if gate is not None:
        gate.wait()
    planned = standin.faults.take(kind, _limited_channel(args))
    if planned is not None and not planned.done:
        result = _planned(kind, planned)
    elif parse_error is not None:
        result = Answer.text(400, "invalid_payload") if kind == "response_url" else _api_error(parse_error)
    elif kind == "response_url":
        result = Answer.text(200, "ok")
    elif kind == "file_upload":
        result = _upload(standin, name, body)
        args = {"file_id": name, "size": len(body)}
    else:
        result = _api(standin, kind, args, token, headers)
    if planned is not None and planned.done:
        result = _planned(kind, planned)  # the work above stands; only its answer is lost
    call = Call(kind, args, token, headers, arrived, path, body, result.status, result.logged)
    standin.log.record(call, held=held)
    return result


def _limited_channel(args: JsonDict) -> str | None:
    """The conversation a per-channel limit counts: a user ID posts into the app's DM with that person."""
    channel = args.get("channel") or args.get("channel_id")
    if not isinstance(channel, str):
        return None
    return defaults.dm_channel_id(channel) if channel[:1] in ("U", "W") else channel


def _api(
    standin: SlackStandIn, method: str, args: JsonDict, token: str | None, headers: dict[str, str]
) -> Answer:
    try:
        with standin.lock:
            data = dispatch(standin.workspace, standin, method, args, token, headers)
    except Exception:
        # A bug in the stand-in must fail the test visibly, not surface as a dropped connection.
        return Answer.json(500, {"ok": False, "error": "standin_crashed", "detail": traceback.format_exc()})
    return Answer.json(200, data, {"X-Slack-Req-Id": f"{time.time_ns():x}"})


def _api_error(error: str) -> Answer:
    return Answer.json(200, {"ok": False, "error": error})


def _planned(kind: str, planned: Planned) -> Answer:
    if kind in ("response_url", "file_upload"):
        # Hooks answer in plain text, and an error there is never a 200.
        return Answer.text(planned.status if planned.status != 200 else 400, planned.error, planned.headers)
    return Answer.json(planned.status, {"ok": False, "error": planned.error}, planned.headers)


def _upload(standin: SlackStandIn, file_id: str, body: bytes) -> Answer:
    with standin.lock:
        upload = standin.workspace.files.get(file_id)
        if upload is None:
            return Answer.text(404, "not_found")
        upload.content = body
    return Answer.text(200, f"OK - {len(body)}")


class StandInServer(ThreadingHTTPServer):
    """A threading HTTP server on 127.0.0.1, on a free port, serving one stand-in."""

    daemon_threads = True
    timeout = 0.0  # handle_request() only takes a request already waiting

    def __init__(self, standin: SlackStandIn) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.standin = standin
        self._stopping = False
        self._waker, self._woken = socket.socketpair()

    def serve_until_stopped(self) -> None:
        """Answer requests until `stop_serving`, asleep in between: serve_forever looks for its stop every
        few milliseconds, for every stand-in a test suite starts, or makes stopping wait that long."""
        with selectors.DefaultSelector() as selector:
            selector.register(self, selectors.EVENT_READ)
            selector.register(self._woken, selectors.EVENT_READ)
            while not self._stopping:
                for key, _ in selector.select():
                    if key.fileobj is self and not self._stopping:
                        self.handle_request()  # one is waiting: taken at once (timeout 0)

    def stop_serving(self) -> None:
        """Make `serve_until_stopped` return now, from any thread."""
        self._stopping = True
        self._waker.send(b"\0")

    def server_close(self) -> None:
        super().server_close()
        self._waker.close()
        self._woken.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A caller that gave up (its timeout) and hung up is no fault of Slack's: say nothing of it.

        Anything else is a fault of the stand-in's own, printed as the standard library does.
        """
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: StandInServer

    def do_GET(self) -> None:
        """Slack's API accepts GET with query arguments too."""
        self._serve()

    def do_POST(self) -> None:
        """POSTs carry form, JSON or multipart bodies."""
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _serve(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        result = answer(self.server.standin, url.path, url.query, headers, body)
        self.send_response(result.status)
        self.send_header("Content-Type", result.content_type)
        self.send_header("Content-Length", str(len(result.body)))
        for key, value in result.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(result.body)
