"""`circles run` in Socket Mode at its start: an app token Slack refuses, a stop as soon as it connects."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from standin import SlackStandIn
from standin.socket_mode import SocketModeStandIn
from tests.databases import migrated_sqlite_url
from tests.e2e import processes
from tests.e2e.conftest import BOT_TOKEN
from tests.e2e.harness import CIRCLES, environment, free_port

APP_TOKEN = "xapp-1-A0CIRCLES1-1000-start-app-token"


@pytest.fixture
def socket_mode(standin: SlackStandIn) -> Iterator[SocketModeStandIn]:
    with SocketModeStandIn() as running:
        standin.socket_mode_url = running.url
        yield running


def socket_mode_run(folder: Path, standin: SlackStandIn) -> subprocess.Popen[str]:
    migrated_sqlite_url(folder)  # at the latest schema, made once for the run: the start is under test
    return processes.popen(
        [*CIRCLES, "run"],
        cwd=folder,
        env=environment(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_APP_TOKEN=APP_TOKEN,
            SLACK_API_URL=standin.api_url,
            PORT=str(free_port()),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.usefixtures("socket_mode")
def test_an_app_token_slack_refuses_stops_the_start_with_one_line_naming_it(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    standin.faults.error("apps.connections.open", "invalid_auth", times=None)
    run = socket_mode_run(tmp_path, standin)
    _, errors = run.communicate(timeout=60)
    assert run.returncode == 2
    assert [line for line in errors.splitlines() if line.startswith("circles: ")] == [
        "circles: SLACK_APP_TOKEN was refused by Slack (invalid_auth): "
        "copy it again from Basic Information, App-Level Tokens"
    ]
    assert "Traceback" not in errors
    assert APP_TOKEN not in errors


def test_a_stop_as_soon_as_the_socket_connects_is_a_clean_stop(
    tmp_path: Path, standin: SlackStandIn, socket_mode: SocketModeStandIn
) -> None:
    run = socket_mode_run(tmp_path, standin)
    socket_mode.wait_connected(timeout=60)
    run.send_signal(signal.SIGTERM)
    _, errors = run.communicate(timeout=30)
    assert run.returncode == 0, errors
    assert "Traceback" not in errors
