"""One periodic job that runs the scheduling pass (no job per circle, nothing pickled), and a sender.

The job's period is kept on the monotonic clock (`Pacemaker`), not the wall clock: APScheduler's own
triggers work out the next run from `datetime.now()` but sleep on a monotonic timer, so a clock stepped
back an hour (NTP, a VM's clock set right) would leave an hour with no pass, and one stepped forward would
skip runs as misfired. The pacemaker asks the scheduler for a run every CIRCLES_TICK_SECONDS instead.

What runs in a process depends on its role (bot.roles):
- `all`: the periodic tick, and a sender woken by listeners, so what they record goes out at once.
- `worker`: the periodic tick, and a sender that also looks at the outbox every POLL_SECONDS, so what
  web processes record goes out within seconds. Claims use FOR UPDATE SKIP LOCKED, so any number of
  workers (and `circles tick` from cron) share the outbox without sending a row twice.
- `web`: neither; its listeners' messages wait in the outbox for a worker.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from apscheduler.events import EVENT_SCHEDULER_SHUTDOWN
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger

from bot.deps import Deps
from bot.dispatch import dispatch
from bot.roles import Role
from bot.tick import run_tick
from circles.persistence.retry import database_unavailable

logger = logging.getLogger(__name__)
JOB_ID = "circles-tick"
POLL_SECONDS = 2.0  # how long a worker may leave a message a web process recorded in the outbox


class CirclesScheduler(BackgroundScheduler):  # type: ignore[misc]  # APScheduler 3 has no type hints
    """The periodic tick, with the sender that runs beside it."""

    sender: Sender
    pacemaker: Pacemaker | None = None


def start_scheduler(deps: Deps, role: Role = Role.ALL) -> CirclesScheduler | None:
    """Tick every CIRCLES_TICK_SECONDS (0: never, for installs that run `circles tick` from cron)."""
    if not role.sends:
        logger.info("web role: no scheduler and no sender here; worker processes send the outbox")
        return None
    seconds = deps.settings.circles_tick_seconds
    if seconds <= 0 and role is Role.ALL:
        logger.info("scheduler off (CIRCLES_TICK_SECONDS=0): run `circles tick` to plan and send")
        return None
    scheduler = CirclesScheduler(timezone="UTC")
    if seconds > 0:
        # One pass at a time; a pass that overran is not queued up behind itself (planning is idempotent).
        # Run whenever the pacemaker asks, however far the wall clock moved meanwhile (no misfires); the
        # first time a period after starting, as ever.
        scheduler.add_job(
            _tick,
            Paced(),
            args=[deps],
            id=JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=None,
        )
        scheduler.pacemaker = Pacemaker(scheduler, seconds)
    sender = scheduler.sender = Sender(deps, poll_seconds=POLL_SECONDS if role is Role.WORKER else None)
    sender.start()
    within = deps.settings.circles_stop_seconds
    scheduler.add_listener(lambda event: _stopped(scheduler, within), EVENT_SCHEDULER_SHUTDOWN)
    scheduler.start()
    if scheduler.pacemaker is not None:
        scheduler.pacemaker.start()
    deps.waker.attach(sender.wake)
    if seconds > 0:
        logger.info("scheduler ticking every %s s", seconds)
    else:
        logger.info("no periodic tick (CIRCLES_TICK_SECONDS=0): `circles tick` plans; this worker sends")
    return scheduler


def stop_scheduler(scheduler: CirclesScheduler, within: float) -> bool:
    """Stop ticking and sending, waiting up to `within` seconds for the tick and the sender in flight to
    hand back what they hold (Deps.stopping, set first, tells their passes to stop); False if they have not.
    """
    deadline = time.monotonic() + within
    stopping = threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=True)
    stopping.start()
    # Whether the sender has finished, not whether its own wait (as long) has ended first: the two
    # waits end at about the same moment, and a sender still sending must be said to be.
    for waited in (stopping, scheduler.sender):
        waited.join(max(0.0, deadline - time.monotonic()))
    if stopping.is_alive() or scheduler.sender.is_alive():
        logger.warning("stopped without waiting longer for sending: its claims expire, and are sent then")
        return False
    return True


def _stopped(scheduler: CirclesScheduler, within: float) -> None:
    if scheduler.pacemaker is not None:
        scheduler.pacemaker.stop()
    scheduler.sender.stop(wait=within)


class Paced(BaseTrigger):  # type: ignore[misc]  # APScheduler 3 has no type hints
    """A trigger that leaves the period to the pacemaker: due at once when the pacemaker sets it, and then
    not before IDLE, which the pacemaker never lets come (it sets it again first)."""

    IDLE = timedelta(days=1)

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime:
        return now if previous_fire_time is None else now + self.IDLE

    def __str__(self) -> str:
        return "paced"


class Pacemaker(threading.Thread):
    """Asks the scheduler for its periodic job every `seconds` on the monotonic clock (an Event's wait), so
    the period holds whatever the wall clock does; the scheduler reads the wall clock only at that moment."""

    def __init__(self, scheduler: CirclesScheduler, seconds: float) -> None:
        super().__init__(name="circles-pacemaker", daemon=True)
        self._scheduler, self._seconds = scheduler, seconds
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        while not self._stopping.wait(self._seconds):
            try:  # a new Paced trigger: due at the scheduler's own `now`, whatever that reads
                self._scheduler.reschedule_job(JOB_ID, trigger=Paced())
            except (SchedulerNotRunningError, JobLookupError):
                return  # shut down meanwhile
            except Exception:  # the next beat tries again: the pacemaker stopping would stop every pass
                logger.exception("could not start the periodic pass; the next beat tries again")


class Sender(threading.Thread):
    """Sends what listeners just recorded, at once; a wake during a send makes it go round again.

    With `poll_seconds` it also goes round that often unwoken, the first time as it starts: a worker hears
    no listener, and what waited while no worker ran goes out at once.
    """

    def __init__(self, deps: Deps, *, poll_seconds: float | None = None) -> None:
        super().__init__(name="circles-sender", daemon=True)
        self._deps = deps
        self._poll_seconds = poll_seconds
        self._woken = threading.Event()
        if poll_seconds is not None:
            self._woken.set()
        self._stopping = False

    def wake(self) -> None:
        self._woken.set()

    def stop(self, wait: float = 0) -> None:
        """Go round no more; with `wait`, give a pass in flight that long to hand back what it holds."""
        self._stopping = True
        self._woken.set()
        if wait and self.is_alive() and threading.current_thread() is not self:
            self.join(wait)

    def run(self) -> None:
        while True:
            self._woken.wait(self._poll_seconds)
            if self._stopping:
                return
            self._woken.clear()  # before sending: a wake from now on is another round
            try:
                dispatch(self._deps, self._deps.clock())
            except Exception as error:
                _log_failure("sending failed; the next round tries again", error)


def _tick(deps: Deps) -> None:
    try:
        run_tick(deps, deps.clock())
    except Exception as error:  # the next tick tries again; one bad pass must not stop the scheduler
        _log_failure("scheduling pass failed; the next tick tries again", error)


def _log_failure(what: str, error: Exception) -> None:
    """The database gone for a moment (a restart, a dropped connection) is one line; a fault, a traceback."""
    if database_unavailable(error):
        logger.warning(
            "%s: the database is unavailable (%s)", what, type(getattr(error, "orig", None) or error).__name__
        )
    else:
        logger.exception(what)
