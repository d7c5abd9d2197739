"""Tick: 500 workspaces, 100,000 partnerships and a million check-ins; a tick with nothing due, and due work.

Target (bench/README.md): with nothing due a tick takes at most 0.5 s and 30 SQL statements, on SQLite
and on PostgreSQL; with due work its cost grows linearly with the due items only. The installation
(bench.tick_build) is built in bulk, then looked at once in full (what `circles tick --full` does for
health), then ticks run as `circles tick` runs them (bot.tick.run_tick, sending to a local stand-in of
Slack): one with nothing due, then three with more and more partners answering a check-in just before.

Run: .venv/bin/python -m bench.tick [--scale 1.0] [--databases sqlite,postgresql] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text, update
from sqlalchemy.engine import make_url

from bench.tick_build import SETTLED, Size, analyze, build
from bot.deps import Deps
from bot.gateway.options import DispatchOptions
from bot.pacing import Pacer, SlackLimits
from bot.tick import run_tick
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.costs import StepCost
from circles.persistence.db import Database
from circles.persistence.migrate import upgrade
from circles.persistence.models import CheckIn, OutboxMessage, Partnership
from circles.services.health import due as health_due
from circles.services.health.due import look_now
from circles.services.health.recompute import recompute
from circles.services.nudges.digests import plan_nudges
from circles.services.partnerships.changes import complete_finished_cohorts
from circles.services.planning import plan
from circles.settings import Settings
from standin import SlackStandIn

IDLE_SECONDS, IDLE_STATEMENTS = 0.5, 30
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DUE_AMOUNTS = (0.001, 0.01, 0.1)  # shares of the partnerships with a fresh answer before a tick
STEPS = (
    "pairs held",
    "completions",
    "planning",
    "nudges",
    "away notices",
    "expiry",
    "watch",
    "dispatch",
    "forgetting",
)


@dataclass(frozen=True)
class Run:
    label: str
    due: int
    costs: dict[str, StepCost]

    @property
    def seconds(self) -> float:
        return sum(cost.seconds for cost in self.costs.values())

    @property
    def statements(self) -> int:
        return sum(cost.statements for cost in self.costs.values())


def bench(url: str, size: Size, seed: int, standin: SlackStandIn) -> list[Run]:
    db = Database(url)
    try:
        upgrade(db.engine)
        built = build(db, size, seed)
        print(f"  built in {built:.1f} s: {size.workspaces} workspaces, {size.cohorts} cohorts,")
        print(f"  {size.partnerships} partnerships, {size.checkins} check-ins")
        seconds, health = settle(db)
        print(f"  first look at everything: {seconds:.1f} s, of which every pair's health {health:.1f} s")
        deps = Deps(settings=_settings(url, standin), db=db, pacer=Pacer.unpaced())
        sending = DispatchOptions(limits=SlackLimits.none())
        runs = [Run("nothing due", 0, run_tick(deps, SETTLED + timedelta(minutes=1), sending=sending).costs)]
        rng = random.Random(seed)
        for n, share in enumerate(DUE_AMOUNTS, start=1):
            at = SETTLED + timedelta(hours=n, minutes=1)
            due = answered_before(db, rng, max(1, round(size.partnerships * share)), at)
            runs.append(Run(f"{due} due", due, run_tick(deps, at, sending=sending).costs))
        return runs
    finally:
        db.dispose()


MAX_SETTLING_PASSES = 50


def settle(db: Database) -> tuple[float, float]:
    """Plan past occurrences and look at every pair's health once, as the first tick would.

    The installation has been running for weeks: its alerts went out long ago, so none is opened
    here, and whatever planning wrote counts as sent. Returns the seconds in all, and for health.
    """
    started = time.perf_counter()
    with db.unit_of_work() as uow:
        complete_finished_cohorts(uow.session, SETTLED)
        # A pass plans a bounded number of cohorts and digests; a running installation has long since
        # caught up, so pass until nothing is left, as its first minutes after an upgrade would.
        for _ in range(MAX_SETTLING_PASSES):
            planned = plan(uow.session, SETTLED, grace=timedelta(hours=6))
            nudged = plan_nudges(uow.session, SETTLED)
            if planned.cohorts == 0 and nudged.guides_checked == 0:
                break
        uow.session.execute(update(OutboxMessage).values(status=OutboxStatus.SENT))
        looking = time.perf_counter()
        everyone = health_due.take_all(uow.session, SETTLED)
        for chunk in health_due.chunks(everyone):
            found = recompute(uow.session, SETTLED, partnerships=chunk)
            health_due.settle(uow.session, SETTLED, chunk, found)
        uow.commit()
    done = time.perf_counter()
    analyze(db)  # every pair's due time just moved: autovacuum would notice within the minute
    return done - started, done - looking


def answered_before(db: Database, rng: random.Random, count: int, at: datetime) -> int:
    """`count` pairs each get a check-in answered 10 minutes before `at`, as the answer service writes it."""
    with db.unit_of_work() as uow:
        pairs = uow.session.execute(
            select(Partnership.id, Partnership.workspace_id, Partnership.second_member_id)
        ).all()
        chosen = rng.sample(pairs, count)
        answered = at - timedelta(minutes=10)
        rows = [
            {"workspace_id": ws, "partnership_id": pair, "member_id": learner}
            | {"due_at": at - timedelta(hours=1), "answered_at": answered, "note_shared": False}
            | {"rating": rng.choices((1, 2, 3, 4, 5), (2, 4, 24, 40, 30))[0], "met": rng.random() < 0.85}
            | {"wants_support": rng.random() < 0.02}
            for pair, ws, learner in chosen
        ]
        uow.session.execute(insert(CheckIn), rows)
        look_now(uow.session, [pair for pair, _, _ in chosen], answered)
        uow.commit()
    return count


def report(name: str, runs: list[Run]) -> None:
    idle, due = runs[0], runs[1:]
    print(f"  {'tick':<14}" + "".join(f"{step:>20}" for step in STEPS) + f"{'total':>20}")
    for run in runs:
        cells = [_cell(run.costs.get(step, StepCost(0.0, 0))) for step in STEPS]
        cells.append(_cell(StepCost(run.seconds, run.statements)))
        print(f"  {run.label:<14}" + "".join(f"{c:>20}" for c in cells))
    ok = idle.seconds <= IDLE_SECONDS and idle.statements <= IDLE_STATEMENTS
    print(
        f"  {name}: idle tick {idle.seconds:.3f} s, {idle.statements} statements "
        f"(target <= {IDLE_SECONDS} s and <= {IDLE_STATEMENTS}): {'meets' if ok else 'MISSES'}"
    )
    watch_idle = idle.costs["watch"]
    print(f"    of which health, escalation watch and follow-ups: {_cell(watch_idle)}")
    print("  due work, watch step beyond the idle tick, per due item:")
    per_item: list[tuple[float, float]] = []
    for run in due:
        cost = run.costs["watch"]
        extra_ms = (cost.seconds - watch_idle.seconds) * 1000 / run.due
        extra_statements = (cost.statements - watch_idle.statements) / run.due
        per_item.append((extra_ms, extra_statements))
        print(f"    {run.due:>7} due: {extra_ms:6.2f} ms and {extra_statements:6.3f} statements each")
    # Linear: the largest amount costs no more per item than the middle one (within a factor of 2).
    (mid_ms, mid_st), (top_ms, top_st) = per_item[-2], per_item[-1]
    linear = top_ms <= 2 * mid_ms and top_st <= 2 * max(mid_st, 0.01)
    print(f"  {name}: due work grows linearly with the due items: {'meets' if linear else 'MISSES'}")


def _cell(cost: StepCost) -> str:
    return f"{cost.seconds:.3f} s / {cost.statements}"


def _settings(url: str, standin: SlackStandIn) -> Settings:
    return Settings(
        _env_file=None,
        slack_bot_token="xoxb-bench",  # noqa: S106 - the local stand-in's, not a secret
        slack_signing_secret="bench-secret",  # noqa: S106
        slack_api_url=standin.api_url,
        database_url=url,
    )


@contextmanager
def database(kind: str, folder: Path, server: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'tick.db'}"
        return
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"circles_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 500 workspaces, 100,000 pairs")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="a server where databases may be made")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    size = Size.scaled(args.scale)
    results: dict[str, list[Run]] = {}
    with tempfile.TemporaryDirectory() as folder, SlackStandIn() as standin:
        for cohort in range(size.cohorts):
            standin.add_user(f"UF{cohort:06d}")
        for kind in args.databases.split(","):
            print(f"{kind}:")
            with database(kind, Path(folder), args.postgres_url) as url:
                results[kind] = bench(url, size, args.seed, standin)
    for kind, runs in results.items():
        print(f"\n{kind} (seconds / SQL statements per step)")
        report(kind, runs)


if __name__ == "__main__":
    main()
