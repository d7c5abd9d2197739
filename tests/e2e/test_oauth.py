"""Several workspaces: installing through /slack/install, then each workspace served with its own token."""

from __future__ import annotations

import base64
import contextlib
import html
import io
import logging
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import Row, text

from bot import logs
from bot.app import create_app
from bot.deps import Deps, build_deps
from bot.scopes import BOT_SCOPES
from bot.web import CirclesWsgi
from circles.persistence.db import Database
from circles.persistence.migrate import upgrade
from circles.persistence.models import Workspace
from circles.services.intake.workspaces import find_workspace
from circles.settings import Mode, Settings
from standin import Call, SignedRequest, Signer, SlackStandIn, post
from tests.databases import migrated_sqlite_url
from tests.e2e.conftest import NOTES_KEY, SIGNING_SECRET
from tests.e2e.harness import served_in_thread
from tests.e2e.settling import Activity

CLIENT_ID = "111.222"
CLIENT_SECRET = "e2e-client-secret"
NEW_TEAM = "T0NEW"
STATE_COOKIE = "slack-app-oauth-state"  # slack_sdk's OAuthStateUtils.default_cookie_name
REINSTALL_NOTICE = "your installation with this app is no longer available"  # Bolt's words


@dataclass
class OAuthApp:
    """The app in OAuth mode, served on a free local port, with what a test needs to talk to it."""

    base_url: str
    standin: SlackStandIn
    signer: Signer
    db: Database
    deps: Deps

    def get(self, path: str, cookie: str | None = None) -> tuple[int, Message, str]:
        headers = {"Cookie": cookie} if cookie else {}
        request = urllib.request.Request(f"{self.base_url}{path}", headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read().decode()

    def post(self, request: SignedRequest) -> tuple[int, bytes]:
        status, _headers, body = post(f"{self.base_url}/slack/events", request)
        return status, body

    def rows(self, table: str) -> list[Row[Any]]:
        with self.db.engine.connect() as connection:
            return list(connection.execute(text(f"SELECT * FROM {table}")))


@pytest.fixture
def oauth_app(standin: SlackStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OAuthApp]:
    """The app with a client id and secret, whose installs land in team T0NEW of the stand-in."""
    with served_oauth(standin, migrated_sqlite_url(tmp_path), monkeypatch) as app:
        yield app


@contextlib.contextmanager
def served_oauth(
    standin: SlackStandIn, database_url: str, monkeypatch: pytest.MonkeyPatch, **overrides: Any
) -> Iterator[OAuthApp]:
    """The app in OAuth mode on this database (migrated here), with these settings overrides, served until
    the block ends."""
    for name in [n for n in os.environ if n.startswith("SLACK_")]:
        monkeypatch.delenv(name)  # Bolt reads SLACK_* settings from the environment too
    standin.client_id, standin.client_secret = CLIENT_ID, CLIENT_SECRET
    standin.oauth_team_id = NEW_TEAM
    standin.add_team(NEW_TEAM, name="New Team")
    settings = Settings(
        _env_file=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=standin.api_url,
        database_url=database_url,
        circles_notes_key=NOTES_KEY,  # what every process sharing the database must hold
        **overrides,
    )
    assert settings.mode is Mode.OAUTH
    db = Database(settings.database_url)
    upgrade(db.engine)
    deps = build_deps(settings, db)
    app = create_app(deps)
    activity = Activity()
    activity.watch(app)
    try:
        with served_in_thread(CirclesWsgi(db, app, signing_secret=SIGNING_SECRET)) as base_url:
            yield OAuthApp(base_url, standin, Signer(SIGNING_SECRET, standin=standin), db, deps)
    finally:
        # As serve_app: work a request started ends with the test, not calling a stopped stand-in (and
        # logging that into whichever test runs next).
        try:
            activity.wait_idle(10)
        finally:
            db.dispose()


@dataclass(frozen=True)
class InstallPage:
    """What a browser gets from /slack/install."""

    status: int
    html: str
    authorize_url: str  # the "Add to Slack" link
    cookie: str  # the whole Set-Cookie header
    state: str  # the value the cookie holds


def open_install_page(app: OAuthApp) -> InstallPage:
    """GET /slack/install as a browser would."""
    status, headers, page = app.get("/slack/install")
    [href] = re.findall(r'<a href="([^"]+)">', page)
    [cookie] = headers.get_all("Set-Cookie") or []
    name, _, rest = cookie.partition("=")
    assert name == STATE_COOKIE
    return InstallPage(status, page, html.unescape(href), cookie, rest.split(";")[0])


def come_back_from_slack(app: OAuthApp, query: dict[str, str], cookie_state: str | None) -> tuple[int, str]:
    """The browser's return to /slack/oauth_redirect, carrying the state cookie when given."""
    cookie = f"{STATE_COOKIE}={cookie_state}" if cookie_state is not None else None
    status, _headers, page = app.get(f"/slack/oauth_redirect?{urlencode(query)}", cookie=cookie)
    return status, page


def install(app: OAuthApp) -> str:
    """Go through the whole flow; returns the bot token Slack issued for T0NEW."""
    state = open_install_page(app).state
    status, page = come_back_from_slack(app, {"code": "abc", "state": state}, state)
    assert status == 200, page
    token: str = app.standin.last("oauth.v2.access").response["access_token"]
    return token


def basic_credentials(call: Call) -> tuple[str, str]:
    """The client id and secret slack_sdk sent in the Authorization header."""
    scheme, _, encoded = call.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
    return client_id, secret


def poll(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for work Bolt does after acknowledging (listeners run on its thread pool)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        time.sleep(0.02)


def test_the_install_page_links_to_slack_with_our_client_id_scopes_and_a_fresh_state(
    oauth_app: OAuthApp,
) -> None:
    page = open_install_page(oauth_app)
    assert page.status == 200
    assert 'alt="Add to Slack"' in page.html
    url = urlsplit(page.authorize_url)
    assert (url.scheme, url.netloc, url.path) == ("https", "slack.com", "/oauth/v2/authorize")
    query = parse_qs(url.query, keep_blank_values=True)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"][0].split(",") == list(BOT_SCOPES)
    assert query.get("user_scope", [""]) == [""]  # a bot install: no user token is asked for
    assert query["state"] == [page.state]
    assert "HttpOnly" in page.cookie
    assert "Path=/" in page.cookie
    [stored] = oauth_app.rows("slack_oauth_states")
    assert stored.state == page.state
    assert open_install_page(oauth_app).state != page.state  # every visit gets its own state


def test_finishing_the_install_exchanges_the_code_and_stores_the_workspace_bot_token(
    oauth_app: OAuthApp,
) -> None:
    state = open_install_page(oauth_app).state
    status, page = come_back_from_slack(oauth_app, {"code": "abc", "state": state}, state)
    assert status == 200
    assert "Thank you!" in page
    assert f"slack://app?team={NEW_TEAM}&amp;id=" in page
    exchange = oauth_app.standin.last("oauth.v2.access")
    assert exchange.args["code"] == "abc"
    assert basic_credentials(exchange) == (CLIENT_ID, CLIENT_SECRET)
    assert exchange.response["ok"] is True
    token = exchange.response["access_token"]
    assert oauth_app.standin.last("auth.test").token == token  # Bolt asks who the new bot is
    [installation] = oauth_app.rows("slack_installations")
    assert installation.client_id == CLIENT_ID
    assert installation.team_id == NEW_TEAM
    assert installation.bot_token == token
    assert installation.bot_user_id == "U0NEWBOT"
    assert installation.bot_id == "B0NEWBOT"
    [bot] = oauth_app.rows("slack_bots")
    assert (bot.team_id, bot.bot_token) == (NEW_TEAM, token)


def test_a_command_from_the_installed_workspace_is_answered_using_its_own_token(oauth_app: OAuthApp) -> None:
    token = install(oauth_app)
    oauth_app.standin.clear()
    status, body = oauth_app.post(
        oauth_app.signer.slash_command("help", user_id="U0NEWBIE", team_id=NEW_TEAM)
    )
    assert (status, body) == (200, b"")
    [answer] = oauth_app.standin.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert "/circles join &lt;cohort&gt;" in str(answer.args["blocks"])
    [lookup] = oauth_app.standin.calls("users.info")
    assert lookup.token == token
    assert lookup.args["user"] == "U0NEWBIE"
    assert {call.token for call in oauth_app.standin.calls() if call.method != "response_url"} == {token}


def test_a_command_from_a_workspace_that_never_installed_gets_only_the_reinstall_notice(
    oauth_app: OAuthApp,
) -> None:
    install(oauth_app)
    oauth_app.standin.clear()
    status, body = oauth_app.post(
        oauth_app.signer.slash_command("help", user_id="U0STRANGER", team_id="T0OTHER")
    )
    assert (status, body) == (200, b"")  # Bolt acknowledges, then answers on the response_url
    [answer] = oauth_app.standin.wait_for("response_url")
    assert REINSTALL_NOTICE in answer.args["text"]
    assert "blocks" not in answer.args  # not the help
    assert [call.method for call in oauth_app.standin.calls()] == ["response_url"]  # no users.info


def test_an_event_from_a_workspace_that_never_installed_is_acknowledged_and_ignored(
    oauth_app: OAuthApp,
) -> None:
    status, body = oauth_app.post(oauth_app.signer.app_home_opened("U0STRANGER", team_id="T0OTHER"))
    assert status == 200
    assert REINSTALL_NOTICE in body.decode()  # Bolt's answer; Slack shows nothing for events
    assert oauth_app.standin.calls() == []


@pytest.mark.parametrize(
    ("query", "cookie", "status", "reason"),
    [
        pytest.param({"code": "abc"}, "{state}", 400, "invalid_browser", id="state-missing"),
        pytest.param({"code": "abc", "state": "{state}"}, None, 400, "invalid_browser", id="cookie-missing"),
        pytest.param(
            {"code": "abc", "state": "{state}"},
            "{other}",
            400,
            "invalid_browser",
            id="cookie-of-another-visit",
        ),
        pytest.param(
            {"code": "abc", "state": "forged"}, "forged", 401, "invalid_state", id="state-never-issued"
        ),
        pytest.param({"state": "{state}"}, "{state}", 401, "missing_code", id="code-missing"),
        pytest.param(
            {"error": "access_denied", "state": "{state}"}, "{state}", 200, "access_denied", id="cancelled"
        ),
    ],
)
def test_a_redirect_that_does_not_match_an_install_started_here_fails_and_stores_nothing(
    oauth_app: OAuthApp, query: dict[str, str], cookie: str | None, status: int, reason: str
) -> None:
    state = open_install_page(oauth_app).state
    other = open_install_page(oauth_app).state  # another browser's visit
    query = {key: value.format(state=state, other=other) for key, value in query.items()}
    cookie = cookie.format(state=state, other=other) if cookie is not None else None
    answered, page = come_back_from_slack(oauth_app, query, cookie)
    assert answered == status
    assert "Oops, Something Went Wrong!" in page
    assert f"reason: {reason}" in page
    assert oauth_app.standin.calls("oauth.v2.access") == []
    assert oauth_app.rows("slack_installations") == []
    assert oauth_app.rows("slack_bots") == []


def test_a_state_cannot_be_used_twice(oauth_app: OAuthApp) -> None:
    state = open_install_page(oauth_app).state
    assert come_back_from_slack(oauth_app, {"code": "abc", "state": state}, state)[0] == 200
    status, page = come_back_from_slack(oauth_app, {"code": "again", "state": state}, state)
    assert status == 401
    assert "reason: invalid_state" in page
    assert len(oauth_app.standin.calls("oauth.v2.access")) == 1
    assert len(oauth_app.rows("slack_installations")) == 1


def test_installing_records_the_workspace_with_its_name(oauth_app: OAuthApp) -> None:
    install(oauth_app)
    with oauth_app.db.unit_of_work() as uow:
        workspace = find_workspace(uow.session, NEW_TEAM)
        assert isinstance(workspace, Workspace)
        assert workspace.name
        assert workspace.uninstalled_at is None


def test_uninstalling_forgets_the_workspace_tokens_and_marks_it_uninstalled(oauth_app: OAuthApp) -> None:
    install(oauth_app)
    status, _ = oauth_app.post(oauth_app.signer.event({"type": "app_uninstalled"}, team_id=NEW_TEAM))
    assert status == 200
    poll(lambda: not oauth_app.rows("slack_installations") and not oauth_app.rows("slack_bots"))
    with oauth_app.db.unit_of_work() as uow:
        workspace = find_workspace(uow.session, NEW_TEAM)
        assert isinstance(workspace, Workspace)
        assert workspace.uninstalled_at is not None
    oauth_app.standin.clear()
    oauth_app.post(oauth_app.signer.slash_command("help", user_id="U0NEWBIE", team_id=NEW_TEAM))
    [answer] = oauth_app.standin.wait_for("response_url")
    assert REINSTALL_NOTICE in answer.args["text"]


def test_reinstalling_after_an_uninstall_marks_the_workspace_installed_again(oauth_app: OAuthApp) -> None:
    install(oauth_app)
    oauth_app.post(oauth_app.signer.event({"type": "app_uninstalled"}, team_id=NEW_TEAM))
    poll(lambda: not oauth_app.rows("slack_installations"))
    install(oauth_app)
    with oauth_app.db.unit_of_work() as uow:
        workspace = find_workspace(uow.session, NEW_TEAM)
        assert isinstance(workspace, Workspace)
        assert workspace.uninstalled_at is None


def test_a_revoked_bot_token_is_never_used_again(oauth_app: OAuthApp) -> None:
    install(oauth_app)
    event = {"type": "tokens_revoked", "tokens": {"bot": ["U0NEWBOT"]}}
    status, _ = oauth_app.post(oauth_app.signer.event(event, team_id=NEW_TEAM))
    assert status == 200
    poll(lambda: not oauth_app.rows("slack_installations") and not oauth_app.rows("slack_bots"))
    oauth_app.standin.clear()
    oauth_app.post(oauth_app.signer.slash_command("help", user_id="U0NEWBIE", team_id=NEW_TEAM))
    [answer] = oauth_app.standin.wait_for("response_url")
    assert REINSTALL_NOTICE in answer.args["text"]
    assert [call.method for call in oauth_app.standin.calls()] == ["response_url"]


def test_installs_and_refreshes_leave_no_code_token_or_secret_in_the_debug_log(oauth_app: OAuthApp) -> None:
    buffer = io.StringIO()
    root, level = logging.getLogger(), logging.getLogger().level
    handler = logs.configure(level=logging.DEBUG, stream=buffer)  # as `circles run --log-level debug`
    logs.keep_out_of_logs(oauth_app.deps.settings)
    try:
        oauth_app.standin.token_expires_in = 600  # rotating, and due for refresh at once
        state = open_install_page(oauth_app).state
        assert come_back_from_slack(oauth_app, {"code": "MARKER-CODE-GOOD", "state": state}, state)[0] == 200
        oauth_app.standin.error("oauth.v2.access", "invalid_code")
        state = open_install_page(oauth_app).state
        assert come_back_from_slack(oauth_app, {"code": "MARKER-CODE-BAD", "state": state}, state)[0] == 401
        store = oauth_app.deps.installation_store
        assert store is not None
        assert store.find_installation(enterprise_id=None, team_id=NEW_TEAM) is not None  # refreshed
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    logged = buffer.getvalue()
    assert "installation failed: invalid_code" in logged  # the log was written
    assert "refresh_token" in logged
    for secret in ("MARKER-CODE", "xoxb-", "xoxe", CLIENT_SECRET, SIGNING_SECRET):
        assert secret not in logged
