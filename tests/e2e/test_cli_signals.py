"""`circles run` and `circles tick` asked to stop while they send: once, they finish what is in flight and
hand back the rest; twice, they stop now."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from standin import SlackStandIn
from tests.databases import migrated_sqlite_url, sqlite_url
from tests.dispatching import TOKEN, plain, record, rows
from tests.e2e import processes
from tests.e2e.harness import CIRCLES, environment, free_port

pytestmark = pytest.mark.early  # seconds of a worker held on a slow send

SLOW_SLACK = 8.0  # seconds each chat.postMessage takes: a send is in flight when the signal comes


def sending_worker(folder: Path, standin: SlackStandIn, **settings: str) -> subprocess.Popen[str]:
    """`circles run --role worker` with forty messages waiting, caught in the middle of a slow send."""
    db = Database(migrated_sqlite_url(folder))
    record(db, [plain(f"dm:{i}", f"U{i:04d}") for i in range(40)])
    db.dispose()
    standin.set_latency("chat.postMessage", SLOW_SLACK)
    worker = processes.popen(
        [*CIRCLES, "run", "--role", "worker"],
        cwd=folder,
        env=environment(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_API_URL=standin.api_url,
            DATABASE_URL=sqlite_url(folder),
            PORT=str(free_port()),
            CIRCLES_NOTES_KEY=Fernet.generate_key().decode(),
            **settings,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    standin.wait_answering("chat.postMessage", timeout=30)  # held by the stand-in for SLOW_SLACK seconds
    return worker


def printed_until(process: subprocess.Popen[str], line: str, timeout: float = 30) -> str:
    """What the process printed up to `line`, read from its pipe unbuffered: communicate() reads on."""
    assert process.stdout is not None
    fd, printed = process.stdout.fileno(), b""
    deadline = time.monotonic() + timeout
    while line.encode() not in printed:
        ready, _, _ = select.select([fd], [], [], max(deadline - time.monotonic(), 0))
        chunk = os.read(fd, 65536) if ready else b""
        if not chunk:
            raise AssertionError(f"no line {line!r} within {timeout}s; printed:\n{printed.decode()}")
        printed += chunk
    return printed.decode(errors="replace")


@pytest.mark.parametrize("asked", [signal.SIGTERM, signal.SIGINT])
def test_asked_twice_to_stop_a_worker_stops_at_once_without_waiting_for_a_slow_send(
    asked: signal.Signals, tmp_path: Path, standin: SlackStandIn
) -> None:
    worker = sending_worker(tmp_path, standin)
    worker.send_signal(asked)
    # Stopping has begun (the scheduler's shutdown runs after the handler has made a second signal mean
    # "now"; "stopping (…)" is logged just before it does): asking again now is asking twice.
    before = printed_until(worker, "Scheduler has been shut down")
    assert f"stopping ({asked.name})" in before, before
    worker.send_signal(asked)
    again = time.monotonic()
    rest, _ = worker.communicate(timeout=30)
    output = before + rest
    assert time.monotonic() - again < SLOW_SLACK / 2, output
    assert worker.returncode == 128 + asked
    assert f"stopping at once ({asked.name} again), without waiting for sending" in output
    assert "Traceback" not in output


def test_asked_once_to_stop_a_worker_waits_for_a_slow_send_no_longer_than_it_was_given(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    worker = sending_worker(tmp_path, standin, CIRCLES_STOP_SECONDS="0.2")
    worker.send_signal(signal.SIGTERM)
    asked = time.monotonic()
    output, _ = worker.communicate(timeout=30)
    assert time.monotonic() - asked < SLOW_SLACK / 2, output
    assert worker.returncode == 0
    assert "stopping (SIGTERM)" in output
    assert "stopped without waiting longer for sending: its claims expire, and are sent then" in output
    assert "Traceback" not in output


def sending_tick(folder: Path, standin: SlackStandIn) -> tuple[Database, subprocess.Popen[str]]:
    """`circles tick` with forty messages waiting, caught with sends in flight (each takes a second)."""
    db = Database(migrated_sqlite_url(folder))
    record(db, [plain(f"dm:{i}", f"U{i:04d}") for i in range(40)])
    standin.set_latency("chat.postMessage", 1.0)
    tick = processes.popen(
        [*CIRCLES, "tick"],
        cwd=folder,
        env=environment(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_API_URL=standin.api_url,
            DATABASE_URL=sqlite_url(folder),
            CIRCLES_NOTES_KEY=Fernet.generate_key().decode(),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    standin.wait_answering("chat.postMessage", timeout=30)
    return db, tick


@pytest.mark.parametrize("asked", [signal.SIGTERM, signal.SIGINT])
def test_a_tick_asked_to_stop_mid_send_hands_back_at_once_what_it_claimed_and_did_not_send(
    asked: signal.Signals, tmp_path: Path, standin: SlackStandIn
) -> None:
    db, tick = sending_tick(tmp_path, standin)
    tick.send_signal(asked)
    output, _ = tick.communicate(timeout=30)

    statuses = [row.status for row in rows(db).values()]
    sent, back = statuses.count(OutboxStatus.SENT), statuses.count(OutboxStatus.PENDING)
    assert OutboxStatus.CLAIMED not in statuses  # nothing waits five minutes for a claim to expire
    assert tick.returncode == 128 + asked, output
    assert "Traceback" not in output
    assert back > 0
    assert sent + back == 40
    assert f"circles: tick stopped ({asked.name}): {sent} sent, {back} handed back to the outbox" in output
    db.dispose()


def test_a_tick_asked_twice_to_stop_stops_at_once_without_waiting_for_a_slow_send(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    db, tick = sending_tick(tmp_path, standin)
    standin.set_latency("chat.postMessage", SLOW_SLACK)
    standin.wait_answering("chat.postMessage", held=1.0, timeout=30)  # a slow send is in flight
    tick.send_signal(signal.SIGINT)
    before = printed_until(tick, "stopping (SIGINT)")  # asking again now is asking twice
    tick.send_signal(signal.SIGINT)
    asked = time.monotonic()
    rest, _ = tick.communicate(timeout=30)
    output = before + rest

    assert time.monotonic() - asked < SLOW_SLACK / 2, output
    assert tick.returncode == 128 + signal.SIGINT
    assert "circles: tick stopped at once (SIGINT again)" in output
    assert "Traceback" not in output
    db.dispose()
