"""Who the bot is in each workspace, as Slack's auth.test said, kept a while: not asked before every ack.

Bolt's token look-up asks Slack (auth.test) on every request unless it caches, and its own cache keeps
every token for ever: with rotating tokens (a new one every 12 hours in each of hundreds of workspaces)
that grows without end. This one holds at most `most` answers, each for `keep` seconds, so a token that
was revoked is asked about again soon and an answer never outlives its token for long.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from slack_bolt.authorization import AuthorizeResult

from bot.remembered import Remembered

KEEP_SECONDS = 600.0
MOST = 5_000


class KnownBots(dict[str, AuthorizeResult]):
    """The mapping Bolt's `authorize_result_cache` is used as (`in`, `[]` and `[]=`), bounded and expiring.

    Bolt reads an answer with `[]` right after `in`, outside any lock: an answer found is the last to be
    forgotten and an expired one stays until replaced, so that read never meets a KeyError.
    """

    def __init__(
        self, keep: float = KEEP_SECONDS, most: int = MOST, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self._answers: Remembered[str, AuthorizeResult] = Remembered(keep, most, clock)

    def __contains__(self, token: object) -> bool:
        return isinstance(token, str) and self._answers.fresh(token)[0]

    def __getitem__(self, token: str) -> AuthorizeResult:
        return self._answers.held(token)

    def __setitem__(self, token: str, result: AuthorizeResult) -> None:
        self._answers.keep(token, result)

    def __len__(self) -> int:
        return len(self._answers)
