"""How a dispatch pass behaves, and the clock it keeps."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.gateway.jobs import Job
from bot.pacing import SLACK_LIMITS, Pacer, SlackLimits
from circles.services.outbox.queue import MAX_ATTEMPTS


@dataclass(frozen=True)
class DispatchOptions:
    workers: int = 4  # calls in flight at once
    batch: int = 100  # rows held at most; more are claimed when half are done
    # Rows of one workspace a claim takes at most (more when half are done), each workspace's first row
    # before anyone's second, so that a backlog paced at its own limits never keeps others' waiting.
    per_workspace: int = 50
    claim_for: timedelta = timedelta(minutes=5)
    claim_margin: timedelta = timedelta(minutes=1)  # no call starts closer than this to the claim's end
    deadline: float | None = None  # seconds after which the pass gives back what it holds and returns
    limits: SlackLimits = SLACK_LIMITS
    tries: int = 3  # server errors and timeouts tried within one claim before the row goes back
    backoff: float = 0.5  # seconds before the first retry within a claim, doubled after each
    jitter: Callable[[], float] = random.random
    max_attempts: int = MAX_ATTEMPTS
    look_up_dnd: bool = True  # ask Slack about Do Not Disturb before claiming personal messages
    # How late a planned occurrence may still be claimed (None: any; `dispatch` gives CIRCLES_GRACE_HOURS).
    grace: timedelta | None = None

    def __post_init__(self) -> None:
        if self.claim_margin >= self.claim_for:
            raise ValueError("claim_margin must be shorter than claim_for")
        if self.workers < 1 or self.batch < 1 or self.per_workspace < 1:
            raise ValueError("a pass needs at least one worker and a batch of one")

    def retry_delay(self, tries: int) -> float:
        """Seconds before the next try within a claim, after `tries` server errors or timeouts."""
        return jittered(self.backoff * 2 ** (tries - 1), self.jitter)

    def outbox_delay(self, attempt: int) -> float:
        """Seconds a row waits in the outbox after its attempt-th claim failed: 30 s, 2 min, 8 min … 1 h."""
        return jittered(min(3600.0, 30.0 * 4 ** (attempt - 1)), self.jitter)


def jittered(seconds: float, jitter: Callable[[], float]) -> float:
    # Half fixed, half random: retries of many rows spread out, and none comes back at once.
    return seconds * (0.5 + 0.5 * jitter())


class PassClock:
    """The pass's time: `now` as given, moved on by the pacer's clock since the pass began; and the wall
    clock's, which claims are counted on (`wall`, the same as `now` unless the pass runs at another time)."""

    def __init__(
        self, now: datetime, pacer: Pacer, options: DispatchOptions, wall: datetime | None = None
    ) -> None:
        self._now, self._pacer, self._options = now, pacer, options
        self._wall = now if wall is None else wall
        self.started = pacer.clock()

    def tick(self) -> float:
        return self._pacer.clock()

    def instant(self, at: float | None = None) -> datetime:
        """The date and time of pacer-clock reading `at` (default: now)."""
        return self._now + timedelta(seconds=(self.tick() if at is None else at) - self.started)

    def wall(self, at: float | None = None) -> datetime:
        """The wall clock's date and time at pacer-clock reading `at` (default: now)."""
        return self._wall + timedelta(seconds=(self.tick() if at is None else at) - self.started)

    def ends_at(self) -> float | None:
        return None if self._options.deadline is None else self.started + self._options.deadline

    def over(self) -> bool:
        ends = self.ends_at()
        return ends is not None and self.tick() >= ends

    def fits(self, job: Job, at: float) -> bool:
        """Whether a call at `at` is still inside the pass and well inside the job's claim."""
        ends = self.ends_at()
        inside_claim = self.wall(at) + self._options.claim_margin < job.row.claimed_until
        return (ends is None or at < ends) and inside_claim
