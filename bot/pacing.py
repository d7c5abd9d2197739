"""Space out calls to Slack methods so a large round stays within their rate tiers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# Seconds between calls: Tier 2 (20/min) for conversations.create, Tier 3 (50/min) for the rest.
SLACK_INTERVALS = {
    "conversations.create": 3.0,
    "conversations.invite": 1.2,
    "conversations.open": 1.2,
    "conversations.list": 3.0,
    "chat.postMessage": 1.0,  # each kickoff goes to its own conversation; this caps the workspace
}


class Pacer:
    """Waits before a call until the method's interval since its last call has passed."""

    def __init__(
        self,
        intervals: dict[str, float] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._intervals = SLACK_INTERVALS if intervals is None else intervals
        self._clock, self._sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, method: str) -> None:
        interval = self._intervals.get(method, 0.0)
        with self._lock:
            now = self._clock()
            due = self._last.get(method, float("-inf")) + interval
            self._last[method] = max(now, due)
        if due > now:
            self._sleep(due - now)

    @classmethod
    def unpaced(cls) -> Pacer:
        """For tests against the stand-in, which enforces whatever limits a test sets."""
        return cls({})
