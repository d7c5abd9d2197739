"""`circles run --role …`: what each role serves and what it needs, as an operator starts it."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from standin import SlackStandIn
from tests.databases import migrated_sqlite_url
from tests.e2e import processes
from tests.e2e.conftest import BOT_TOKEN, NOTES_KEY, SIGNING_SECRET
from tests.e2e.harness import CIRCLES, environment, free_port, http_get, wait_until_healthy


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def start(folder: Path, role: str, **settings: str) -> subprocess.Popen[str]:
    migrated_sqlite_url(folder)  # at the latest schema, made once for the run: the roles are under test
    return processes.popen(
        [*CIRCLES, "run", "--role", role],
        cwd=folder,
        env=environment(**settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stopped(process: subprocess.Popen[str]) -> str:
    """SIGTERM, then what it printed; it must have stopped cleanly."""
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=15)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output
    return output


def test_a_worker_needs_no_signing_secret_serves_only_healthz_and_warns_that_sqlite_is_one_process(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    port = free_port()
    worker = start(
        tmp_path, "worker", PORT=str(port), SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=standin.api_url
    )
    base_url = f"http://127.0.0.1:{port}"
    wait_until_healthy(base_url, worker)
    health = http_get(f"{base_url}/healthz")
    events = http_get(f"{base_url}/slack/events")
    output = stopped(worker)

    assert health[0] == 200
    assert events[0] == 404
    assert "--role worker on SQLite" in output
    assert "PostgreSQL" in output
    assert "scheduler ticking every 60 s" in output


def test_a_web_process_serves_slack_and_starts_no_scheduler(tmp_path: Path, standin: SlackStandIn) -> None:
    port = free_port()
    web = start(
        tmp_path,
        "web",
        PORT=str(port),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.api_url,
        CIRCLES_NOTES_KEY=NOTES_KEY,
    )
    base_url = f"http://127.0.0.1:{port}"
    wait_until_healthy(base_url, web)
    unsigned = http_get(f"{base_url}/slack/events")  # a GET: the events route is there, for POSTs
    output = stopped(web)

    assert unsigned[0] == 405
    assert "scheduler ticking" not in output
    assert "worker processes send the outbox" in output


def test_a_worker_without_a_bot_token_stops_with_one_line_naming_it(tmp_path: Path) -> None:
    result = processes.run(
        [*CIRCLES, "run", "--role", "worker"],
        cwd=tmp_path,
        env=environment(PORT=str(free_port())),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("circles: SLACK_BOT_TOKEN is not set")


def test_an_unknown_role_is_refused_before_anything_starts(tmp_path: Path) -> None:
    result = processes.run(
        [*CIRCLES, "run", "--role", "both"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert "invalid choice: 'both'" in result.stderr
    assert not (tmp_path / "circles.db").exists()
