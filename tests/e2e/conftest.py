"""The real app (Bolt behind waitress, as `circles run` serves it) against the Slack stand-in."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.app import create_app
from bot.deps import Deps, build_deps
from bot.dispatch import DispatchOptions, dispatch
from bot.listeners.functions import completion
from bot.pacing import Pacer, SlackLimits
from bot.web import CirclesWsgi
from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.migrate import upgrade
from circles.settings import Settings
from standin import SignedRequest, Signer, SlackStandIn, post
from tests import factories
from tests.databases import migrated_postgres, migrated_sqlite_url, sqlite_url
from tests.e2e.harness import NOTES_KEY as NOTES_KEY  # where every test takes it from
from tests.e2e.harness import http_get, served_in_thread
from tests.e2e.settling import QUIET, Activity, settle

SIGNING_SECRET = "e2e-signing-secret"
BOT_TOKEN = "xoxb-e2e-bot-token"
# How long the app waits for a Slack answer: short, so that a test of Slack answering too late waits
# little, and still well past the latencies other tests give answers the app must wait for.
SLACK_TIMEOUT = 4.0
# How late a "too slow" answer comes: after the app stopped waiting for it.
SLOW = SLACK_TIMEOUT + 1
QUICK_RETRY = FixedValueRetryIntervalCalculator(0.05)


@dataclass
class RunningApp:
    """An app being served on a free local port, with what a test needs to talk to it."""

    base_url: str
    standin: SlackStandIn
    signer: Signer
    db: Database
    settings: Settings
    activity: Activity

    def post(self, request: SignedRequest) -> tuple[int, bytes]:
        status, _headers, body = post(f"{self.base_url}/slack/events", request)
        return status, body

    def get(self, path: str) -> tuple[int, bytes]:
        return http_get(f"{self.base_url}{path}")

    def settled(self, quiet: float = QUIET) -> None:
        """Wait until what the requests so far started is over and Slack heard nothing for `quiet` s."""
        settle(self.activity, self.standin, quiet)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database at the latest schema with no rows, once SQLite and once PostgreSQL."""
    if request.param == "sqlite":
        yield migrated_sqlite_url(tmp_path)
    else:
        with migrated_postgres() as url:
            yield url


def _default_database(folder: Path, migrate: bool) -> tuple[str, bool]:
    """The test's SQLite file: a migrated copy the first time, the same file when started again; and
    whether it is that new copy, already at the latest schema."""
    fresh = migrate and not (folder / "circles.db").exists()
    return (migrated_sqlite_url(folder) if fresh else sqlite_url(folder)), fresh


@pytest.fixture
def serve_app(standin: SlackStandIn, tmp_path: Path) -> Iterator[Callable[..., RunningApp]]:
    """Start the app with these settings overrides; everything started is stopped after the test."""
    with contextlib.ExitStack() as stack:
        yield functools.partial(start_app, stack, standin, tmp_path)


def app_settings(standin: SlackStandIn, database_url: str, **overrides: Any) -> Settings:
    """The settings `circles run` would read for these tests: the stand-in's URL, a notes key, a short wait
    for Slack's answers (SLACK_TIMEOUT), no .env."""
    return Settings(
        _env_file=None,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=standin.api_url,
        database_url=database_url,
        **{"circles_notes_key": NOTES_KEY, "slack_timeout_seconds": SLACK_TIMEOUT, **overrides},
    )


def start_app(
    stack: contextlib.ExitStack,
    standin: SlackStandIn,
    folder: Path,
    database_url: str | None = None,
    migrate: bool = True,
    sending: bool = False,
    **overrides: Any,
) -> RunningApp:
    """Start the app with these settings overrides, its database in `folder` unless one is given;
    everything started is stopped when `stack` closes."""
    at_head = False  # a copy of the migrated template needs no upgrade
    if not database_url:
        database_url, at_head = _default_database(folder, migrate)
    settings = app_settings(standin, database_url, **overrides)
    db = Database(settings.database_url)
    stack.callback(db.dispose)
    if migrate and not at_head:
        upgrade(db.engine)
    # The stand-in enforces whatever limits a test sets; real pacing would only slow the suite.
    # Slack's failures are tried again as often as in `circles run`, after a twentieth of a second, not
    # after slack_sdk's back-off: two and a half seconds on average for a call that keeps failing.
    deps = replace(build_deps(settings, db), pacer=Pacer.unpaced(), retry_pause=QUICK_RETRY)
    activity = Activity()
    if sending:  # what listeners record is sent at once, as `circles run` does
        stack.enter_context(woken_sender(deps, activity))
    app = create_app(deps)
    activity.watch(app)
    activity.also_busy_while(completion.retrying)  # a step's completion tried again
    # Work a request started ends before the test does: a listener still running would call a
    # stand-in that has stopped, and log its error into whichever test runs next.
    stack.callback(activity.wait_idle, 10)
    standin.clear()  # forget Bolt's auth.test at start-up: tests look at what requests cause
    wsgi = CirclesWsgi(db, app, signing_secret=SIGNING_SECRET)
    base_url = stack.enter_context(served_in_thread(wsgi))
    signer = Signer(SIGNING_SECRET, standin=standin)
    return RunningApp(base_url, standin, signer, db, settings, activity)


@contextlib.contextmanager
def woken_sender(deps: Deps, activity: Activity) -> Iterator[None]:
    """A dispatcher that sends whenever a listener wakes it, within no rate limits but the stand-in's."""
    woken, sending, stopping = threading.Event(), threading.Event(), threading.Event()

    def send() -> None:
        while woken.wait() and not stopping.is_set():
            sending.set()  # before clearing woken, so that the sender never looks idle in between
            woken.clear()
            try:
                dispatch(deps, deps.clock(), options=DispatchOptions(limits=SlackLimits.none()))
            finally:
                sending.clear()

    sender = threading.Thread(target=send, name="test-sender", daemon=True)
    deps.waker.attach(woken.set)
    activity.also_busy_while(lambda: woken.is_set() or sending.is_set())
    sender.start()
    try:
        yield
    finally:
        stopping.set()
        woken.set()
        sender.join(timeout=10)


@pytest.fixture
def running(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return serve_app()


def coaching_pair(app: RunningApp, *, reachable_coach: bool = False, users: tuple[str, ...] = ()) -> None:
    """A cohort `pgy1` in coach–learner mode: facilitator U0FAC, coach U0COACH and learner U0LEARN paired,
    all known to the stand-in (with `users` besides). A `reachable_coach` keeps no quiet hours, so their
    notices are due at once whatever the hour the test runs."""
    with app.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, co, "U0FAC")
        factories.member(uow.session, co, "U0COACH", Role.COACH)
        factories.member(uow.session, co, "U0LEARN", Role.LEARNER)
        factories.partnership(uow.session, "U0COACH", "U0LEARN")
        if reachable_coach:
            factories.profile(uow.session, ws, "U0COACH", "UTC").quiet_hours = ""
        uow.commit()
    for user in ("U0FAC", "U0COACH", "U0LEARN", *users):
        app.standin.add_user(user)
