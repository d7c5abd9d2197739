"""Replicas: two web and two worker processes on one PostgreSQL run a programme's week, each message once.

Target (bench/README.md): 0 lost and 0 duplicated messages, with throughput against one `--role all`
process. The programme (bench.replicas_world): --members people (2,000) over --workspaces workspaces
(20, installed through OAuth, one bot token each), each a cohort in circles of five and coach–learner
pairs, whose week's circle prompt and check-ins fell due a minute ago; one pair in 25 rated last
week's check-in 1 and 1, so each of those brings its cohort's two facilitators an alert. The processes
are `circles run --role …` as an operator starts them, ticking every two seconds with the real clock:
the workers plan, watch and send, racing each other. The Slack stand-in (in this process) adds
--latency to every call and keeps to 1 message a second per conversation and to 300 a minute per
workspace and to Tier 3 (50 a minute) for chat.update, as caps of that times the number of workspaces
over them all (it does not tell workspaces apart).

When the week's messages are out, one check-in in five is answered from its DM (a signed click on
"4", spread over the processes that serve Slack), and the answers must all be stored.

Lost and duplicated messages are counted from the stand-in's record of the posts it took, by the
outbox key each carries in its metadata, against every outbox row. Then the same week runs on a
fresh database with one `circles run` (`--role all`), and the two throughputs are compared.

Run: .venv/bin/python -m bench.replicas [--members 2000] [--workspaces 20] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from bench.fanout_standin import TIER_3, configure
from bench.processes import wait_for
from bench.replicas_answers import Answers, answer
from bench.replicas_world import CLIENT_ID, Team, install, seed, slack, struggling, teams
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.migrate import upgrade
from circles.persistence.models import Escalation, OutboxMessage, Workspace
from standin import Signer, SlackStandIn
from tests.databases import postgres_database
from tests.e2e.harness import start_role

SETTLED = {OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.MISSED}  # MISSED: too late, never sent
ANSWER_EVERY = 5  # one check-in in five is answered from its DM, through the web processes
QUIET_SECONDS = 5.0  # no new row and nothing left to send for this long: the week is done


@dataclass
class Result:
    name: str
    rows: int
    posted: int
    lost: int
    duplicates: int
    failed: int
    refused: int
    escalations: int
    seconds: float
    peak_per_minute: int  # the most posts one workspace took in any 10 s, times six
    answered: Answers  # check-ins answered through the processes that serve Slack

    @property
    def per_second(self) -> float:
        return self.posted / self.seconds if self.seconds else 0.0


@contextlib.contextmanager
def replicas(roles: list[str], folder: Path, settings: dict[str, str]) -> Iterator[list[str]]:
    """`circles run --role …` for each role, each on its own port; yields the URLs that serve Slack."""
    started = []
    try:
        for i, role in enumerate(roles):
            log = (folder / f"{i}-{role}.log").open("w")
            child, port = start_role(role, folder, log, **settings)
            started.append((child, port, log))
        for child, port, _ in started:
            wait_for(f"http://127.0.0.1:{port}/healthz", child, timeout=60)
        yield [
            f"http://127.0.0.1:{port}"
            for (_, port, _), role in zip(started, roles, strict=True)
            if role != "worker"
        ]
    finally:
        for child, _, log in started:
            child.terminate()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
            log.close()


def run_week(name: str, roles: list[str], made: list[Team], latency: float) -> Result:
    with postgres_database() as url, SlackStandIn() as standin, tempfile.TemporaryDirectory() as folder:
        configure(standin, latency, workspace_per_minute=300.0 * len(made))
        for method in ("chat.update", "conversations.history", "conversations.open"):
            standin.rate_limit(method, per_second=TIER_3 * len(made))  # Tier 3 is per workspace too
        standin.client_id, standin.client_secret = CLIENT_ID, "replicas-client-secret"
        slack(standin, made)
        db = Database(url)
        upgrade(db.engine)
        install(db, made, datetime.now(UTC))
        settings = {
            "SLACK_CLIENT_ID": CLIENT_ID,
            "SLACK_CLIENT_SECRET": "replicas-client-secret",
            "SLACK_SIGNING_SECRET": "replicas-signing-secret",
            "SLACK_API_URL": standin.api_url,
            "DATABASE_URL": url,
            "CIRCLES_NOTES_KEY": Fernet.generate_key().decode(),
            "CIRCLES_TICK_SECONDS": "2",
        }
        with replicas(roles, Path(folder), settings) as webs:
            started, due = time.time(), datetime.now(UTC) - timedelta(minutes=1)
            seed(db, made, due=due)
            wait_until_settled(db, expected=minimum_rows(made))
            week_done = last_post(standin)
            signer = Signer("replicas-signing-secret", standin=standin)
            answered = answer(db, standin, signer, webs, due - timedelta(hours=1), every=ANSWER_EVERY)
            wait_until_settled(db, expected=minimum_rows(made))
        result = count(name, db, standin, started, week_done, answered)
        db.dispose()
        return result


def minimum_rows(made: list[Team]) -> int:
    """Every circle's prompt, every partner's check-in and two alerts per struggling pair, at least."""
    return sum(len(t.circles) + len(t.members) for t in made) + 2 * struggling(made)


def wait_until_settled(db: Database, expected: int, timeout: float = 900) -> None:
    deadline, quiet_since, last = time.monotonic() + timeout, time.monotonic(), (-1, -1)
    while time.monotonic() < deadline:
        with db.unit_of_work() as uow:
            rows = uow.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
            waiting = uow.session.scalar(select(func.count()).where(OutboxMessage.status.not_in(SETTLED)))
        now = (rows, waiting or 0)
        if now != last:
            quiet_since, last = time.monotonic(), now
        elif rows >= expected and not waiting and time.monotonic() - quiet_since >= QUIET_SECONDS:
            return
        time.sleep(0.5)
    raise RuntimeError(f"the week did not settle in {timeout:g} s (rows, unsent: {last})")


def last_post(standin: SlackStandIn) -> float:
    return max((call.at for call in standin.calls("chat.postMessage") if call.status == 200), default=0.0)


def count(
    name: str, db: Database, standin: SlackStandIn, started: float, week_done: float, answered: Answers
) -> Result:
    posts: Counter[tuple[str | None, str]] = Counter()
    at: dict[str | None, list[float]] = {}
    for call in standin.calls("chat.postMessage"):
        if call.status == 200 and isinstance(call.response, dict) and call.response.get("ok"):
            key = str(((call.args.get("metadata") or {}).get("event_payload") or {}).get("key"))
            posts[(call.token, key)] += 1
            at.setdefault(call.token, []).append(call.at)
    with db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(Workspace.team_id, OutboxMessage.idempotency_key, OutboxMessage.status).join(
                Workspace, Workspace.id == OutboxMessage.workspace_id
            )
        ).all()
        escalations = uow.session.scalar(select(func.count()).select_from(Escalation)) or 0
    token = {team: f"xoxb-replicas-{team}" for team, _, _ in rows}
    expected = {(token[team], key) for team, key, status in rows if status != OutboxStatus.MISSED}
    return Result(
        name=name,
        rows=len(expected),
        posted=sum(posts.values()),
        lost=sum(1 for k in expected if posts[k] == 0),
        duplicates=sum(n - 1 for n in posts.values() if n > 1),
        failed=sum(1 for *_, status in rows if status == OutboxStatus.FAILED),
        refused=sum(1 for call in standin.calls("chat.postMessage") if call.status == 429),
        escalations=escalations,
        seconds=week_done - started,
        peak_per_minute=6 * max((peak(times, 10.0) for times in at.values()), default=0),
        answered=answered,
    )


def peak(times: list[float], window: float) -> int:
    """The most instants in any `window` seconds."""
    times, most, start = sorted(times), 0, 0
    for end, t in enumerate(times):
        while times[start] <= t - window:
            start += 1
        most = max(most, end - start + 1)
    return most


def show(result: Result) -> None:
    print(
        f"{result.name:<20} {result.rows:>6} {result.posted:>6} {result.lost:>5} {result.duplicates:>5} "
        f"{result.failed:>6} {result.refused:>9} {result.escalations:>5} {result.seconds:>8.1f} "
        f"{result.per_second:>7.1f} {result.peak_per_minute:>6}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--workspaces", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the stand-in adds to every call")
    args = parser.parse_args(argv)
    made = teams(args.members, args.workspaces)
    people, circles = sum(len(t.members) for t in made), sum(len(t.circles) for t in made)
    print(
        f"programme: {people} members in {len(made)} workspaces, {circles} circles, "
        f"{people // 2} pairs ({struggling(made)} struggling); stand-in latency {args.latency:g} s"
    )
    results = [
        run_week("2 web + 2 worker", ["web", "web", "worker", "worker"], made, args.latency),
        run_week("1 all", ["all"], made, args.latency),
    ]
    print(
        f"{'processes':<20} {'rows':>6} {'posted':>6} {'lost':>5} {'dupl.':>5} {'failed':>6} "
        f"{'post 429s':>9} {'esc.':>5} {'seconds':>8} {'msg/s':>7} {'peak/min':>6}"
    )
    for result in results:
        show(result)
    for result in results:
        a = result.answered
        print(
            f"{result.name}: check-ins answered from the DM {a.sent}, stored {a.recorded}; "
            f"ack p50 {a.p(0.5):.0f} ms, p99 {a.p(0.99):.0f} ms"
        )
    replicated, single = results
    meets = all(
        r.lost == r.duplicates == 0
        and r.escalations == struggling(made)
        and r.answered.recorded == r.answered.sent
        for r in results
    )
    print(
        f"lost {replicated.lost}, duplicated {replicated.duplicates} with 2 web + 2 worker (target 0 and 0): "
        + ("meets" if meets else "MISSES")
    )
    print(f"throughput 2 web + 2 worker / 1 all: {replicated.per_second / max(single.per_second, 1e-9):.2f}")
    print(
        f"busiest workspace, its posts in 10 s as a pace per minute: {replicated.peak_per_minute} with "
        f"2 workers, {single.peak_per_minute} with 1 process (Slack's cap: about 300; each process keeps "
        "to it on its own)"
    )
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
