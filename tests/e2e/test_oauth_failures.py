"""An install that cannot finish (Slack unreachable or failing, the database failing, no bot token in Slack's
answer, a state used twice at once) ends in a page telling the person it did not finish and to try again,
keeps nothing of itself, and leaves the workspace as it was."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from bot import logs
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from standin import SlackStandIn
from tests.databases import counted, migrated_postgres, migrated_sqlite_url
from tests.e2e.test_oauth import (
    NEW_TEAM,
    REINSTALL_NOTICE,
    OAuthApp,
    come_back_from_slack,
    install,
    open_install_page,
    poll,
    served_oauth,
)
from tests.e2e.test_revoked_tokens import removed, send, statuses, waiting_notice

CODE = "MARKER-CODE-1234"
NOT_FINISHED = "Circles was not installed"
TRY_AGAIN = 'href="/slack/install"'


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(
    request: pytest.FixtureRequest, standin: SlackStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OAuthApp]:
    """The app in OAuth mode, once on SQLite and once on PostgreSQL."""
    with database_url(request.param, tmp_path) as url, served_oauth(standin, url, monkeypatch) as app:
        yield app


@contextmanager
def database_url(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield migrated_sqlite_url(folder)
    else:
        with migrated_postgres() as url:
            yield url


@contextmanager
def failing(db: Database, fragment: str) -> Iterator[list[str]]:
    """Every statement holding `fragment` fails as a locked SQLite file or a PostgreSQL gone away does."""
    failed: list[str] = []

    def fail(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if fragment in statement:
            failed.append(statement)
            raise OperationalError(statement, None, Exception("database is locked"))

    event.listen(db.engine, "before_cursor_execute", fail)
    try:
        yield failed
    finally:
        event.remove(db.engine, "before_cursor_execute", fail)


def finish(app: OAuthApp, code: str = CODE) -> tuple[int, str]:
    """Open the install page, then come back from Slack with a code."""
    state = open_install_page(app).state
    return come_back_from_slack(app, {"code": code, "state": state}, state)


def our_troubles(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Warnings and errors of the app and the libraries it runs (the server's own queue notes aside)."""
    return [r for r in caplog.records if r.levelno >= logging.WARNING and not r.name.startswith("waitress")]


def assert_told_it_did_not_finish(status: int, page: str, caplog: pytest.LogCaptureFixture) -> None:
    assert status in (400, 502, 503), page
    assert NOT_FINISHED in page
    assert "try again" in page
    assert TRY_AGAIN in page
    assert "Traceback" not in page
    [logged] = our_troubles(caplog)
    assert logged.exc_info is None
    assert CODE not in caplog.text


def assert_nothing_kept(app: OAuthApp) -> None:
    assert app.rows("slack_installations") == []
    assert app.rows("slack_bots") == []
    assert app.rows("workspaces") == []


def answers_help(app: OAuthApp) -> bool:
    """Whether a command from the new workspace gets the help (not the reinstall notice)."""
    app.standin.clear()
    app.post(app.signer.slash_command("help", user_id="U0NEWBIE", team_id=NEW_TEAM))
    [answer] = app.standin.wait_for("response_url")
    return REINSTALL_NOTICE not in str(answer.args)


