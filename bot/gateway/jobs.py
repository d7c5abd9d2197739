"""Claimed rows waiting their turn in a dispatch pass; a conversation's rows go in the order claimed, and a
conversation an urgent message waits in (circles.messages.URGENT) goes before the others."""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from circles.messages import URGENT
from circles.services.outbox.queue import Claimed


@dataclass(eq=False)
class Job:
    """One claimed row and what this pass learned while trying it."""

    seq: int
    row: Claimed
    maybe_posted: bool  # an earlier attempt may have reached Slack: look before posting
    not_before: float = -math.inf  # on the pacer's clock
    tries: int = 0  # server errors and timeouts in this claim
    tried: bool = False  # a call was made in this claim, so handing it back counts as an attempt
    last_error: str = ""

    @property
    def conversation(self) -> tuple[str, str]:
        """The lane the row waits in: its conversation's, or its own when it posts in none.

        A row without a channel (a round's new channel or group DM) has nothing to keep in order with
        others, so it never waits behind one held up by another method's limit.
        """
        return (self.row.team_id, self.row.channel or f"#row:{self.row.id}")

    @property
    def urgent(self) -> bool:
        """Someone is waiting for it now, or it protects someone: a typed message's answer, an alert."""
        return self.row.payload.get("template") in URGENT


class JobQueue:
    """Jobs in claim order; only the first waiting job of each conversation may start."""

    def __init__(self) -> None:
        self._jobs: list[Job] = []
        self._numbers = itertools.count()

    def add_claimed(self, rows: Iterable[Claimed]) -> None:
        self._jobs.extend(Job(next(self._numbers), row, row.trail.maybe_posted) for row in rows)

    def put_back(self, job: Job) -> None:
        """Return a job to its place, ahead of later rows of its conversation."""
        bisect.insort(self._jobs, job, key=lambda queued: queued.seq)

    def remove(self, job: Job) -> None:
        self._jobs.remove(job)

    def heads(self, busy: set[tuple[str, str]]) -> list[Job]:
        """The first job of each conversation that has no call in flight: those of the conversations an
        urgent job waits in first, so that they take the next turns of their workspace's pace."""
        seen, heads = set(busy), []
        for job in self._jobs:
            if job.conversation not in seen:
                seen.add(job.conversation)
                heads.append(job)
        urgent = {job.conversation for job in self._jobs if job.urgent}
        return sorted(heads, key=lambda head: head.conversation not in urgent) if urgent else heads

    def next_wake(self, now: float) -> float | None:
        """The earliest time a waiting job becomes ready, if any waits."""
        return min((job.not_before for job in self._jobs if job.not_before > now), default=None)

    def __len__(self) -> int:
        return len(self._jobs)

    def __iter__(self) -> Iterator[Job]:
        return iter(list(self._jobs))
