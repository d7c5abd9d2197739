"""The loop of a dispatch pass: claim, start what the limits allow, wait, settle, until nothing is due."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime

from bot.gateway.clients import Clients
from bot.gateway.dnd import look_up_dnd
from bot.gateway.fence import still_going
from bot.gateway.jobs import Job, JobQueue
from bot.gateway.options import DispatchOptions, PassClock
from bot.gateway.outcomes import Failed, Outcome, Sent
from bot.gateway.record import Recorder, is_round_step
from bot.gateway.send import Gateway
from bot.gateway.settle import Settler
from bot.gateway.shares import Shares
from bot.gateway.summary import DispatchSummary
from bot.pacing import Pacer, Slot
from circles.persistence.db import Database
from circles.persistence.retry import again_if_dropped, database_unavailable
from circles.services.escalations.sending import Admins
from circles.services.outbox.queue import Claimed, Share, claim_due

logger = logging.getLogger(__name__)
UNAVAILABLE = "the database is unavailable: this pass stops, and the next one carries on"
EXPIRED = "claim expired"  # why a row whose dispatchers kept dying holding it was given up
# A workspace Slack takes no calls from for longer than this (a 429's Retry-After) hands its rows back.
SHUT_FOR = 10.0


class DispatchPass:
    """One pass; the loop and the waiting run on the caller's thread, the calls on a small pool."""

    def __init__(
        self,
        db: Database,
        now: datetime,
        pacer: Pacer,
        options: DispatchOptions,
        gateway: Gateway,
        dnd: Clients | None = None,
        *,
        halt: threading.Event | None = None,
        admins: Admins = (),
        wall: datetime | None = None,
        woken: Callable[[], bool] | None = None,
    ) -> None:
        self._db, self._pacer, self._options, self._gateway = db, pacer, options, gateway
        self._clock = PassClock(now, pacer, options, wall)  # claims count on `wall`, the wall clock
        self._queue = JobQueue()
        self._running: dict[Future[Outcome], Job] = {}
        # What to claim next, per workspace; at once when `woken` says something was just recorded.
        self._shares = Shares(options.batch, options.per_workspace, woken)
        self._stopping = False  # the process is shutting down: start nothing more
        self.summary = DispatchSummary()
        self._admins = admins
        self._recorder = Recorder(db, admins)  # who hears what its first person could not receive
        self._settler = Settler(
            db, self._clock, pacer, options, self._queue, self.summary, self._recorder, gateway.landing
        )
        self._dnd = dnd  # whose Do Not Disturb to ask Slack about before claiming; None: nobody's
        self._halt = halt or threading.Event()  # set when the process stops (SIGTERM)

    def run(self) -> DispatchSummary:
        if self._dnd is not None:
            try:
                limits, at = self._options.limits, self._clock.instant()
                self._shares.leave = look_up_dnd(self._db, self._dnd, self._pacer, limits, at)
            except Exception as error:
                if not database_unavailable(error):
                    raise
                logger.warning(UNAVAILABLE)
                return self.summary
        with ThreadPoolExecutor(self._options.workers, thread_name_prefix="dispatch") as pool:
            while not self._clock.over():
                if self._halt.is_set():  # what is in flight settles; the rest goes back to the outbox
                    logger.info("stopping: unsent messages go back to the outbox")
                    break
                self._top_up()
                self._start_ready(pool)
                if self._stopping or (self._shares.finished() and not self._queue and not self._running):
                    break
                self._wait()
            self._finish()
        self.summary.seconds = self._clock.tick() - self._clock.started
        return self.summary

    def _top_up(self) -> None:
        held = Counter(job.row.workspace_id for job in [*self._queue, *self._running.values()])
        if self._stopping or (wanted := self._shares.next_claim(held, self._clock.tick())) is None:
            return
        share, limit = wanted
        given_up: list[Claimed] = []
        try:
            # Claiming again is safe: a claim that went through unseen only waits for its expiry.
            rows = again_if_dropped(lambda: self._claim(limit, share, given_up))
        except Exception as error:
            self._stop_if_unavailable(error)
            return
        self._shares.claimed(share, len(rows), limit)
        self.summary.claimed += len(rows)
        self._queue.add_claimed(rows)
        try:
            for row in given_up:  # its dispatchers kept dying: what its sender does with a row given up
                self._recorder.gave_up(row, EXPIRED, self._clock.instant())
        except Exception as error:
            self._stop_if_unavailable(error)

    def _stop_if_unavailable(self, error: Exception) -> None:
        """Stop the pass when the database is unavailable (the next one carries on); else raise."""
        if not database_unavailable(error):
            raise error
        logger.warning(UNAVAILABLE)
        self._shares.drained = self._stopping = True

    def _claim(self, limit: int, share: Share, given_up: list[Claimed]) -> list[Claimed]:
        given_up.clear()  # only what the claim that went through gave up
        share.filled.clear()
        return claim_due(
            self._db.unit_of_work(),
            self._clock.instant(),
            limit=limit,
            claim_for=self._options.claim_for,
            max_attempts=self._options.max_attempts,
            admins=self._admins,
            given_up=given_up,
            share=share,
            wall=self._clock.wall(),
            grace=self._options.grace,
        )

    def _start_ready(self, pool: ThreadPoolExecutor) -> None:
        now, ready = self._clock.tick(), list[Job]()
        for job in self._queue.heads(busy={job.conversation for job in self._running.values()}):
            if len(self._running) + len(ready) >= self._options.workers:
                break
            if job.row.team_id in self._settler.held:  # its token cannot be refreshed, or Slack refused it
                self._queue.remove(job)
                self._settler.hold(job)
            elif self._shut(job, now):  # a 429 shut its workspace: hand its rows back, take others'
                self._queue.remove(job)
                self._settler.give_back(job)
            elif job.not_before > now:
                continue
            elif not self._clock.fits(job, now):
                self._queue.remove(job)
                self._settler.give_back(job)
            elif (wait_for := self._pacer.reserve(self._slots(job))) > 0:
                job.not_before = now + wait_for
            else:
                self._queue.remove(job)
                ready.append(job)
        if ready:
            self._start(pool, ready)

    def _start(self, pool: ThreadPoolExecutor, ready: list[Job]) -> None:
        """Start the calls of the jobs whose turn came, once what they say is found still true."""
        try:
            going = still_going(self._db, ready, self._clock.instant(), self.summary)
        except Exception as error:
            for job in ready:  # still claimed: handed back as the pass stops
                self._queue.put_back(job)
            self._stop_if_unavailable(error)
            return
        for at, job in enumerate(going):
            try:
                future = pool.submit(self._attempt, job)
            except RuntimeError:  # the interpreter is exiting (SIGTERM): the rest goes back to the outbox
                logger.info("shutting down: unsent messages go back to the outbox")
                self._stopping = True
                for rest in going[at:]:
                    self._queue.put_back(rest)
                return
            self._running[future] = job

    def _shut(self, job: Job, now: float) -> bool:
        """Whether Slack takes no call of the job's workspace for a while; noted for claims to skip it."""
        team, workspace = job.row.team_id, job.row.workspace_id
        if self._shares.shut.get(workspace, now) > now:
            return True
        methods = {method for method, _ in self._gateway.calls(job.row, job.maybe_posted)}
        keys = [self._options.limits.slots(team, method)[0][0] for method in methods]
        opens_in = max((self._pacer.opens_in(key) for key in keys), default=0.0)
        if opens_in <= SHUT_FOR:
            return False
        self._shares.shut_until(workspace, now + opens_in)
        return True

    def _slots(self, job: Job) -> list[Slot]:
        limits, team = self._options.limits, job.row.team_id
        calls = self._gateway.calls(job.row, job.maybe_posted)
        return [slot for method, channel in calls for slot in limits.slots(team, method, channel)]

    def _attempt(self, job: Job) -> Outcome:
        """On a worker: send, then record a final outcome at once, so the crash window stays short."""
        outcome = self._gateway.send(job.row, job.maybe_posted)
        if isinstance(outcome, Sent):
            self._recorder.sent(job.row, outcome.result, self._clock.instant())
        elif isinstance(outcome, Failed):
            self._recorder.failed(job.row, outcome.error, self._clock.instant())
        return outcome

    def _wait(self) -> None:
        now = self._clock.tick()
        wake = min(
            (
                t
                for t in (self._queue.next_wake(now), self._clock.ends_at(), self._shares.opens(now))
                if t is not None
            ),
            default=None,
        )
        if self._running:
            done, _ = wait(self._running, None if wake is None else max(0.0, wake - now), FIRST_COMPLETED)
            for future in done:
                self._settle(self._running.pop(future), future)
        elif wake is not None and wake > now:
            self._pacer.sleep(wake - now)

    def _finish(self) -> None:
        for future, job in list(self._running.items()):
            del self._running[future]
            self._settle(job, future)
        for job in list(self._queue):
            self._queue.remove(job)
            try:
                self._settler.give_back(job)
            except Exception as error:
                if not database_unavailable(error):
                    raise
                # Still claimed: it is sent once the claim expires.
                logger.warning(
                    "outbox row %s: could not be handed back, the database is unavailable", job.row.id
                )

    def _settle(self, job: Job, future: Future[Outcome]) -> None:
        try:
            outcome = future.result()
        except Exception as error:
            # The row stays claimed; when the claim expires a pass looks for it in Slack and sends it.
            if database_unavailable(error):
                logger.warning(
                    "outbox row %s: the database is unavailable; its outcome waits for the claim to expire",
                    job.row.id,
                )
                self.summary.errors["database unavailable"] += 1
            else:
                logger.exception("outbox row %s: sending broke off; it will be tried again", job.row.id)
                self.summary.errors["unexpected"] += 1
            return
        self._settler.settle(job, outcome)
        if is_round_step(job.row) and isinstance(outcome, Sent | Failed):
            self._shares.drained = False  # its next step was just queued: claim again
