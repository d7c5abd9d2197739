"""Which workspaces a dispatch pass claims rows of next: each its own share, so that one workspace's backlog,
or the 429 that shut it, never keeps another workspace's messages waiting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from circles.services.outbox.queue import Share


class Shares:
    """What the pass's claims so far say is still due, per workspace."""

    def __init__(self, batch: int, per_workspace: int, woken: Callable[[], bool] | None = None) -> None:
        self._batch, self._per_workspace = batch, per_workspace
        # Whether something was recorded since last asked (a typed message's answer, an alert): claim at once.
        self._woken = woken
        self._looked = False  # the last claim was one of those
        self.drained = False  # the last claim found nothing more due outside `more`
        self.more: set[int] = set()  # workspaces whose last claim took their full share: more may be due
        self.shut: dict[int, float] = {}  # workspace → when (pacer clock) Slack takes its calls again
        self.leave: set[tuple[int, str]] = set()  # (workspace, person): their Do Not Disturb is still unknown

    def next_claim(self, held: Counter[int], now: float) -> tuple[Share, int] | None:
        """What to claim now, given the rows each workspace holds, and how many rows at most; None: nothing.

        A workspace holding more than half its share, or shut, gets none; the others theirs, whenever one
        known to have more is down to half its share, or, as before shares, when half the batch is done;
        and at once, from every workspace not shut, when woken: what was just recorded may be urgent, and a
        claim takes urgent rows first."""
        total = sum(held.values())
        if total >= self._batch:
            return None
        self._looked = self._woken is not None and self._woken()
        if self._looked:
            return Share(self._per_workspace, skip=self._shut(now), leave=self.leave), self._batch - total
        busy = {workspace for workspace, n in held.items() if n > self._per_workspace // 2}
        busy |= self._shut(now)
        if not self.more - busy and (self.drained or total > self._batch // 2):
            return None
        return Share(self._per_workspace, skip=busy, leave=self.leave), self._batch - total

    def claimed(self, share: Share, rows: int, limit: int) -> None:
        """Learn from a claim of `limit` rows that took `rows` with this share."""
        # A claim woken while workspaces held rows may have had room for fewer than their share: only one
        # that took less than it could says that the others have no more.
        kept = self.more if self._looked and rows >= limit else self.more & set(share.skip)
        self.more = kept | share.filled
        self.drained = rows < limit

    def finished(self) -> bool:
        """Whether nothing more is due: the pass ends once what it holds is done."""
        return self.drained and not self.more

    def opens(self, now: float) -> float | None:
        """When the first shut workspace takes calls again, to claim its rows then; None if none is shut."""
        return min((until for until in self.shut.values() if until > now), default=None)

    def shut_until(self, workspace: int, at: float) -> None:
        """Slack takes none of the workspace's calls until `at`: its rows wait, more of them may be due."""
        self.shut[workspace] = max(at, self.shut.get(workspace, at))
        self.more.add(workspace)

    def _shut(self, now: float) -> set[int]:
        return {workspace for workspace, until in self.shut.items() if until > now}
