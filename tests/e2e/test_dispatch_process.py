"""A dispatcher process killed mid-run and started again loses nothing and posts nothing twice; nor does a
tick run by hand beside a worker."""

from __future__ import annotations

import json
import math
import signal
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from standin import SlackStandIn
from tests.databases import migrated_sqlite_url, sqlite_url
from tests.dispatching import NOW, TOKEN, claims_run_out, plain, posts, record, rows
from tests.e2e import processes
from tests.e2e.harness import CIRCLES, ROOT, UNPACED_CIRCLES, environment, free_port, start_role

pytestmark = pytest.mark.early  # seconds of a dispatcher waiting on the stand-in's latency

# What `circles tick` will do for its dispatch part: one pass at the instant given, then a summary.
DISPATCHER = """
import json, sys
from dataclasses import asdict
from datetime import datetime
from bot.deps import Deps
from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import SlackLimits
from circles.persistence.db import Database
from circles.settings import Settings

settings = Settings()
deps = Deps(settings=settings, db=Database(settings.database_url))
options = DispatchOptions(workers=2, limits=SlackLimits.none())
print(json.dumps(asdict(dispatch(deps, datetime.fromisoformat(sys.argv[1]), options=options))))
"""


def start(standin: SlackStandIn, folder: Path, at: str) -> subprocess.Popen[str]:
    env = environment(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET="dispatch-test-secret",
        SLACK_API_URL=standin.api_url,
        DATABASE_URL=sqlite_url(folder),
        PYTHONPATH=str(ROOT),
    )
    # A process of its own all the same (forked, with Circles loaded): killed, it takes nothing with it.
    return processes.popen(
        [*processes.script(DISPATCHER), at], cwd=folder, env=env, stdout=subprocess.PIPE, text=True
    )


def test_a_dispatcher_killed_mid_run_and_restarted_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    db = Database(migrated_sqlite_url(tmp_path))
    keys = [f"prompt:{i}" for i in range(20)] + [f"dm:{i}" for i in range(20)]
    channels = [f"C{i:04d}" for i in range(20)] + [f"U{i:04d}" for i in range(20)]
    record(db, [plain(key, channel) for key, channel in zip(keys, channels, strict=True)])

    with SlackStandIn() as standin:
        standin.latency = 0.05
        first = start(standin, tmp_path, NOW.isoformat())
        standin.wait_for("chat.postMessage", count=10, timeout=30)
        # Hold the next answers until it is dead, so the process dies with posts Slack takes after it is gone.
        standin.hold("chat.postMessage")
        standin.wait_answering("chat.postMessage", count=2, held=math.inf)  # both workers wait on Slack
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        standin.release("chat.postMessage")
        standin.wait_quiet(0.2)  # Slack has answered the posts the dead process made
        standin.clear_faults()
        died_with = dict(posts(standin))
        claims_run_out(db)  # the dead process's claims last five minutes on the wall clock: end them now

        second = start(standin, tmp_path, (NOW + timedelta(minutes=6)).isoformat())
        output, _ = second.communicate(timeout=60)
        summary: dict[str, Any] = json.loads(output)

        assert second.returncode == 0
        assert posts(standin) == dict.fromkeys(keys, 1)
    assert 10 <= len(died_with) < len(keys)
    assert summary["deduplicated"] >= 1  # posted by the dead process after it stopped listening
    assert summary["sent"] + summary["deduplicated"] + len(died_with) >= len(keys)
    assert {row.status for row in rows(db).values()} == {OutboxStatus.SENT}
    db.dispose()


def test_a_worker_stopped_with_sigterm_mid_send_hands_its_claims_back_at_once(tmp_path: Path) -> None:
    db = Database(migrated_sqlite_url(tmp_path))
    keys = [f"dm:{i}" for i in range(40)]
    record(db, [plain(key, f"U{i:04d}") for i, key in enumerate(keys)])
    with SlackStandIn() as standin:
        standin.set_latency("chat.postMessage", 0.3)
        worker = processes.popen(
            [*CIRCLES, "run", "--role", "worker"],
            cwd=tmp_path,
            env=environment(
                SLACK_BOT_TOKEN=TOKEN,
                SLACK_API_URL=standin.api_url,
                DATABASE_URL=sqlite_url(tmp_path),
                PORT=str(free_port()),
                CIRCLES_NOTES_KEY=Fernet.generate_key().decode(),
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        standin.wait_for("chat.postMessage", count=5, timeout=30)
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "Traceback" not in output
    left = {row.status for key, row in rows(db).items() if key in keys}
    assert OutboxStatus.CLAIMED not in left  # nothing waits five minutes for a claim to expire
    assert OutboxStatus.PENDING in left  # stopped mid-send: some were given back unsent
    db.dispose()


def waited_for(done: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"still not so after {timeout}s"
        time.sleep(0.05)  # a short poll: what it waits for is a process's next step


def test_a_tick_run_at_a_past_now_beside_a_worker_posts_every_message_once(tmp_path: Path) -> None:
    db = Database(migrated_sqlite_url(tmp_path))
    wall = datetime.now(UTC)
    keys = [f"dm:{i}" for i in range(20)]
    record(db, [plain(key, f"U{i:04d}") for i, key in enumerate(keys)], due_at=wall - timedelta(hours=1))
    with SlackStandIn() as standin:
        env = environment(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_API_URL=standin.api_url,
            DATABASE_URL=sqlite_url(tmp_path),
            CIRCLES_NOTES_KEY=Fernet.generate_key().decode(),
            CIRCLES_TICK_SECONDS="1",
        )
        # The tick claims every row at `--now` ten minutes ago, and is caught with its first sends in flight.
        standin.hold("chat.postMessage")
        past = (wall - timedelta(minutes=10)).isoformat()
        pipe = subprocess.PIPE
        tick = processes.popen(
            [*UNPACED_CIRCLES, "tick", "--now", past], cwd=tmp_path, env=env, stdout=pipe, text=True
        )
        standin.wait_answering("chat.postMessage", held=math.inf, timeout=30)
        with (tmp_path / "worker.log").open("w") as log:
            worker, _ = start_role("worker", tmp_path, log, **env)
            try:
                # A worker's scheduling pass, planning and sending, has finished beside it.
                waited_for(lambda: "tick at" in (tmp_path / "worker.log").read_text())
                standin.release("chat.postMessage")
                tick.communicate(timeout=30)
                waited_for(lambda: {row.status for row in rows(db).values()} == {OutboxStatus.SENT})
            finally:
                standin.release("chat.postMessage")
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=30)

        assert tick.returncode == 0
        assert posts(standin) == dict.fromkeys(keys, 1)
    db.dispose()
