"""Slack's token rotation with several replicas on one database: a bot token that expires, refreshed once
with a refresh token that then stops working."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation

from bot.deps import Deps, build_deps
from bot.dispatch import dispatch
from bot.gateway import Clients
from bot.pacing import Pacer
from circles.persistence.db import Database
from circles.services.intake.workspaces import find_workspace
from circles.settings import Settings
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, plain, posts, record, rows

CLIENT_ID, CLIENT_SECRET, TEAM = "111.222", "rotation-secret", "T0001"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        running.client_id, running.client_secret = CLIENT_ID, CLIENT_SECRET
        running.token_expires_in = 12 * 3600  # Slack's rotating tokens last twelve hours
        yield running


def replica(db: Database, standin: SlackStandIn) -> Deps:
    """One process of the app in OAuth mode on this database (its own engine, as another process has)."""
    settings = Settings(
        _env_file=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_signing_secret="rotation-signing-secret",
        slack_api_url=standin.api_url,
        database_url=str(db.engine.url.render_as_string(hide_password=False)),
    )
    return replace(build_deps(settings, Database(settings.database_url)), pacer=Pacer.unpaced())


@pytest.fixture
def replicas(db: Database, standin: SlackStandIn) -> Iterator[list[Deps]]:
    """Two processes of the app on the same database."""
    made = [replica(db, standin) for _ in range(2)]
    yield made
    for deps in made:
        deps.db.dispose()


def install_rotating(deps: Deps, standin: SlackStandIn, seconds_left: int = 600) -> str:
    """Install in TEAM with token rotation on; returns the refresh token Slack gave."""
    answer = WebClient(base_url=standin.api_url).oauth_v2_access(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code="abc"
    )
    assert deps.installation_store is not None
    deps.installation_store.save(
        Installation(
            app_id="A0APP",
            team_id=TEAM,
            user_id="U0INSTALLER",
            bot_token=answer["access_token"],
            bot_refresh_token=answer["refresh_token"],
            bot_token_expires_in=seconds_left,  # by default installed long ago: due for refresh
            bot_user_id="U0BOT",
        )
    )
    return str(answer["refresh_token"])


def refreshes(standin: SlackStandIn) -> list[str]:
    """How each refresh Slack was asked for ended."""
    calls = [c for c in standin.calls("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]
    return [c.response.get("error", "ok") for c in calls]


def test_two_replicas_finding_the_token_due_at_once_refresh_it_once_and_both_send_with_the_new_one(
    replicas: list[Deps], standin: SlackStandIn
) -> None:
    install_rotating(replicas[0], standin)
    standin.faults.set_latency("oauth.v2.access", 0.3)  # both read the old token before either refresh ends
    tokens: list[str] = []
    errors: list[BaseException] = []

    def send(deps: Deps) -> None:
        try:
            tokens.append(Clients(deps.settings, deps.installation_store).for_team(TEAM).token or "")
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=send, args=(deps,)) for deps in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert refreshes(standin) == ["ok"]  # one refresh: the second replica used the token the first stored
    [issued] = [c for c in standin.calls("oauth.v2.access") if c.args.get("grant_type")]
    assert tokens == [issued.response["access_token"]] * 2
    stored = replicas[1].installation_store.find_installation(enterprise_id=None, team_id=TEAM)  # type: ignore[union-attr]
    assert stored is not None
    assert stored.bot_refresh_token == issued.response["refresh_token"]


def test_a_refresh_slack_refuses_holds_the_workspaces_messages_with_one_log_line(
    replicas: list[Deps], standin: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    deps = replicas[0]
    install_rotating(deps, standin)
    standin.workspace.refresh_tokens.clear()  # Slack no longer knows the refresh token
    record(deps.db, [plain(f"prompt:{n}", f"C0CIRCLE{n}") for n in range(3)], team_id=TEAM)

    with caplog.at_level(logging.INFO):
        first = dispatch(deps, NOW, options=UNPACED)
        second = dispatch(deps, NOW, options=UNPACED)

    assert (first.failed, second.failed, second.claimed) == (0, 0, 0)
    assert {row.status.value for row in rows(deps.db).values()} == {"pending"}  # they wait, not lost
    assert posts(standin) == {}
    said = [r.getMessage() for r in caplog.records if "refresh" in r.getMessage()]
    assert len(said) == 1
    assert TEAM in said[0]
    with deps.db.reading() as uow:
        workspace = find_workspace(uow.session, TEAM)
        assert workspace is not None
        assert workspace.uninstalled_at is not None


def test_a_token_slack_calls_expired_is_refreshed_once_and_each_message_sent_once_from_two_replicas(
    replicas: list[Deps], standin: SlackStandIn
) -> None:
    install_rotating(replicas[0], standin, seconds_left=10 * 3600)  # by our clock, far from expiring
    expired = standin.last("oauth.v2.access").response["access_token"]
    standin.expired_tokens.add(expired)  # Slack's clock and ours disagree: it has expired already
    standin.set_latency("chat.postMessage", 0.05)  # both replicas meet the expired token
    keys = [f"prompt:{n}" for n in range(6)]
    record(replicas[0].db, [plain(key, f"C0CIRCLE{n}") for n, key in enumerate(keys)], team_id=TEAM)

    summaries = []
    threads = [
        threading.Thread(target=lambda d=deps: summaries.append(dispatch(d, NOW, options=UNPACED)))
        for deps in replicas
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert posts(standin) == dict.fromkeys(keys, 1)  # every message reached Slack, once
    assert {row.status.value for row in rows(replicas[0].db).values()} == {"sent"}
    assert refreshes(standin) == ["ok"]  # one refresh for both replicas
    [issued] = [c for c in standin.calls("oauth.v2.access") if c.args.get("grant_type")]
    taken = [c for c in standin.calls("chat.postMessage") if c.response.get("ok")]
    assert {c.token for c in taken} == {issued.response["access_token"]}
    assert sum(s.failed for s in summaries) == 0


def test_a_token_slack_calls_expired_whose_refresh_is_refused_holds_the_workspaces_messages(
    replicas: list[Deps], standin: SlackStandIn
) -> None:
    deps = replicas[0]
    install_rotating(deps, standin, seconds_left=10 * 3600)
    standin.expired_tokens.add(standin.last("oauth.v2.access").response["access_token"])
    standin.workspace.refresh_tokens.clear()  # Slack no longer knows the refresh token either
    record(deps.db, [plain(f"prompt:{n}", f"C0CIRCLE{n}") for n in range(3)], team_id=TEAM)

    summary = dispatch(deps, NOW, options=UNPACED)

    assert summary.failed == 0
    assert {row.status.value for row in rows(deps.db).values()} == {"pending"}  # they wait, not lost
    assert posts(standin) == {}
    with deps.db.reading() as uow:
        workspace = find_workspace(uow.session, TEAM)
        assert workspace is not None
        assert workspace.uninstalled_at is not None


def test_one_workspaces_failing_refresh_holds_up_no_other_and_is_asked_again_only_after_a_rest(
    replicas: list[Deps], standin: SlackStandIn
) -> None:
    deps = replicas[0]
    install_rotating(deps, standin)  # due for refresh, which Slack now answers slowly, with a 500
    assert deps.installation_store is not None
    deps.installation_store.save(
        Installation(
            app_id="A0APP", team_id="T0OTHER", user_id="U0X", bot_token="xoxb-other", bot_user_id="U0B"
        )
    )
    record(deps.db, [plain(f"a:{n}", f"C0A{n}") for n in range(8)], team_id=TEAM)
    record(deps.db, [plain(f"b:{n}", f"C0B{n}") for n in range(8)], team_id="T0OTHER")
    standin.faults.set_latency("oauth.v2.access", 1.5)
    standin.faults.fail("oauth.v2.access", status=500, times=None)

    began = time.time()
    dispatch(deps, NOW, options=UNPACED)

    others = [
        call.at - began
        for call in standin.calls("chat.postMessage")
        if call.args.get("channel", "").startswith("C0B")
    ]
    assert len(others) == 8
    # Not queued behind the other workspace's refresh: each went before that refresh could be answered
    # (1.5 s after it reached Slack), however busy the machine running the test is.
    [asked] = [
        c.at - began for c in standin.calls("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"
    ]
    assert max(others) < asked + 1.5
    assert len(refreshes(standin)) == 1  # its other messages met the same failure at once
    assert {
        key: row.status.value for key, row in rows(deps.db).items() if key.startswith("a:")
    } == dict.fromkeys((f"a:{n}" for n in range(8)), "pending")
