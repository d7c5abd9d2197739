"""The Slack stand-in for the fan-out benchmark, in its own process, with latency and Slack's limits.

It prints its base URL, then answers each `report` line on stdin with one JSON line: how many times
Slack took a message for each outbox key, and how many calls were refused. EOF or SIGTERM stops it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from standin import SlackStandIn

TIER_3, TIER_4 = 50 / 60, 100 / 60  # calls per second


def configure(standin: SlackStandIn, latency: float, workspace_per_minute: float) -> None:
    """Every call waits `latency`; posting keeps to 1/s per conversation and the workspace's cap."""
    standin.latency = latency
    standin.rate_limit("chat.postMessage", per_second=workspace_per_minute / 60)
    standin.rate_limit("chat.postMessage", per_second=1.0, per_channel=True)
    for method in ("conversations.history", "conversations.open", "chat.update"):
        standin.rate_limit(method, per_second=TIER_3)
    standin.rate_limit("views.publish", per_second=TIER_4)


def report(standin: SlackStandIn) -> dict[str, object]:
    posts: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    taken_at: list[float] = []
    for call in standin.calls():
        if call.status == 429:
            refused[call.method] += 1
        elif (
            call.method == "chat.postMessage" and isinstance(call.response, dict) and call.response.get("ok")
        ):
            payload = (call.args.get("metadata") or {}).get("event_payload") or {}
            posts[str(payload.get("key"))] += 1
            taken_at.append(call.at)
    calls = Counter(call.method for call in standin.calls())
    return {"posts": posts, "refused": refused, "calls": calls, "first": min(taken_at, default=0.0)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--workspace-per-minute", type=float, default=300.0)
    args = parser.parse_args()
    with SlackStandIn() as standin:
        configure(standin, args.latency, args.workspace_per_minute)
        print(standin.base_url, flush=True)
        for line in sys.stdin:
            if line.strip() == "report":
                print(json.dumps(report(standin)), flush=True)


if __name__ == "__main__":
    main()
