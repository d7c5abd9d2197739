"""One periodic job that runs the scheduling pass (no job per circle, nothing pickled), and a woken sender."""

from __future__ import annotations

import logging
import threading

from apscheduler.events import EVENT_SCHEDULER_SHUTDOWN
from apscheduler.schedulers.background import BackgroundScheduler

from bot.deps import Deps
from bot.dispatch import dispatch
from bot.tick import run_tick

logger = logging.getLogger(__name__)
JOB_ID = "circles-tick"


def start_scheduler(deps: Deps) -> BackgroundScheduler | None:
    """Tick every CIRCLES_TICK_SECONDS (0: never, for installs that run `circles tick` from cron)."""
    seconds = deps.settings.circles_tick_seconds
    if seconds <= 0:
        logger.info("scheduler off (CIRCLES_TICK_SECONDS=0): run `circles tick` to plan and send")
        return None
    scheduler = BackgroundScheduler(timezone="UTC")
    # One pass at a time; a pass that overran is not queued up behind itself (planning is idempotent).
    scheduler.add_job(
        _tick, "interval", seconds=seconds, args=[deps], id=JOB_ID, max_instances=1, coalesce=True
    )
    sender = Sender(deps)
    sender.start()
    scheduler.add_listener(lambda event: sender.stop(), EVENT_SCHEDULER_SHUTDOWN)
    scheduler.start()
    deps.waker.attach(sender.wake)
    logger.info("scheduler ticking every %s s", seconds)
    return scheduler


class Sender(threading.Thread):
    """Sends what listeners just recorded, at once; a wake during a send makes it go round again."""

    def __init__(self, deps: Deps) -> None:
        super().__init__(name="circles-sender", daemon=True)
        self._deps = deps
        self._woken = threading.Event()
        self._stopping = False

    def wake(self) -> None:
        self._woken.set()

    def stop(self) -> None:
        self._stopping = True
        self._woken.set()

    def run(self) -> None:
        while True:
            self._woken.wait()
            if self._stopping:
                return
            self._woken.clear()  # before sending: a wake from now on is another round
            try:
                dispatch(self._deps, self._deps.clock())
            except Exception:
                logger.exception("sending failed; the next tick tries again")


def _tick(deps: Deps) -> None:
    try:
        run_tick(deps, deps.clock())
    except Exception:  # the next tick tries again; one bad pass must not stop the scheduler
        logger.exception("scheduling pass failed")
