"""Serve Slack over HTTP (waitress) or Socket Mode, with /healthz either way."""

from __future__ import annotations

import logging
import signal
from types import FrameType

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from waitress.server import create_server

from bot.deps import Deps
from bot.scheduler import start_scheduler
from bot.web import EVENTS_PATH, MAX_BODY_BYTES, CirclesWsgi
from circles.settings import Mode

logger = logging.getLogger(__name__)

HOST = "0.0.0.0"  # noqa: S104 - Slack must reach /slack/events from outside
THREADS = 8


class PortUnavailable(Exception):
    """The HTTP port is taken or not allowed."""


def serve(deps: Deps, app: App) -> None:
    """Block serving requests until SIGTERM or Ctrl-C."""
    settings = deps.settings
    socket_mode = settings.mode is Mode.SOCKET
    # Slack's requests come over the socket in Socket Mode; HTTP then serves /healthz only.
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    wsgi = CirclesWsgi(deps.db) if socket_mode else CirclesWsgi(deps.db, app, signing_secret=secret)
    # Bind the port first: if it is taken, nothing has connected to Slack yet.
    try:
        server = create_server(
            wsgi,
            host=HOST,
            port=settings.port,
            threads=THREADS,
            ident="circles",
            max_request_body_size=MAX_BODY_BYTES,
        )
    except OSError as error:
        raise PortUnavailable(f"cannot listen on PORT {settings.port}: {error.strerror}") from error
    socket_handler = None
    if socket_mode:
        assert settings.slack_app_token is not None
        socket_handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
        socket_handler.connect()  # type: ignore[no-untyped-call]

    def stop(signum: int, frame: FrameType | None) -> None:
        logger.info("stopping (signal %s)", signum)
        raise SystemExit(0)  # unwinds server.run() in the main thread; `finally` closes the sockets

    scheduler = start_scheduler(deps)
    signal.signal(signal.SIGTERM, stop)
    where = "Socket Mode" if socket_handler else f"http://{HOST}:{settings.port}{EVENTS_PATH}"
    logger.info("Circles is serving Slack (%s mode) via %s; health at /healthz", settings.mode.value, where)
    try:
        server.run()
    except KeyboardInterrupt:
        logger.info("stopping (Ctrl-C)")
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        if socket_handler is not None:
            socket_handler.close()  # type: ignore[no-untyped-call]
        server.close()
