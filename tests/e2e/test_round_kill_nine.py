"""A worker killed with kill -9 in the middle of creating a round; another worker finishes it alone.

The facilitator confirms once. The first `circles tick` dies while Slack is creating a circle's
channel for it: Slack makes the channel, the dead worker never records it. A later `circles tick`,
or the dispatcher of a `circles run`, takes the round over: every circle's channel made once (the
one Slack made for the dead worker is found by its name and kept), everyone invited once, every
kickoff posted once, and the facilitator's progress message says it is done, without anyone running
`/circles match` again.
"""

from __future__ import annotations

import math
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from circles.domain.match_vocabulary import RunStatus, StepStatus
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Circle, CreationStep, MatchRun
from circles.services.matching.rounds import confirm_round, preview_round
from standin import SlackStandIn
from tests import factories
from tests.databases import migrated_postgres, migrated_sqlite_url
from tests.dispatching import NOW, claims_run_out, taken
from tests.e2e import processes
from tests.e2e.harness import CIRCLES, UNPACED_CIRCLES, environment, unpaced_circles_run_logged
from tests.e2e.test_kill_nine import settings

pytestmark = pytest.mark.early  # seconds of processes waiting on Slack's pace

FACILITATOR = "U0FAC"
PEERS = [f"U0P{i}" for i in range(1, 10)]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield from _confirmed(migrated_sqlite_url(tmp_path))
    else:
        with migrated_postgres() as url:
            yield from _confirmed(url)


def _confirmed(url: str) -> Iterator[str]:
    """Nine peers in three private channels, the round confirmed by the facilitator and nothing sent."""
    db = Database(url)
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.meeting_place = PairingMode.NONE, MeetingPlace.PRIVATE_CHANNEL
        co.circle_min_size = co.circle_max_size = 3
        factories.facilitator(uow.session, co, FACILITATOR)
        for user in PEERS:
            factories.member(uow.session, co, user, Role.PEER)
        uow.commit()
    plan = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FACILITATOR, is_admin=False, now=NOW)
    confirm_round(db.unit_of_work(), "T0001", plan.run_id, user_id=FACILITATOR, is_admin=False, now=NOW)
    db.dispose()
    yield url


def tick(at: str, env: dict[str, str], cwd: Path, *, paced: bool = True) -> subprocess.Popen[str]:
    """`circles tick --now at` as cron starts it (unless not paced): one worker, in a process of its own."""
    pipe = subprocess.PIPE
    command = [*(CIRCLES if paced else UNPACED_CIRCLES), "tick", "--now", at]
    return processes.popen(command, cwd=cwd, env=env, text=True, stdout=pipe, stderr=pipe)


def circle_channels(standin: SlackStandIn) -> list[str]:
    return sorted(c.name for c in standin.workspace.channels.values() if c.name.startswith("circle-pgy1"))


def recorded_conversations(db: Database) -> set[str]:
    with db.unit_of_work() as uow:
        return {c for c in uow.session.scalars(select(Circle.conversation_id)) if c}


def round_complete(db: Database) -> bool:
    with db.unit_of_work() as uow:
        return uow.session.scalars(select(MatchRun.status)).one() is RunStatus.COMPLETE


@pytest.mark.parametrize("next_worker", ["circles tick", "circles run"])
def test_a_worker_killed_mid_round_leaves_it_to_the_next_which_creates_each_circle_once(
    database_url: str, tmp_path: Path, next_worker: str
) -> None:
    db = Database(database_url)
    with SlackStandIn() as standin:
        for user in [FACILITATOR, *PEERS]:
            standin.add_user(user)
        standin.latency = 0.05
        # Slack creates the first channel, then holds the next create until the worker has died in it.
        standin.hold("conversations.create", after=1)
        env = environment(**settings(standin, database_url))

        # Paced: one create at a time, so that the worker dies with the round's second channel in flight.
        first = tick(NOW.isoformat(), env, tmp_path)
        standin.wait_for("conversations.create", count=1, timeout=60)
        standin.wait_answering("conversations.create", held=math.inf, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
        standin.release("conversations.create")
        standin.wait_quiet(0.2, timeout=10)  # Slack finishes what the dead worker asked for
        assert len(circle_channels(standin)) > len(recorded_conversations(db))  # made, never recorded
        assert len(circle_channels(standin)) < 3
        standin.latency = 0.0  # from here Slack answers at once: how long it takes is not under test
        claims_run_out(db)  # the dead worker's claims last five minutes on the wall clock: end them now

        if next_worker == "circles tick":
            later = (NOW + timedelta(minutes=6)).isoformat()
            second = tick(later, env, tmp_path, paced=False)  # pacing is not what is under test
            _, errors = second.communicate(timeout=120)
            assert second.returncode == 0, errors
        else:  # an app's dispatcher
            run = {**settings(standin, database_url), "CIRCLES_TICK_SECONDS": "1"}
            with unpaced_circles_run_logged(tmp_path, **run):
                standin.wait_for("chat.update", timeout=90, predicate=lambda c: "Done:" in c.args["text"])
                deadline = time.monotonic() + 30
                while not round_complete(db) and time.monotonic() < deadline:
                    time.sleep(0.02)  # a short poll: the round is marked complete as "Done:" is said

        assert circle_channels(standin) == ["circle-pgy1-r1-1", "circle-pgy1-r1-2", "circle-pgy1-r1-3"]
        created = Counter(c.args["name"] for c in standin.calls("conversations.create") if taken(c))
        assert set(created.values()) == {1}
        invited = Counter(
            user
            for call in standin.calls("conversations.invite")
            if taken(call)
            for user in call.args["users"].split(",")
        )
        assert invited == Counter(PEERS)  # everyone once
        kickoffs = Counter(
            call.args["channel"]
            for call in standin.calls("chat.postMessage")
            if taken(call) and (call.args.get("metadata") or {}).get("event_type") == "circles_kickoff"
        )
        assert set(kickoffs) == recorded_conversations(db)
        assert set(kickoffs.values()) == {1}
        told = [
            c.args.get("text", "") for c in standin.calls() if c.method in ("chat.postMessage", "chat.update")
        ]
        assert any(said.startswith("Done: round 1 of *PGY-1* — 3 of 3") for said in told)
    with db.unit_of_work() as uow:
        assert set(uow.session.scalars(select(CreationStep.status))) == {StepStatus.DONE}
        assert uow.session.scalars(select(MatchRun.status)).one() is RunStatus.COMPLETE
    db.dispose()
