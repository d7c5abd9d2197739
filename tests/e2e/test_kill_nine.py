"""A kill -9 of `circles tick` in fan-out or of `circles run` while sending: each message posted once."""

from __future__ import annotations

import math
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from standin import SlackStandIn
from tests.databases import migrated_postgres, migrated_sqlite_url
from tests.dispatching import NOW, TOKEN, claims_run_out, plain, posts, record, rows
from tests.e2e import processes
from tests.e2e.harness import (
    CIRCLES,
    NOTES_KEY,
    UNPACED_CIRCLES,
    environment,
    free_port,
    unpaced_circles_run_logged,
)

pytestmark = pytest.mark.early  # seconds of processes waiting on Slack's pace

SECRET = "kill-nine-secret"
# Few rows: after a kill each unsent row is looked for in its conversation's history first; the second run
# does it unpaced, where Slack's pace for conversations.history (50 a minute) would cost a second a row.
KEYS = [f"prompt:{i}" for i in range(6)] + [f"dm:{i}" for i in range(6)]
CHANNELS = [f"C{i:04d}" for i in range(6)] + [f"U{i:04d}" for i in range(6)]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, upgraded database of each kind Circles supports."""
    if request.param == "sqlite":
        yield migrated_sqlite_url(tmp_path)
    else:
        with migrated_postgres() as url:
            yield url


def settings(standin: SlackStandIn, database_url: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": database_url,
        "CIRCLES_NOTES_KEY": NOTES_KEY,  # every process on the database alike: another key is refused
    }


def slack_knowing_everyone(standin: SlackStandIn) -> SlackStandIn:
    """The stand-in with every channel and person in CHANNELS, so that earlier posts can be looked for."""
    for channel in CHANNELS:
        if channel.startswith("C"):
            standin.add_channel(channel, f"circle-{channel.lower()}", is_private=True, members=[])
        else:
            standin.add_user(channel)
    standin.latency = 0.05
    return standin


def kill_mid_sending(standin: SlackStandIn, process: subprocess.Popen[str]) -> dict[str, int]:
    """SIGKILL the process after four posts, with more in flight; return what Slack took from it.

    Some of what it took arrived after the kill: posts the dead process never heard were made.
    """
    standin.wait_for("chat.postMessage", count=4, timeout=30)
    # Hold the next answers until it is dead, so the process dies with posts Slack takes after it is gone.
    standin.hold("chat.postMessage")
    standin.wait_answering("chat.postMessage", held=math.inf)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    at_kill = sum(posts(standin).values())
    standin.release("chat.postMessage")
    standin.wait_quiet(0.2)  # Slack has answered the posts the dead process made
    standin.clear_faults()
    died_with = dict(posts(standin))
    assert sum(died_with.values()) > at_kill
    return died_with


def every_row_sent(db: Database) -> bool:
    return {row.status for row in rows(db).values()} == {OutboxStatus.SENT}


def test_a_tick_killed_during_fan_out_and_run_again_posts_every_message_once(
    database_url: str, tmp_path: Path
) -> None:
    db = Database(database_url)
    record(db, [plain(key, channel) for key, channel in zip(KEYS, CHANNELS, strict=True)])
    with SlackStandIn() as running:
        standin = slack_knowing_everyone(running)
        env = environment(**settings(standin, database_url))
        first = processes.popen(
            [*CIRCLES, "tick", "--now", NOW.isoformat()], cwd=tmp_path, env=env, text=True
        )
        died_with = kill_mid_sending(standin, first)
        claims_run_out(db)  # the dead tick's claims last five minutes on the wall clock: end them now

        later = (NOW + timedelta(minutes=6)).isoformat()
        second = processes.run(
            [*UNPACED_CIRCLES, "tick", "--now", later],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

        assert second.returncode == 0, second.stderr
        assert posts(standin) == dict.fromkeys(KEYS, 1)
    assert 4 <= len(died_with) < len(KEYS)
    assert every_row_sent(db)
    db.dispose()


def test_the_app_killed_while_sending_and_started_again_posts_every_message_once(
    database_url: str, tmp_path: Path
) -> None:
    db = Database(database_url)
    due = datetime.now(UTC)
    record(db, [plain(key, channel) for key, channel in zip(KEYS, CHANNELS, strict=True)], due_at=due)
    with SlackStandIn() as running:
        standin = slack_knowing_everyone(running)
        run = {**settings(standin, database_url), "CIRCLES_TICK_SECONDS": "1"}
        first = processes.popen(
            [*CIRCLES, "run"],
            cwd=tmp_path,
            env=environment(PORT=str(free_port()), **run),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        died_with = kill_mid_sending(standin, first)
        claims_run_out(db)  # the dead app's claims last five minutes: end them now rather than wait

        with unpaced_circles_run_logged(tmp_path, **run):
            deadline = time.monotonic() + 30
            while not every_row_sent(db) and time.monotonic() < deadline:
                time.sleep(0.05)  # a short poll: each row is marked sent as soon as Slack has taken it

        assert posts(standin) == dict.fromkeys(KEYS, 1)
    assert 4 <= len(died_with) < len(KEYS)
    assert every_row_sent(db)
    db.dispose()
