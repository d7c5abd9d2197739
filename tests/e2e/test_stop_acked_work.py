"""`circles run` stopped just after it acknowledged a command: the person still gets their answer.

Slack never sends an acknowledged request again, so the work after the ack is finished before the process
exits, whatever the role and however long the scheduler's sends are given; only for so long, though.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from circles.persistence.db import Database
from standin import Signer, SlackStandIn, post
from standin.socket_mode import SocketModeStandIn
from tests.databases import migrated_sqlite_url, sqlite_url
from tests.dispatching import TOKEN, plain, record
from tests.e2e import processes
from tests.e2e.harness import CIRCLES, environment, free_port, wait_until_healthy

pytestmark = pytest.mark.early  # seconds of a process held on slow Slack calls

SIGNING_SECRET = "stop-acked-work-secret"
APP_TOKEN = "xapp-1-A0CIRCLES1-1000-stop-app-token"
SLOW_SEND = 20.0  # a scheduler's send held this long: far past CIRCLES_STOP_SECONDS
SLOW_WORK = 3.0  # the command's work after its ack waits this long on users.info
# `circles …` giving the work after an ack one second, not thirty, before it is left behind; started as a
# process of its own, not forked from the zygote, so that Python waits at exit for threads as it does for
# an operator (the zygote's children end with os._exit).
SHORT_BOUND = [
    sys.executable,
    "-c",
    "import sys\nimport bot.cli, bot.server\n"
    "bot.server.ACKED_WORK_SECONDS = 1.0\nsys.exit(bot.cli.main(sys.argv[1:]))\n",
]


@pytest.fixture
def socket_mode(standin: SlackStandIn) -> Iterator[SocketModeStandIn]:
    with SocketModeStandIn() as running:
        standin.socket_mode_url = running.url
        yield running


def started(
    command: list[str], folder: Path, standin: SlackStandIn, **settings: str
) -> tuple[subprocess.Popen[str], str]:
    """`circles run …` on the folder's SQLite database (made at the latest schema if not there), healthy;
    with its base URL."""
    if not (folder / "circles.db").exists():
        migrated_sqlite_url(folder)
    port = free_port()
    process = processes.popen(
        command,
        cwd=folder,
        env=environment(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_API_URL=standin.api_url,
            DATABASE_URL=sqlite_url(folder),
            PORT=str(port),
            CIRCLES_NOTES_KEY=Fernet.generate_key().decode(),
            **settings,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    wait_until_healthy(base_url, process)
    return process, base_url


def sending(folder: Path, standin: SlackStandIn, **settings: str) -> tuple[subprocess.Popen[str], str]:
    """`circles run` (every role) caught in a send the stand-in holds far longer than the stop allows."""
    db = Database(migrated_sqlite_url(folder))
    record(db, [plain(f"dm:{i}", f"U{i:04d}") for i in range(10)])
    db.dispose()
    standin.set_latency("chat.postMessage", SLOW_SEND)
    run = [*CIRCLES, "run"]
    started_run = started(
        run, folder, standin, CIRCLES_TICK_SECONDS="1", CIRCLES_STOP_SECONDS="1", **settings
    )
    standin.wait_answering("chat.postMessage", timeout=30)
    standin.set_latency("users.info", SLOW_WORK)  # from now on, the command's work is slow
    return started_run


def stopped(process: subprocess.Popen[str]) -> tuple[str, float]:
    """SIGTERM at once; what it printed, and how long it took to exit."""
    process.send_signal(signal.SIGTERM)
    asked = time.monotonic()
    output, _ = process.communicate(timeout=60)
    return output, time.monotonic() - asked


def assert_answered_without_waiting_for_the_send(
    standin: SlackStandIn, run: subprocess.Popen[str], output: str, took: float
) -> None:
    [answer] = standin.calls("response_url")  # the help the person asked for, after its slow users.info
    assert "/circles join" in str(answer.args["blocks"])
    assert took < SLOW_SEND / 2, output  # the held send was left to its claim, not waited for
    assert run.returncode == 0, output
    assert "Traceback" not in output


def test_a_run_stopped_mid_send_still_answers_a_command_it_had_acknowledged(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    run, base_url = sending(tmp_path, standin, SLACK_SIGNING_SECRET=SIGNING_SECRET)
    signer = Signer(SIGNING_SECRET, standin=standin)
    status, _, _ = post(f"{base_url}/slack/events", signer.slash_command("help", user_id="U0AAA1"))
    assert status == 200
    output, took = stopped(run)

    assert_answered_without_waiting_for_the_send(standin, run, output, took)


def test_a_run_stopped_mid_send_still_answers_a_command_it_had_acknowledged_over_socket_mode(
    tmp_path: Path, standin: SlackStandIn, socket_mode: SocketModeStandIn
) -> None:
    run, _ = sending(tmp_path, standin, SLACK_APP_TOKEN=APP_TOKEN)
    socket_mode.wait_connected(timeout=30)
    envelope = socket_mode.deliver(Signer("unused", standin=standin).slash_command("help", user_id="U0AAA1"))
    socket_mode.wait_for_ack(envelope)
    output, took = stopped(run)

    assert_answered_without_waiting_for_the_send(standin, run, output, took)


def test_work_after_an_ack_that_never_ends_keeps_a_stopped_web_process_no_longer_than_its_bound(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    web, base_url = started(
        [*SHORT_BOUND, "run", "--role", "web"], tmp_path, standin, SLACK_SIGNING_SECRET=SIGNING_SECRET
    )
    standin.hold("users.info")  # Slack never answers: the command's work would wait for ever
    signer = Signer(SIGNING_SECRET, standin=standin)
    status, _, _ = post(f"{base_url}/slack/events", signer.slash_command("help", user_id="U0AAA1"))
    assert status == 200
    standin.wait_answering("users.info", timeout=10)
    output, took = stopped(web)

    assert took < 6, output  # a second for the work, not the client's ten-second timeouts, retried
    assert web.returncode == 0, output
    assert "stopped before the work of requests already acknowledged had finished" in output
    assert "Traceback" not in output
