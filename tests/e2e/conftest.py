"""The real app (Bolt behind waitress, as `circles run` serves it) against the Slack stand-in."""

from __future__ import annotations

import contextlib
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from waitress.server import create_server

from bot.app import build_deps, create_app
from bot.web import CirclesWsgi
from circles.persistence.db import Database
from circles.persistence.migrate import upgrade
from circles.settings import Settings
from tests.databases import sqlite_url
from tests.slack_standin import SignedRequest, Signer, SlackStandIn, post

SIGNING_SECRET = "e2e-signing-secret"
BOT_TOKEN = "xoxb-e2e-bot-token"


@dataclass
class RunningApp:
    """An app being served on a free local port, with what a test needs to talk to it."""

    base_url: str
    standin: SlackStandIn
    signer: Signer
    db: Database
    settings: Settings

    def post(self, request: SignedRequest) -> tuple[int, bytes]:
        status, _headers, body = post(f"{self.base_url}/slack/events", request)
        return status, body

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"{self.base_url}{path}", timeout=5) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


@pytest.fixture
def serve_app(standin: SlackStandIn, tmp_path: Path) -> Iterator[Callable[..., RunningApp]]:
    """Start the app with these settings overrides; everything started is stopped after the test."""
    started: list[tuple[Any, threading.Thread, Database]] = []

    def start(database_url: str | None = None, migrate: bool = True, **overrides: Any) -> RunningApp:
        settings = Settings(
            _env_file=None,
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=standin.api_url,
            database_url=database_url or sqlite_url(tmp_path),
            **overrides,
        )
        db = Database(settings.database_url)
        if migrate:
            upgrade(db.engine)
        app = create_app(build_deps(settings, db))
        standin.clear()  # forget the auth.test Bolt makes at start-up: tests look at what requests cause
        server = create_server(CirclesWsgi(db, app), host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=_serve_until_closed, args=(server,), daemon=True)
        thread.start()
        started.append((server, thread, db))
        port = server.effective_port  # type: ignore[union-attr]
        return RunningApp(
            f"http://127.0.0.1:{port}", standin, Signer(SIGNING_SECRET, standin=standin), db, settings
        )

    yield start
    for server, thread, db in started:
        server.close()
        thread.join(timeout=5)
        db.dispose()


def _serve_until_closed(server: Any) -> None:
    # The test closes the sockets under the select() loop: that is how it stops.
    with contextlib.suppress(OSError, ValueError):
        server.run()


@pytest.fixture
def running(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return serve_app()
