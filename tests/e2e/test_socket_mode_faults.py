"""`circles run` in Socket Mode when things go wrong: a form that cannot be saved, a stop while an ack is
being prepared, large and odd frames, and reconnections that are slow, refused or failing."""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot import ids
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from standin import Signer, SlackStandIn
from standin.forms import submitted_values
from standin.socket_mode import SocketModeStandIn
from tests import factories
from tests.databases import migrated_sqlite_url
from tests.e2e import processes
from tests.e2e.conftest import BOT_TOKEN
from tests.e2e.harness import CIRCLES, environment, free_port, stored, wait_until_healthy

pytestmark = pytest.mark.early  # processes waiting on slow or failing reconnections

APP_TOKEN = "xapp-1-A0CIRCLES1-1000-faults-app-token"
SECRET_WORDS = "my patient in bed 4"
MEMBER = "U0LEE"
NOT_SENT = (
    "Your message could not be sent just now. Please try again in a moment: what you wrote is still here."
)


@dataclass
class Run:
    """`circles run` on the socket, with its output so far and what a test needs to speak to it."""

    process: subprocess.Popen[str]
    folder: Path
    log: Path
    standin: SlackStandIn
    socket: SocketModeStandIn
    slack: Signer

    def output(self) -> str:
        return self.log.read_text()

    def help(self) -> str:
        """Ask for help over the socket; its envelope id."""
        return self.socket.deliver(self.slack.slash_command("help", user_id=MEMBER))

    def support_form(self) -> dict[str, Any]:
        """`/circles support` over the socket, as the member: the form it opened."""
        self.socket.wait_for_ack(self.socket.deliver(self.slack.slash_command("support", user_id=MEMBER)))
        [opened] = self.standin.wait_for("views.open", timeout=10)
        view: dict[str, Any] = opened.args["view"]
        return view

    def submit(self, view: dict[str, Any], text: str) -> str:
        request = self.slack.view_submission(
            ids.SUPPORT_VIEW,
            user_id=MEMBER,
            values=submitted_values(view, {ids.SUPPORT_MESSAGE: text}),
            private_metadata=view.get("private_metadata", ""),
        )
        return self.socket.deliver(request)


@pytest.fixture
def socket_mode(standin: SlackStandIn) -> Iterator[SocketModeStandIn]:
    with SocketModeStandIn() as running:
        standin.socket_mode_url = running.url
        yield running


