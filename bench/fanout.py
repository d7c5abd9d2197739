"""Fan-out: circle prompts and DMs delivered through a rate-limiting Slack stand-in, at the limit's pace.

Target (bench/README.md): at least 90% of the rate-limit bound, zero lost and zero duplicate messages.
The stand-in runs in its own process and adds 100 ms to every call; it enforces 1 message/s per
conversation, a workspace-wide cap on chat.postMessage (300/min, the low end of Slack's "several
hundred a minute", which the dispatcher also keeps to) and Tier 3/4 limits on the other methods.
The outbox rows (each prompt to its own circle channel, each DM to its own person) sit in a SQLite
file, and one dispatch pass sends them with the dispatcher's production settings.

The bound is what the limits allow: N messages at the workspace cap (each conversation receives one,
so the per-conversation limit never binds). The counts are scaled down so the bound fits --seconds.

Run: .venv/bin/python -m bench.fanout [--prompts 2000] [--dms 10000] [--seconds 180] [--database URL]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bot.deps import Deps
from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import POST_MESSAGE_PER_WORKSPACE, Pacer
from circles.messages import PlainNotice
from circles.persistence.db import Database
from circles.persistence.migrate import upgrade
from circles.persistence.models import Workspace
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.settings import Settings
from tests.e2e.harness import ROOT, environment

TARGET = 0.90
TOKEN = "xoxb-bench"  # noqa: S105 - a made-up token for a local run


@contextlib.contextmanager
def standin(latency: float) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The rate-limiting stand-in in its own process; yields its base URL and the process."""
    child = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.fanout_standin", "--latency", str(latency)],
        cwd=ROOT,
        env=environment(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        yield child.stdout.readline().strip(), child
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(timeout=10)


def ask_report(child: subprocess.Popen[str]) -> dict[str, dict[str, int]]:
    assert child.stdin is not None
    assert child.stdout is not None
    child.stdin.write("report\n")
    child.stdin.flush()
    answer: dict[str, dict[str, int]] = json.loads(child.stdout.readline())
    return answer


def messages(prompts: int, dms: int) -> list[Outgoing]:
    """Each circle prompt to its own circle channel, each DM to its own person."""
    circle = [
        Outgoing(f"prompt:{i}", f"C{i:07d}", PlainNotice(f"This week's prompt for circle {i}"))
        for i in range(prompts)
    ]
    direct = [Outgoing(f"dm:{i}", f"U{i:07d}", PlainNotice("Your check-in is ready")) for i in range(dms)]
    return circle + direct


def seed(db: Database, outgoing: list[Outgoing], now: datetime) -> None:
    with db.unit_of_work() as uow:
        workspace = Workspace(team_id="T0001", name="Bench", created_at=now)
        uow.session.add(workspace)
        uow.session.flush()
        enqueue_many(uow.session, workspace.id, outgoing, now, now)
        uow.commit()


def scaled(prompts: int, dms: int, seconds: float, per_second: float) -> tuple[int, int]:
    """Counts in the same proportion whose bound fits in `seconds`."""
    factor = min(1.0, seconds * per_second / max(1, prompts + dms))
    return (max(1, round(prompts * factor)) if prompts else 0, max(1, round(dms * factor)) if dms else 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=2000)
    parser.add_argument("--dms", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=180.0, help="scale counts so the bound fits this")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the stand-in adds to every call")
    parser.add_argument("--database", help="an empty database at the latest schema (else a new SQLite file)")
    args = parser.parse_args(argv)
    per_second = POST_MESSAGE_PER_WORKSPACE / 60
    prompts, dms = scaled(args.prompts, args.dms, args.seconds, per_second)
    total = prompts + dms
    print(f"requested: {args.prompts} circle prompts + {args.dms} DMs = {args.prompts + args.dms} messages")
    print(
        f"used:      {prompts} circle prompts + {dms} DMs = {total} messages (bound fits {args.seconds:g} s)"
    )
    with tempfile.TemporaryDirectory() as folder, standin(args.latency) as (slack_url, child):
        db = Database(args.database or f"sqlite:///{Path(folder) / 'fanout.db'}")
        if not args.database:
            upgrade(db.engine)
        now = datetime.now(UTC)
        outgoing = messages(prompts, dms)
        seed(db, outgoing, now)
        settings = Settings(
            _env_file=None,
            slack_bot_token=TOKEN,
            slack_signing_secret="bench",  # noqa: S106 - a made-up secret
            slack_api_url=f"{slack_url}/api/",
        )
        started = time.perf_counter()
        summary = dispatch(Deps(settings=settings, db=db, pacer=Pacer()), now, options=DispatchOptions())
        elapsed = time.perf_counter() - started
        record = ask_report(child)
        db.dispose()
    posts = record["posts"]
    lost = sum(1 for message in outgoing if posts.get(message.key, 0) == 0)
    duplicates = sum(max(0, n - 1) for n in posts.values())
    bound = total / per_second
    ratio = bound / elapsed
    print(f"dispatch:  {summary}")
    print(f"stand-in:  {sum(posts.values())} messages taken, refused (429): {dict(record['refused']) or 0}")
    print(
        f"elapsed {elapsed:.1f} s; rate-limit bound {bound:.1f} s ({total} messages at {per_second:g}/s "
        f"in one workspace, one per conversation); achieved {total / elapsed:.2f}/s"
    )
    verdict = "meets the target" if ratio >= TARGET and lost == duplicates == 0 else "MISSES the target"
    print(f"lost {lost}; duplicates {duplicates}")
    print(f"ratio achieved/bound: {ratio:.3f} (target >= {TARGET}): {verdict}")
    return 0 if lost == duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
