"""Serve Slack over HTTP (waitress) or Socket Mode, with /healthz either way; a worker: /healthz only."""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType

from slack_bolt import App
from waitress.server import create_server

from bot.deps import Deps
from bot.roles import Role
from bot.scheduler import start_scheduler, stop_scheduler
from bot.socket_mode import SocketMode
from bot.web import EVENTS_PATH, HEALTH_PATH, MAX_BODY_BYTES, CirclesWsgi
from circles.settings import Mode, Settings

logger = logging.getLogger(__name__)

HOST = "0.0.0.0"  # noqa: S104 - Slack must reach /slack/events from outside
THREADS = 8
# How long a stopping process lets the work after acks it already sent run on, whatever CIRCLES_STOP_SECONDS
# gives the scheduler's sends: Slack never sends an acknowledged request again, so cut short, it is lost.
ACKED_WORK_SECONDS = 30.0


class PortUnavailable(Exception):
    """The HTTP port is taken or not allowed."""


def serve(deps: Deps, app: App | None, role: Role = Role.ALL) -> None:
    """Block serving requests until SIGTERM or Ctrl-C; without a Bolt app (a worker) only /healthz."""
    settings = deps.settings
    socket_mode = app is not None and settings.mode is Mode.SOCKET
    # Slack's requests come over the socket in Socket Mode; HTTP then serves /healthz only.
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    if app is None or socket_mode:
        wsgi = CirclesWsgi(deps.db)
    else:
        wsgi = CirclesWsgi(deps.db, app, signing_secret=secret)
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
    socket_handler: SocketMode | None = None
    scheduler = None
    handed_back = True
    try:
        _on_signals(_stop)  # from here on, a stop signal unwinds through `finally`, whatever has started
        if socket_mode:
            assert app is not None
            assert settings.slack_app_token is not None
            handler = SocketMode(
                app, settings.slack_app_token.get_secret_value(), on_link_disabled=_stop_serving
            )
            handler.connect()
            socket_handler = handler
        scheduler = start_scheduler(deps, role)
        _log_serving(settings, app, role, socket_handler is not None)
        server.run()
    finally:
        deps.stopping.set()  # a pass in flight starts nothing more and hands back what it holds
        sent_by = time.monotonic() + settings.circles_stop_seconds
        answered_by = time.monotonic() + ACKED_WORK_SECONDS
        # Take no more requests (closing the socket first lets the acks being prepared go out, for a few
        # seconds at most), then let the work after the acks run on while the scheduler's sends finish or
        # are handed back.
        if socket_handler is not None:
            socket_handler.close()
        server.close()
        if scheduler is not None:
            handed_back = stop_scheduler(scheduler, sent_by - time.monotonic())
        answered = deps.acked_work.finish(answered_by - time.monotonic())
        if not answered:
            logger.warning("stopped before the work of requests already acknowledged had finished")
        if not (handed_back and answered):
            # Python would wait at exit for the HTTP calls still in flight (each up to its timeout, and
            # retried): past the time given, go as a second signal does, leaving sends to their claims.
            logging.shutdown()
            os._exit(_exit_code(sys.exc_info()[1]))


def _exit_code(leaving: BaseException | None) -> int:
    """The code `circles run` would have ended with: 0 when asked to stop, 1 after a fault."""
    if isinstance(leaving, SystemExit):
        return leaving.code if isinstance(leaving.code, int) else 0 if leaving.code is None else 1
    return 0 if leaving is None else 1


def _log_serving(settings: Settings, app: App | None, role: Role, socket_mode: bool) -> None:
    health = f"http://{HOST}:{settings.port}{HEALTH_PATH}"
    if app is None:
        logger.info("Circles worker: planning and sending, no Slack requests served; health at %s", health)
    else:
        where = "Socket Mode" if socket_mode else f"http://{HOST}:{settings.port}{EVENTS_PATH}"
        logger.info(
            "Circles is serving Slack (%s mode, role %s) via %s; health at %s",
            settings.mode.value,
            role.value,
            where,
            health,
        )


def _on_signals(handler: Callable[[int, FrameType | None], None]) -> None:
    for each in (signal.SIGTERM, signal.SIGINT):
        signal.signal(each, handler)


def _stop_serving() -> None:
    """Stop as SIGTERM does, from any thread: serving Slack has become impossible."""
    os.kill(os.getpid(), signal.SIGTERM)


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM or Ctrl-C: stop serving, finish the work of requests already acknowledged, let sending in
    flight finish and hand back the rest (`finally`)."""
    _on_signals(_stop_at_once)  # from now on, asking again means now, even while this line is logged
    logger.info("stopping (%s)", signal.Signals(signum).name)
    raise SystemExit(0)  # unwinds server.run() in the main thread; `finally` closes the sockets


def _stop_at_once(signum: int, frame: FrameType | None) -> None:
    """A second signal while stopping: go now, without waiting for the sends in flight (their claims
    expire, and what they hold is looked for in Slack and sent then)."""
    logger.warning("stopping at once (%s again), without waiting for sending", signal.Signals(signum).name)
    os._exit(128 + signum)
