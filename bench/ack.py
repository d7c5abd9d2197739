"""Ack latency of `/circles` over HTTP, side by side with a bare Bolt app that only acks.

Target (bench/README.md): the Circles app's p99 within 1.5x of the bare app's p99, measured in one run.
Each app runs as its own process (Circles through `circles run`), the Slack stand-in in a third,
and this process only sends signed requests, alternating between the two apps round by round.

Two loads: a steady paced one (open loop, --rate commands per second) and a saturating one
(4 clients back to back, the CPU of this 2-core machine the bottleneck).

Run: .venv/bin/python -m bench.ack [--requests 900] [--rate 50] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.processes import free_port, process, standin
from standin import Signer, post

SECRET = "bench-signing-secret"  # noqa: S105 - a made-up secret for a local run
TOKEN = "xoxb-bench"  # noqa: S105
USERS = 50
TEXTS = ("help", "", "status", "dance", "join pgy1", "coaches quality improvement")
TARGET_RATIO = 1.5
SATURATING_CLIENTS = 4
BARE, CIRCLES = "bare Bolt (ack only)", "Circles (circles run)"


def measure(url: str, signer: Signer, response_url: str, count: int, rate: float | None) -> list[float]:
    """Send count commands, at `rate` per second (open loop) or back to back from 4 clients (rate None)."""
    start = time.perf_counter()

    def one(i: int) -> float:
        user_id = f"U{i % USERS:04d}BENCH"
        request = signer.slash_command(TEXTS[i % len(TEXTS)], user_id=user_id, response_url=response_url)
        if rate is not None:
            time.sleep(max(0.0, start + i / rate - time.perf_counter()))
        started = time.perf_counter()
        status, _, _ = post(url, request)
        elapsed = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        return elapsed

    with ThreadPoolExecutor(SATURATING_CLIENTS if rate is None else 32) as pool:
        return list(pool.map(one, range(count)))


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=900, help="per app and load")
    parser.add_argument("--rate", type=float, default=50.0, help="commands per second in the paced load")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    loads: dict[str, float | None] = {f"paced, {args.rate:g} commands/s": args.rate, "saturating": None}
    results: dict[str, dict[str, list[float]]] = {load: {BARE: [], CIRCLES: []} for load in loads}
    with tempfile.TemporaryDirectory() as folder, standin(USERS) as slack_url:
        cwd = Path(os.environ.get("BENCH_KEEP", folder))
        settings = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": f"{slack_url}/api/",
        }
        bare_port, circles_port = free_port(), free_port()
        urls = {
            BARE: f"http://127.0.0.1:{bare_port}/slack/events",
            CIRCLES: f"http://127.0.0.1:{circles_port}/slack/events",
        }
        with (
            process(["-m", "bench.bare_bolt"], cwd, urls[BARE], PORT=str(bare_port), **settings),
            process(["-m", "bot.cli", "run"], cwd, urls[CIRCLES], PORT=str(circles_port), **settings),
        ):
            signer, hooks = Signer(SECRET), f"{slack_url}/response/circles"
            for url in urls.values():
                measure(url, signer, hooks, 60, None)  # warm up
            per_round = max(1, args.requests // args.rounds)
            for load, rate in loads.items():
                for _ in range(args.rounds):
                    for app, url in urls.items():
                        results[load][app] += measure(url, signer, hooks, per_round, rate)
                        time.sleep(1)  # work after the acks of this round finishes before the next
    report(results, args.rate)


def report(results: dict[str, dict[str, list[float]]], rate: float) -> None:
    print("/circles over HTTP: signed requests; each app in its own process, Slack stand-in in a third")
    for load, by_app in results.items():
        print(f"\n{load}")
        print(f"{'app':<24}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}")
        for name, values in by_app.items():
            print(
                f"{name:<24}{len(values):>6}{percentile(values, 50) * 1000:>10.1f}"
                f"{percentile(values, 95) * 1000:>10.1f}{percentile(values, 99) * 1000:>10.1f}"
                f"{max(values) * 1000:>10.1f}"
            )
        ratio = percentile(by_app[CIRCLES], 99) / percentile(by_app[BARE], 99)
        verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
        print(f"p99 ratio Circles / bare: {ratio:.2f} (target <= {TARGET_RATIO}): {verdict} the target")


if __name__ == "__main__":
    main()
