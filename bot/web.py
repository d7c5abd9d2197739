"""The WSGI application: Slack's requests go to Bolt, /healthz answers for the database."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.health import HealthProbe
from circles.persistence.db import Database

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


class CirclesWsgi:
    """Route by path; without a Bolt app (Socket Mode) only /healthz is served."""

    def __init__(self, db: Database, app: App | None = None) -> None:
        self._probe = HealthProbe(db)
        self._slack: Callable[..., Iterable[bytes]] | None = (
            SlackRequestHandler(app, path=EVENTS_PATH) if app else None
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            return self._health(environ, start_response)
        if self._slack is None:
            return _plain(start_response, "404 Not Found", b"Not Found")
        return self._slack(environ, start_response)

    def _health(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", b"Method Not Allowed")
        health = self._probe.check()
        return _plain(start_response, "200 OK" if health.ok else "503 Service Unavailable", health.body())


def _plain(start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]
