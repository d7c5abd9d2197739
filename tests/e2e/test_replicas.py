"""A web and a worker process and four simultaneous `circles tick` on one PostgreSQL: everything once.

The cohort lives in real time (its prompt fell due ten minutes ago), so the worker's own scheduler plans
and sends beside the four ticks, as it does when cron runs `circles tick` next to the replicas.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from bot import ids
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Escalation, OutboxMessage
from standin import Call, Signer, SlackStandIn, post
from tests.databases import migrated_postgres
from tests.dispatching import key_of, posts, taken
from tests.e2e import processes
from tests.e2e.harness import CIRCLES, ROOT, environment, http_get, start_role
from tests.e2e.replicas_world import CIRCLE, FACILITATORS, MEMBERS, seed

pytestmark = pytest.mark.early  # seconds of replicas waiting on each other and the stand-in

TOKEN = "xoxb-replicas-test"
SECRET = "replicas-test-secret"
TICKS = 4


@pytest.fixture
def database_url() -> Iterator[str]:
    with migrated_postgres() as url:
        yield url


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        for user in (*FACILITATORS, *MEMBERS):
            running.add_user(user)
        running.add_channel(CIRCLE, "circle-replicas-r1-1", is_private=True, members=list(MEMBERS))
        yield running


@pytest.fixture
def settings(standin: SlackStandIn, database_url: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": database_url,
        "CIRCLES_NOTES_KEY": Fernet.generate_key().decode(),
        "CIRCLES_TICK_SECONDS": "1",
    }


class Replica:
    """`circles run --role …` in its own process, on its own port."""

    def __init__(self, role: str, port: int, process: subprocess.Popen[str]) -> None:
        self.role, self.base_url, self.process = role, f"http://127.0.0.1:{port}", process

    def get(self, path: str) -> tuple[int, bytes]:
        return http_get(f"{self.base_url}{path}")


@pytest.fixture
def replicas(
    settings: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Replica]]:
    """One web and one worker process, both healthy; stopped (and checked for tracebacks) afterwards."""
    started: dict[str, Replica] = {}
    logs = tmp_path_factory.mktemp("replicas")
    try:
        for role in ("web", "worker"):
            process, port = start_role(role, logs, (logs / f"{role}.log").open("w"), **settings)
            started[role] = Replica(role, port, process)
        for replica in started.values():
            wait_until_healthy(replica)
        yield started
    finally:
        for replica in started.values():
            replica.process.terminate()
            replica.process.wait(timeout=15)
    for role in started:
        output = (logs / f"{role}.log").read_text()
        assert "Traceback" not in output, output


def wait_until_healthy(replica: Replica, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert replica.process.poll() is None, f"circles run --role {replica.role} exited early"
        try:
            if replica.get("/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.02)  # a short poll: a replica is healthy a tenth of a second after it starts
    raise AssertionError(f"circles run --role {replica.role} did not become healthy")


def ticks_at_once(settings: dict[str, str], now: datetime) -> list[subprocess.Popen[str]]:
    """Start the tick processes and hold them at the barrier until every one is ready."""
    # `circles tick` itself (bot.cli.main), forked with everything loaded; each says "ready" and starts
    # its pass when the test writes "go", so the four passes begin within a millisecond.
    ticks = [
        processes.popen(
            [*CIRCLES, "tick", "--now", now.isoformat()],
            cwd=ROOT,
            env=environment(**settings),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            barrier=True,
        )
        for _ in range(TICKS)
    ]
    for tick in ticks:
        assert tick.stdout is not None
        assert tick.stdout.readline().strip() == "ready"
    return ticks


def go(ticks: list[subprocess.Popen[str]]) -> list[str]:
    """Let every tick start its pass, then wait for each; returns what each printed."""
    for tick in ticks:
        assert tick.stdin is not None
        tick.stdin.write("go\n")
        tick.stdin.flush()
    printed = []
    for tick in ticks:
        output, errors = tick.communicate(timeout=120)
        assert tick.returncode == 0, errors
        assert "Traceback" not in errors, errors
        printed.append(output)
    return printed


def wait_until_all_sent(db: Database, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.unit_of_work() as uow:
            waiting = uow.session.execute(
                select(
                    OutboxMessage.idempotency_key,
                    OutboxMessage.status,
                    OutboxMessage.attempts,
                    OutboxMessage.due_at,
                    OutboxMessage.claimed_until,
                    OutboxMessage.last_error,
                ).where(OutboxMessage.status != OutboxStatus.SENT)
            ).all()
        if not waiting:
            return
        time.sleep(0.05)  # a short poll: the last message goes out a moment after the one before
    unsent = "\n".join(" ".join(str(field) for field in row) for row in waiting)
    raise AssertionError(f"the outbox still holds unsent messages:\n{unsent}")


def posted(standin: SlackStandIn, kind: str) -> Counter[str]:
    """How many messages of a kind (the outbox key's first part) each channel received."""
    return Counter(
        str(call.args["channel"])
        for call in standin.calls("chat.postMessage")
        if taken(call) and key_of(call).startswith(f"{kind}:")
    )


def checkins(standin: SlackStandIn) -> Counter[str]:
    def asks_for_rating(call: Call) -> bool:
        return taken(call) and ids.CHECKIN_RATE in str(call.args.get("blocks"))

    return Counter(str(call.args["channel"]) for call in standin.calls("chat.postMessage", asks_for_rating))


def test_four_ticks_at_one_instant_beside_a_web_and_a_worker_send_every_message_once(
    replicas: dict[str, Replica], settings: dict[str, str], standin: SlackStandIn, database_url: str
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    ticks = ticks_at_once(settings, now)
    db = Database(database_url)
    seed(db, due=now - timedelta(minutes=10))
    printed = go(ticks)  # the worker keeps ticking and sending all along
    wait_until_all_sent(db)

    assert posted(standin, "escalation") == dict.fromkeys(FACILITATORS, 1), "\n".join(printed)
    assert Counter(str(c.args["channel"]) for c in standin.calls("chat.postMessage") if taken(c))[CIRCLE] == 1
    assert checkins(standin) == dict.fromkeys(MEMBERS, 1)
    assert set(posts(standin).values()) == {1}  # no message of any kind went out twice
    with db.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Escalation)) == 1
    assert all(line.startswith("tick at ") for line in printed)
    db.dispose()


def support(call: Call) -> bool:
    return taken(call) and key_of(call).startswith("support")


def test_a_web_process_takes_slack_requests_and_a_worker_sends_what_they_recorded(
    replicas: dict[str, Replica], settings: dict[str, str], standin: SlackStandIn, database_url: str
) -> None:
    db = Database(database_url)
    seed(db, due=datetime.now(UTC) + timedelta(days=1))  # the people and their cohort; the prompt is tomorrow
    signer = Signer(SECRET, standin=standin)
    request = signer.slash_command("support we keep missing each other", user_id=MEMBERS[1])

    assert post(f"{replicas['worker'].base_url}/slack/events", request)[0] == 404
    status, _headers, _body = post(f"{replicas['web'].base_url}/slack/events", request)
    assert status == 200
    standin.wait_for("chat.postMessage", count=len(FACILITATORS), timeout=30, predicate=support)
    wait_until_all_sent(db)
    supported = standin.calls("chat.postMessage", support)

    assert sorted(str(c.args["channel"]) for c in supported) == sorted(FACILITATORS)
    assert replicas["web"].get("/healthz")[0] == replicas["worker"].get("/healthz")[0] == 200
    db.dispose()
