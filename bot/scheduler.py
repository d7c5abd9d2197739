"""One periodic job that runs the scheduling pass: no job per circle, nothing pickled, safe to run twice."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler

from bot.deps import Deps
from bot.dispatch import dispatch
from bot.tick import run_tick

logger = logging.getLogger(__name__)
JOB_ID = "circles-tick"
SEND_ID = "circles-send"


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
    scheduler.start()
    deps.waker.attach(lambda: _send_soon(scheduler, deps))
    logger.info("scheduler ticking every %s s", seconds)
    return scheduler


def _send_soon(scheduler: BackgroundScheduler, deps: Deps) -> None:
    """Send what listeners just recorded; a send already running (or the next tick) picks it up otherwise."""
    scheduler.add_job(_send, args=[deps], id=SEND_ID, replace_existing=True, max_instances=1, coalesce=True)


def _send(deps: Deps) -> None:
    try:
        dispatch(deps, deps.clock())
    except Exception:
        logger.exception("sending failed; the next tick tries again")


def _tick(deps: Deps) -> None:
    try:
        run_tick(deps, deps.clock())
    except Exception:  # the next tick tries again; one bad pass must not stop the scheduler
        logger.exception("scheduling pass failed")
