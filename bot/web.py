"""The WSGI application: Slack requests pass the edge, then Bolt; /healthz answers for the database."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App

from bot.edge.bolt_request import SlackEvents
from bot.edge.shape import decoded
from bot.edge.signature import SignatureCheck
from bot.health import HealthProbe
from circles.domain.text import slack_id
from circles.persistence.db import Database

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
OAUTH_PATHS = ("/slack/install", "/slack/oauth_redirect")
MAX_BODY_BYTES = 4 * 1024 * 1024  # Slack's largest payloads (big modals) are far below this

logger = logging.getLogger("circles.web")


class CirclesWsgi:
    """Route by path; without a Bolt app (Socket Mode) only /healthz is served."""

    def __init__(
        self,
        db: Database,
        app: App | None = None,
        *,
        signing_secret: str = "",
        now: Callable[[], float] = time.time,
    ) -> None:
        self._db = db
        self._probe = HealthProbe(db)
        self._now = now
        self._slack: Callable[..., Iterable[bytes]] | None = (
            SlackEvents(app, path=EVENTS_PATH) if app else None
        )
        if app is not None and not signing_secret:
            raise ValueError("serving Slack over HTTP needs the signing secret")
        self._signature = SignatureCheck(signing_secret or "unused", now)
        self._oauth = app is not None and app.oauth_flow is not None
        self._forgotten_at = 0.0

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == HEALTH_PATH:
            return self._health(environ, start_response)
        if self._slack is None or (path not in (EVENTS_PATH, *OAUTH_PATHS)):
            return _plain(start_response, "404 Not Found", b"Not Found")
        if path in OAUTH_PATHS:
            if not self._oauth:
                return _plain(start_response, "404 Not Found", b"Not Found")
            if method != "GET":
                return _plain(start_response, "405 Method Not Allowed", b"Method Not Allowed", allow="GET")
            return self._slack(environ, start_response)
        if method != "POST":
            return _plain(start_response, "405 Method Not Allowed", b"Method Not Allowed", allow="POST")
        return self._events(environ, start_response)

    def _events(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Verify, then parse; only then does Bolt (which verifies again) see it.

        Nothing here touches the database: the listener acks at once, and the work after the ack takes
        the request in once (bot.edge.once), so a replay is answered with the same quiet ack and not
        worked again.
        """
        assert self._slack is not None
        body = _body(environ)
        if body is None:
            return _plain(start_response, "413 Content Too Large", b"Content Too Large")
        signed = self._signature.verify(
            body, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"), environ.get("HTTP_X_SLACK_SIGNATURE")
        )
        if signed is None:
            logger.info("refused a request without a valid, fresh signature")
            return _plain(start_response, "401 Unauthorized", b"invalid request")
        data = decoded(body, str(environ.get("CONTENT_TYPE") or ""))
        if data is None:
            logger.info("refused a signed request that is not shaped like anything Slack sends")
            return _plain(start_response, "400 Bad Request", b"Bad Request")
        if noted_rate_limit(data):
            return _plain(start_response, "200 OK", b"")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self._slack(environ, start_response)

    def _health(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", b"Method Not Allowed")
        health = self._probe.check()
        return _plain(start_response, "200 OK" if health.ok else "503 Service Unavailable", health.body())


def noted_rate_limit(data: dict[str, Any]) -> bool:
    """Log Slack's own notice that it drops a workspace's events (sent outside any event); say if it was."""
    if data.get("type") != "app_rate_limited":
        return False
    team = slack_id(data.get("team_id")) or "a workspace"
    logger.warning("Slack is dropping events of %s for a minute: past the Events API's limit", team)
    return True


def _body(environ: WSGIEnvironment) -> bytes | None:
    """The raw body, or None when it is larger than anything Slack sends."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return None
    stream = environ.get("wsgi.input")
    return stream.read(max(length, 0)) if stream is not None and length > 0 else b""


def _plain(start_response: StartResponse, status: str, body: bytes, allow: str | None = None) -> list[bytes]:
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    if allow is not None:
        headers.append(("Allow", allow))
    start_response(status, headers)
    return [body]
