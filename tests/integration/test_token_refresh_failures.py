"""A token refresh that fails for a reason other than the refresh token (Slack refusing the app's own
credentials after its client secret was regenerated, an outage) says nothing about any one message: the
tenant's messages go with the current token while it works, and wait untried once it has expired, never
failed for good one by one."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.deps import Deps
from bot.dispatch import dispatch
from circles.persistence.db import Database
from circles.services.intake.workspaces import find_workspace
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, plain, posts, record, rows
from tests.e2e.conftest import NOTES_KEY
from tests.e2e.harness import run_circles
from tests.integration.test_token_rotation import (
    CLIENT_ID,
    CLIENT_SECRET,
    TEAM,
    install_rotating,
    refreshes,
    replicas,
    standin,
)

__all__ = ["replicas", "standin"]  # the fixtures of the token rotation tests
CREDENTIALS_REFUSED = ["bad_client_secret", "invalid_client_id"]


def refresh_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "refresh" in r.getMessage()]


def still_installed(deps: Deps) -> bool:
    with deps.db.reading() as uow:
        workspace = find_workspace(uow.session, TEAM)
        return workspace is not None and workspace.uninstalled_at is None


@pytest.mark.parametrize("code", CREDENTIALS_REFUSED)
def test_a_refresh_refused_for_the_apps_credentials_sends_with_the_current_token_and_says_so_once(
    replicas: list[Deps], standin: SlackStandIn, caplog: pytest.LogCaptureFixture, code: str
) -> None:
    deps = replicas[0]
    install_rotating(deps, standin)  # ten minutes left: due for refresh, still good
    current = standin.last("oauth.v2.access").response["access_token"]
    standin.faults.error("oauth.v2.access", code, times=None)
    record(deps.db, [plain(f"prompt:{n}", f"C0CIRCLE{n}") for n in range(3)], team_id=TEAM)

    with caplog.at_level(logging.INFO):
        first = dispatch(deps, NOW, options=UNPACED)
        record(deps.db, [plain("later", "C0LATER")], team_id=TEAM)
        second = dispatch(deps, NOW, options=UNPACED)

    assert (first.failed, second.failed) == (0, 0)
    assert posts(standin) == dict.fromkeys(["prompt:0", "prompt:1", "prompt:2", "later"], 1)
    assert {c.token for c in standin.calls("chat.postMessage")} == {current}
    assert refreshes(standin) == [code]  # asked once: not again for each message, nor the next pass
    [said] = refresh_lines(caplog)
    assert TEAM in said
    assert code in said
    assert CLIENT_SECRET not in caplog.text
    assert current not in caplog.text
    assert still_installed(deps)


@pytest.mark.parametrize("code", [*CREDENTIALS_REFUSED, "internal_error"])
def test_an_expired_token_slack_would_not_refresh_holds_its_messages_untried(
    replicas: list[Deps], standin: SlackStandIn, caplog: pytest.LogCaptureFixture, code: str
) -> None:
    deps = replicas[0]
    install_rotating(deps, standin, seconds_left=-60)  # expired a minute ago
    if code == "internal_error":  # what the stand-in's 500 says: an outage
        standin.faults.fail("oauth.v2.access", status=500, times=None)
    else:
        standin.faults.error("oauth.v2.access", code, times=None)
    record(deps.db, [plain(f"prompt:{n}", f"C0CIRCLE{n}") for n in range(3)], team_id=TEAM)

    with caplog.at_level(logging.INFO):
        first = dispatch(deps, NOW, options=UNPACED)
        second = dispatch(deps, NOW, options=UNPACED)

    assert (first.failed, second.failed) == (0, 0)
    assert posts(standin) == {}
    assert {(row.status.value, row.attempts) for row in rows(deps.db).values()} == {("pending", 0)}
    assert len(refreshes(standin)) == 1  # the next pass does not ask again at once
    [said] = refresh_lines(caplog)
    assert TEAM in said
    assert code in said
    assert still_installed(deps)


@pytest.mark.parametrize("code", CREDENTIALS_REFUSED)
def test_a_token_slack_calls_expired_whose_refresh_is_refused_for_the_apps_credentials_holds_its_messages(
    replicas: list[Deps], standin: SlackStandIn, code: str
) -> None:
    deps = replicas[0]
    install_rotating(deps, standin, seconds_left=10 * 3600)  # by our clock, far from expiring
    standin.expired_tokens.add(standin.last("oauth.v2.access").response["access_token"])
    standin.faults.error("oauth.v2.access", code, times=None)
    record(deps.db, [plain(f"prompt:{n}", f"C0CIRCLE{n}") for n in range(3)], team_id=TEAM)

    summary = dispatch(deps, NOW, options=UNPACED)

    assert summary.failed == 0
    assert {(row.status.value, row.attempts) for row in rows(deps.db).values()} == {("pending", 0)}
    assert refreshes(standin) == [code]
    assert still_installed(deps)


@pytest.mark.parametrize("seconds_left", [600, -60], ids=["still good", "expired"])
def test_a_one_shot_tick_whose_refresh_is_refused_for_the_apps_credentials_says_so_in_one_line(
    db: Database, replicas: list[Deps], standin: SlackStandIn, seconds_left: int, tmp_path: Path
) -> None:
    deps = replicas[0]
    install_rotating(deps, standin, seconds_left=seconds_left)
    standin.faults.error("oauth.v2.access", "bad_client_secret", times=None)
    record(deps.db, [plain(f"prompt:{n}", f"C0CIRCLE{n}") for n in range(2)], team_id=TEAM)

    ticked = run_circles(
        "tick",
        "--now",
        NOW.isoformat(),
        cwd=tmp_path,
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_SIGNING_SECRET="rotation-signing-secret",
        SLACK_API_URL=standin.api_url,
        DATABASE_URL=str(db.engine.url.render_as_string(hide_password=False)),
        CIRCLES_NOTES_KEY=NOTES_KEY,
    )

    assert ticked.returncode == 0, ticked.stderr
    assert "Traceback" not in ticked.stderr
    said = [line for line in ticked.stderr.splitlines() if "refresh" in line]
    assert len(said) == 1, ticked.stderr
    assert TEAM in said[0]
    assert "bad_client_secret" in said[0]
    assert CLIENT_SECRET not in ticked.stderr
    expected = {"sent"} if seconds_left > 0 else {"pending"}
    assert {row.status.value for row in rows(deps.db).values()} == expected
