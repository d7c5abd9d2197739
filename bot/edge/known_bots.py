"""Who the bot is in each workspace, as Slack's auth.test said, kept a while: not asked before every ack.

Bolt's token look-up asks Slack (auth.test) on every request unless it caches, and its own cache keeps
every token for ever: with rotating tokens (a new one every 12 hours in each of hundreds of workspaces)
that grows without end. This one holds at most `most` answers, each for `keep` seconds, so a token that
was revoked is asked about again soon and an answer never outlives its token for long.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from slack_bolt.authorization import AuthorizeResult

KEEP_SECONDS = 600.0
MOST = 5_000


class KnownBots(dict[str, AuthorizeResult]):
    """The mapping Bolt's `authorize_result_cache` is used as (`in`, `[]` and `[]=`), bounded and expiring."""

    def __init__(
        self, keep: float = KEEP_SECONDS, most: int = MOST, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self._keep, self._most, self._clock = keep, most, clock
        self._answers: OrderedDict[str, tuple[float, AuthorizeResult]] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, token: object) -> bool:
        """Whether a fresh answer is held. Bolt reads it with `[]` next, outside this lock: an answer too
        old stays (the fresh one replaces it) and one found moves last, so neither another request finding
        it expired nor a newer answer pushing out the oldest leaves that read a KeyError."""
        with self._lock:
            found = self._answers.get(token) if isinstance(token, str) else None
            if found is None or self._clock() - found[0] >= self._keep:
                return False
            self._answers.move_to_end(token)  # type: ignore[arg-type]
            return True

    def __getitem__(self, token: str) -> AuthorizeResult:
        with self._lock:
            return self._answers[token][1]

    def __setitem__(self, token: str, result: AuthorizeResult) -> None:
        with self._lock:
            self._answers[token] = (self._clock(), result)
            self._answers.move_to_end(token)
            while len(self._answers) > self._most:
                self._answers.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._answers)
