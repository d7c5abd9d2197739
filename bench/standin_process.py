"""Serve the Slack stand-in until SIGTERM, printing its base URL first.

A separate process keeps the stand-in off the measured app's CPU, as Slack is in production.
"""

from __future__ import annotations

import signal
import sys
import threading

from standin import SlackStandIn


def main(users: int) -> None:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with SlackStandIn() as standin:
        for i in range(users):
            standin.add_user(f"U{i:04d}BENCH", is_admin=i == 0)
        print(standin.base_url, flush=True)
        stopped.wait()


if __name__ == "__main__":
    main(int(sys.argv[1]))
