"""What a dispatch pass does with each outcome: count it, try again within the claim, or hand the row back."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.gateway.jobs import Job, JobQueue
from bot.gateway.options import DispatchOptions, PassClock
from bot.gateway.outcomes import Failed, Held, Outcome, RateLimited, Refused, Sent, Transient
from bot.gateway.record import Recorder
from bot.gateway.summary import DispatchSummary
from bot.pacing import Pacer
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.retry import again_if_dropped
from circles.services.intake.workspaces import mark_uninstalled
from circles.services.outbox.failures import UNBUILDABLE
from circles.services.outbox.queue import Trail, release

logger = logging.getLogger(__name__)


class Settler:
    """Turns outcomes into counts, retries, limiter holds and outbox updates, on the pass's own thread."""

    def __init__(
        self,
        db: Database,
        clock: PassClock,
        pacer: Pacer,
        options: DispatchOptions,
        queue: JobQueue,
        summary: DispatchSummary,
        recorder: Recorder,
        landing: float = 0.0,
    ) -> None:
        self._db, self._clock, self._pacer, self._options = db, clock, pacer, options
        self._queue, self.summary, self._recorder = queue, summary, recorder
        # Seconds a call Slack did not answer is given to land before the retry looks for it in history.
        self._landing = landing
        self.refused: dict[str, str] = {}  # team → the token error every call there would get: held too
        self.held: set[str] = set()  # teams whose messages wait for a reinstall (bot.gateway.clients)
        self._last_limited: dict[tuple[str, str], tuple[float, str | None]] = {}

    def settle(self, job: Job, outcome: Outcome) -> None:
        if isinstance(outcome, Refused):
            self._token_refused(job.row.team_id, outcome.error)
        if isinstance(outcome, Held):
            self.hold(job)
            return
        job.tried = True
        if isinstance(outcome, Sent):
            self.summary.sent += not outcome.deduplicated
            self.summary.deduplicated += outcome.deduplicated
        elif isinstance(outcome, Failed):
            self.count_failure(job, outcome.error)
        elif isinstance(outcome, RateLimited):
            self._rate_limited(job, outcome)
        else:
            self._transient(job, outcome)

    def hold(self, job: Job) -> None:
        """Hand back a row of a held team as it was claimed: nothing was sent, no attempt is counted."""
        self.held.add(job.row.team_id)
        if not job.tried:
            self.give_back(job)
        else:  # tried earlier in this pass: hand it back as a retry of that attempt
            self._retry_later(job, 0.0)

    def _token_refused(self, team: str, error: str) -> None:
        """Mark a team whose token Slack refused removed, once a pass, as an uninstall does: nothing of it
        is claimed until it is installed again, so its messages wait rather than fail one by one."""
        if team in self.refused:
            return
        self.refused[team] = error
        self.summary.errors[error] += 1
        now = self._clock.instant()
        again_if_dropped(lambda: mark_uninstalled(self._db.unit_of_work(), team, now))
        logger.warning(
            "Slack refused the bot token of %s (%s): its messages wait for a reinstall", team, error
        )

    def count_failure(self, job: Job, error: str) -> None:
        logger.warning("outbox row %s failed: %s", job.row.id, error)
        self.summary.failed += 1
        self.summary.unbuildable += error.startswith(UNBUILDABLE)
        self.summary.errors[error] += 1

    def give_back(self, job: Job) -> None:
        """Hand a job the pass will not try (again) back to the outbox."""
        if job.tried:
            self._retry_later(job, max(0.0, job.not_before - self._clock.tick()))
        else:
            again_if_dropped(lambda: release(self._db.unit_of_work(), job.row.id, job.row.attempt))
            self.summary.released += 1

    def _rate_limited(self, job: Job, limited: RateLimited) -> None:
        self.summary.rate_limited += 1
        team, now = job.row.team_id, self._clock.tick()
        channel = job.row.channel if limited.method == job.row.method else None
        slots = self._options.limits.slots(team, limited.method, channel)
        # Hold the narrowest limit, the conversation's when the method has one, so the others go on.
        self._pacer.hold(slots[-1][0], limited.retry_after)
        # Refused in two conversations at once: that is the workspace's limit, so hold it all.
        earlier = self._last_limited.get((team, limited.method))
        if earlier is not None and earlier[0] > now - limited.retry_after and earlier[1] != channel:
            self._pacer.hold(slots[0][0], limited.retry_after)
        self._last_limited[(team, limited.method)] = (now, channel)
        job.last_error = "ratelimited"
        self._again(job, now + limited.retry_after)

    def _transient(self, job: Job, failure: Transient) -> None:
        job.maybe_posted = job.maybe_posted or failure.maybe_posted
        job.tries += 1
        job.last_error = failure.error
        # A call nobody answered may still land: looked for at once, it would not be found yet and be posted
        # again. The row (and its conversation's later ones) waits till it has landed or never will.
        landing = self._landing if failure.in_flight else 0.0
        if job.tries >= self._options.tries:
            self._retry_later(job, max(landing, self._options.outbox_delay(job.row.attempt)))
        else:
            self._again(job, self._clock.tick() + max(landing, self._options.retry_delay(job.tries)))

    def _again(self, job: Job, at: float) -> None:
        """Try the job again at `at` within this claim, or hand it back to the outbox to be due then."""
        if self._clock.fits(job, at):
            job.not_before = at
            self._queue.put_back(job)
        else:
            self._retry_later(job, at - self._clock.tick())

    def _retry_later(self, job: Job, seconds: float) -> None:
        # Fenced by the claim: done again after a dropped connection, it changes nothing more. A row given
        # up is failed with what follows from it, in one transaction.
        now = self._clock.instant()
        status = self._recorder.retry_later(
            job.row,
            job.last_error,
            now + timedelta(seconds=seconds),
            Trail(job.row.trail.first_claimed_at, job.maybe_posted),
            now,
            self._options.max_attempts,
        )
        if status is OutboxStatus.FAILED:
            self.count_failure(job, job.last_error)
        elif status is OutboxStatus.PENDING:
            self.summary.retried += 1
            self.summary.errors[job.last_error] += 1
