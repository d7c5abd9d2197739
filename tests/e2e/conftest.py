"""The real app (Bolt behind waitress, as `circles run` serves it) against the Slack stand-in."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_deps, create_app
from bot.pacing import Pacer
from bot.web import CirclesWsgi
from circles.persistence.db import Database
from circles.persistence.migrate import upgrade
from circles.settings import Settings
from standin import SignedRequest, Signer, SlackStandIn, post
from tests.databases import postgres_database, sqlite_url
from tests.e2e.harness import http_get, served_in_thread

SIGNING_SECRET = "e2e-signing-secret"
BOT_TOKEN = "xoxb-e2e-bot-token"
NOTES_KEY = "5bEUvZfYcK6nXcoAhO6Yr6zTyiJ0rTfRKvJ9r0bFq0o="  # what `circles run` puts in the settings


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
        return http_get(f"{self.base_url}{path}")


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database URL, once SQLite and once PostgreSQL, for suites that must hold on both."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def serve_app(standin: SlackStandIn, tmp_path: Path) -> Iterator[Callable[..., RunningApp]]:
    """Start the app with these settings overrides; everything started is stopped after the test."""
    with contextlib.ExitStack() as stack:

        def start(database_url: str | None = None, migrate: bool = True, **overrides: Any) -> RunningApp:
            settings = Settings(
                _env_file=None,
                slack_bot_token=BOT_TOKEN,
                slack_signing_secret=SIGNING_SECRET,
                slack_api_url=standin.api_url,
                database_url=database_url or sqlite_url(tmp_path),
                **{"circles_notes_key": NOTES_KEY, **overrides},
            )
            db = Database(settings.database_url)
            stack.callback(db.dispose)
            if migrate:
                upgrade(db.engine)
            # The stand-in enforces whatever limits a test sets; real pacing would only slow the suite.
            app = create_app(replace(build_deps(settings, db), pacer=Pacer.unpaced()))
            standin.clear()  # forget Bolt's auth.test at start-up: tests look at what requests cause
            wsgi = CirclesWsgi(db, app, signing_secret=SIGNING_SECRET)
            base_url = stack.enter_context(served_in_thread(wsgi))
            return RunningApp(base_url, standin, Signer(SIGNING_SECRET, standin=standin), db, settings)

        yield start


@pytest.fixture
def running(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return serve_app()