@pytest.fixture
def run(tmp_path: Path, standin: SlackStandIn, socket_mode: SocketModeStandIn) -> Iterator[Run]:
    """`circles run` with a bot token and an app token, a member of one cohort with a facilitator."""
    db = Database(migrated_sqlite_url(tmp_path))
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        factories.facilitator(uow.session, cohort, "U0FAY")
        factories.member(uow.session, cohort, MEMBER, Role.PEER)
        uow.commit()
    db.dispose()
    for user in (MEMBER, "U0FAY"):
        standin.add_user(user)
    port, log = free_port(), tmp_path / "run.log"
    with log.open("w") as output:
        process = processes.popen(
            [*CIRCLES, "run"],
            cwd=tmp_path,
            env=environment(
                SLACK_BOT_TOKEN=BOT_TOKEN,
                SLACK_APP_TOKEN=APP_TOKEN,
                SLACK_API_URL=standin.api_url,
                PORT=str(port),
            ),
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", process)
            socket_mode.wait_connected(timeout=30)
            yield Run(process, tmp_path, log, standin, socket_mode, Signer("unused", standin=standin))
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def stopped(run: Run) -> str:
    """SIGTERM; what it printed once it exited cleanly."""
    run.process.send_signal(signal.SIGTERM)
    assert run.process.wait(timeout=30) == 0, run.output()
    return run.output()


@contextlib.contextmanager
def database_held(folder: Path) -> Iterator[None]:
    """The run's SQLite file locked by another program (a backup, sqlite3 at a prompt) until leaving."""
    holder = sqlite3.connect(folder / "circles.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("COMMIT")
        holder.close()


def test_a_support_form_that_cannot_be_saved_stays_open_saying_to_try_again(run: Run) -> None:
    view = run.support_form()
    with contextlib.closing(sqlite3.connect(run.folder / "circles.db")) as broken:
        broken.execute("ALTER TABLE outbox RENAME TO outbox_gone")  # every write to the outbox fails
    ack = run.socket.wait_for_ack(run.submit(view, "I'm not coping"))
    # Not closed as though sent: the form stays, with what was typed, and says to try again.
    assert ack.payload == {"response_action": "errors", "errors": {ids.SUPPORT_MESSAGE: NOT_SENT}}
    assert "I'm not coping" not in run.output()


def test_a_stop_while_an_ack_is_being_prepared_sends_that_ack_before_closing_the_socket(run: Run) -> None:
    view = run.support_form()
    with database_held(run.folder):
        envelope = run.submit(view, "I'm not coping")
        time.sleep(1)  # the submission waits for the database
        run.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
    ack = run.socket.wait_for_ack(envelope, timeout=10)
    assert ack.payload is not None
    assert ack.payload["response_action"] == "update"  # "sent", as it was
    assert run.process.wait(timeout=30) == 0, run.output()
    assert "Traceback" not in run.output()
    assert stored(run.folder, "SELECT channel FROM outbox") == [("U0FAY",)]


def test_a_frame_of_three_megabytes_is_acknowledged_and_the_socket_keeps_answering(run: Run) -> None:
    padding = "x" * (3 * 1024 * 1024)
    event = {"type": "event_callback", "team_id": "T0001", "event": {"type": "no_such_event", "pad": padding}}
    large = run.socket.send_envelope("events_api", event)
    run.socket.wait_for_ack(large, timeout=10)
    run.socket.wait_for_ack(run.help())
    assert len(run.socket.connections()) == 1  # the same socket all along
    assert "Traceback" not in stopped(run)


def test_frames_circles_cannot_read_are_logged_in_one_line_without_their_content(run: Run) -> None:
    for frame in (f"binary {SECRET_WORDS}".encode(), "{" + SECRET_WORDS, SECRET_WORDS):
        run.socket.send_frame(frame)
    run.socket.wait_for_ack(run.help())  # still answering
    output = stopped(run)
    assert SECRET_WORDS not in output
    assert "Traceback" not in output
    assert [line for line in output.splitlines() if " ERROR " in line or " WARNING " in line] == []
    ignored = [line for line in output.splitlines() if "ignored a Socket Mode frame" in line]
    assert len(ignored) == 3, output


def test_a_reconnection_slack_asks_for_does_not_hold_back_the_acks_meanwhile(run: Run) -> None:
    run.standin.set_latency("apps.connections.open", 6.0)  # Slack slow to hand out the next URL
    run.socket.disconnect()
    time.sleep(0.3)
    asked = time.monotonic()
    run.socket.wait_for_ack(run.help(), timeout=10)
    assert time.monotonic() - asked < 2  # answered on the old socket while the new one is being opened
    run.socket.wait_connected(count=2, timeout=20)
    run.socket.wait_for_ack(run.help())
    assert len(run.standin.calls("apps.connections.open")) == 2  # one reconnection, not one per envelope


def test_an_app_token_slack_refuses_on_a_reconnection_stops_the_app_with_one_line(run: Run) -> None:
    run.standin.error("apps.connections.open", "invalid_auth", times=None)  # the token was revoked
    run.socket.disconnect()
    assert run.process.wait(timeout=20) == 0
    output = run.output()
    said = [line for line in output.splitlines() if "SLACK_APP_TOKEN" in line]
    assert len(said) == 1, output
    assert said[0].endswith(
        "SLACK_APP_TOKEN was refused by Slack (invalid_auth): copy it again from Basic Information, "
        "App-Level Tokens, then start Circles again"
    )
    assert "Traceback" not in output
    assert APP_TOKEN not in output


def test_a_reconnection_slack_fails_is_logged_in_one_line_and_tried_again(run: Run) -> None:
    run.standin.fail("apps.connections.open", status=500, times=3)  # one call, with its two retries
    run.socket.drop()
    run.socket.wait_connected(count=2, timeout=30)
    run.socket.wait_for_ack(run.help())
    output = stopped(run)
    assert "Traceback" not in output
    failed = [line for line in output.splitlines() if " WARNING " in line or " ERROR " in line]
    assert len(failed) == 1, output
    assert failed[0].endswith("Slack answered apps.connections.open with internal_error; retrying")