@pytest.mark.parametrize("status", [500, 503])
def test_slack_failing_the_code_exchange_ends_in_a_page_saying_to_try_again(
    app: OAuthApp, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    caplog.set_level(logging.INFO)
    app.standin.fail("oauth.v2.access", status=status, times=None)
    answered, page = finish(app)
    assert_told_it_did_not_finish(answered, page, caplog)
    assert answered == 502
    assert_nothing_kept(app)

    app.standin.clear_faults()
    install(app)
    assert answers_help(app)


def test_slack_unreachable_during_the_code_exchange_ends_in_a_page_saying_to_try_again(
    app: OAuthApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    state = open_install_page(app).state
    app.standin.stop()  # connections to Slack are refused
    answered, page = come_back_from_slack(app, {"code": CODE, "state": state}, state)
    assert_told_it_did_not_finish(answered, page, caplog)
    assert answered == 502
    assert_nothing_kept(app)


def test_slack_too_slow_to_answer_the_code_exchange_ends_in_a_page_saying_to_try_again(
    standin: SlackStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    standin.set_latency("oauth.v2.access", 2)
    with served_oauth(standin, migrated_sqlite_url(tmp_path), monkeypatch, slack_timeout_seconds=0.5) as app:
        answered, page = finish(app)
        assert_told_it_did_not_finish(answered, page, caplog)
        assert answered == 502
        assert_nothing_kept(app)


@pytest.mark.parametrize(
    "fragment",
    ["INSERT INTO slack_installations", "INSERT INTO slack_bots", "INSERT INTO workspaces"],
    ids=["saving the installation", "saving the bot", "recording the workspace"],
)
def test_the_database_failing_while_the_install_is_saved_ends_in_a_page_and_keeps_nothing(
    app: OAuthApp, caplog: pytest.LogCaptureFixture, fragment: str
) -> None:
    caplog.set_level(logging.INFO)
    with failing(app.db, fragment) as failed:
        answered, page = finish(app)
    assert failed
    assert_told_it_did_not_finish(answered, page, caplog)
    assert answered == 503
    assert_nothing_kept(app)
    assert not answers_help(app)  # not half installed: the workspace is told to install the app

    install(app)
    assert answers_help(app)


def test_the_database_failing_as_the_state_is_checked_ends_in_a_page_before_the_code_is_spent(
    app: OAuthApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    state = open_install_page(app).state
    with failing(app.db, "DELETE FROM slack_oauth_states"):
        answered, page = come_back_from_slack(app, {"code": CODE, "state": state}, state)
    assert_told_it_did_not_finish(answered, page, caplog)
    assert answered == 503
    assert app.standin.calls("oauth.v2.access") == []
    assert_nothing_kept(app)


def test_the_database_failing_as_the_install_page_opens_ends_in_a_page_not_an_error(
    app: OAuthApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with failing(app.db, "slack_oauth_states"):
        status, _headers, page = app.get("/slack/install")
    assert status == 503
    assert "Circles cannot be installed just now" in page
    assert "try again" in page
    [logged] = our_troubles(caplog)
    assert logged.exc_info is None


def test_an_install_without_a_bot_token_is_refused_and_keeps_nothing(
    app: OAuthApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    app.standin.oauth_bot_token = False
    answered, page = finish(app)
    assert_told_it_did_not_finish(answered, page, caplog)
    assert answered == 400
    assert "without its bot" in page
    assert_nothing_kept(app)


def test_an_install_without_a_bot_token_leaves_an_installed_workspace_working(app: OAuthApp) -> None:
    token = install(app)
    app.standin.oauth_bot_token = False
    assert finish(app)[0] == 400
    assert answers_help(app)
    assert {call.token for call in app.standin.calls("users.info")} == {token}


def test_an_install_without_a_bot_token_leaves_a_removed_workspace_messages_waiting(app: OAuthApp) -> None:
    install(app)
    app.post(app.signer.event({"type": "app_uninstalled"}, team_id=NEW_TEAM))
    poll(lambda: not app.rows("slack_installations"))
    waiting_notice(app.db, NEW_TEAM)

    app.standin.oauth_bot_token = False
    assert finish(app)[0] == 400
    send(app.deps)
    assert removed(app.db, NEW_TEAM)
    assert statuses(app.db) == [OutboxStatus.PENDING]  # waiting, not failed for want of a bot token

    app.standin.oauth_bot_token = True
    install(app)
    send(app.deps)
    assert statuses(app.db) == [OutboxStatus.SENT]


def test_one_state_brought_back_to_two_replicas_at_once_installs_once(
    app: OAuthApp, standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    standin.set_latency("oauth.v2.access", 0.3)  # the first is still exchanging when the second arrives
    state = open_install_page(app).state
    with served_oauth(standin, app.db.engine.url.render_as_string(hide_password=False), monkeypatch) as other:
        answers: list[tuple[int, str]] = []
        start = threading.Barrier(2)

        def come_back(replica: OAuthApp) -> None:
            start.wait()
            answers.append(come_back_from_slack(replica, {"code": CODE, "state": state}, state))

        threads = [threading.Thread(target=come_back, args=(each,)) for each in (app, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    assert sorted(status for status, _ in answers) == [200, 401]
    assert len(standin.calls("oauth.v2.access")) == 1
    assert len(app.rows("slack_installations")) == 1


def test_a_flood_of_visits_to_the_install_page_costs_one_write_each_and_nothing_else(app: OAuthApp) -> None:
    open_install_page(app)  # the first visit of a process also forgets expired states
    with counted(app.db) as statements:
        threads = [threading.Thread(target=open_install_page, args=(app,)) for _ in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    written = [s for s in statements if not s.startswith("BEGIN")]  # SQLite's BEGIN IMMEDIATE aside
    assert len(written) == 40
    assert all(s.startswith("INSERT INTO slack_oauth_states") for s in written)
    assert len(app.rows("slack_oauth_states")) == 41
    assert app.rows("slack_installations") == []


def test_with_debug_logs_from_the_start_installs_leave_no_code_in_the_log(
    standin: SlackStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = io.StringIO()
    root, level = logging.getLogger(), logging.getLogger().level
    handler = logs.configure(level=logging.DEBUG, stream=buffer)  # `circles run --log-level debug`
    try:
        with served_oauth(standin, migrated_sqlite_url(tmp_path), monkeypatch) as app:
            assert finish(app, "MARKER-CODE-GOOD")[0] == 200
            standin.error("oauth.v2.access", "invalid_code")
            assert finish(app, "MARKER-CODE-BAD")[0] == 401
            standin.fail("oauth.v2.access", status=503)
            assert finish(app, "MARKER-CODE-LOST")[0] == 502
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    logged = buffer.getvalue()
    assert "installed in T0NEW" in logged
    assert "installation failed: invalid_code" in logged
    assert "installation failed: slack_unavailable" in logged
    assert "MARKER-CODE" not in logged


def test_an_error_made_up_in_the_redirect_is_not_written_into_the_log(
    app: OAuthApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    forged = "access_denied\n2024-01-01 00:00:00 INFO bot.app installed in T0FORGED " + "x" * 4000
    status, _page = come_back_from_slack(app, {"error": forged}, None)
    assert status == 200
    [logged] = our_troubles(caplog)
    assert "\n" not in logged.getMessage()
    assert "T0FORGED" not in caplog.text
    assert len(logged.getMessage()) < 200

    come_back_from_slack(app, {"error": "access_denied"}, None)  # what Slack sends when someone cancels
    assert "installation failed: access_denied" in caplog.text
