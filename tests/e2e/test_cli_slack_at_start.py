"""`circles run` when Slack answers auth.test at start with something other than yes: one line, and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from standin import SlackStandIn
from tests.databases import migrated_sqlite_url
from tests.e2e.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.e2e.harness import free_port, run_circles

pytestmark = pytest.mark.early  # seconds of the Slack client retrying at start


def started(role: str, folder: Path, api_url: str) -> tuple[int, list[str], str]:
    """The exit status, the `circles:` lines and all of stderr of `circles run --role <role>`."""
    migrated_sqlite_url(folder)  # at the latest schema: Slack's answer at start is under test, not migrating
    result = run_circles(
        "run",
        "--role",
        role,
        cwd=folder,
        timeout=120,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        PORT=str(free_port()),
    )
    return (
        result.returncode,
        [line for line in result.stderr.splitlines() if line.startswith("circles: ")],
        result.stderr,
    )


@pytest.mark.parametrize("role", ["all", "worker"])
def test_a_slack_failing_at_start_is_named_in_one_line_not_blamed_on_the_token(
    role: str, tmp_path: Path, standin: SlackStandIn
) -> None:
    standin.faults.fail("auth.test", status=500, times=None)
    status, lines, stderr = started(role, tmp_path, standin.api_url)
    assert status == 2
    assert lines == [
        f"circles: Slack at {standin.api_url} (SLACK_API_URL) answered auth.test with internal_error: "
        "try again shortly"
    ]
    assert "Traceback" not in stderr
    assert "The server responded with" not in stderr  # slack_sdk's second line, once printed as ours


@pytest.mark.parametrize("role", ["all", "worker"])
def test_a_deactivated_workspace_is_named_as_slack_said_it(
    role: str, tmp_path: Path, standin: SlackStandIn
) -> None:
    standin.faults.error("auth.test", "account_inactive", times=None)
    status, lines, stderr = started(role, tmp_path, standin.api_url)
    assert status == 2
    assert lines == [
        "circles: SLACK_BOT_TOKEN was refused by Slack (account_inactive): "
        "copy it again from OAuth & Permissions"
    ]
    assert BOT_TOKEN not in stderr


def test_an_address_that_is_not_slack_says_to_check_it(tmp_path: Path, standin: SlackStandIn) -> None:
    elsewhere = standin.api_url.rstrip("/").rsplit("/", 1)[0] + "/not-slack/"
    status, lines, _ = started("worker", tmp_path, elsewhere)
    assert status == 2
    assert lines == [
        f"circles: {elsewhere} (SLACK_API_URL) does not answer as Slack's Web API does: check it"
    ]
