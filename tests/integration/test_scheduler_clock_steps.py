"""The periodic tick keeps its period when the wall clock is stepped (NTP, a VM's clock set right).

APScheduler reads the wall clock (`datetime.now`) to decide what is due but sleeps on a monotonic timer:
driven by its interval trigger, a clock stepped back an hour left an hour without a pass (nothing planned,
no health watch; in role `all` nothing sent). The scheduler's wall clock is stepped here as NTP would.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import apscheduler.executors.base as executors_base
import apscheduler.schedulers.base as schedulers_base
import pytest

import bot.scheduler as scheduler_module
from bot.roles import Role

PERIOD = 0.2  # CIRCLES_TICK_SECONDS, shortened


class SteppedClock:
    """The wall clock as APScheduler reads it, stepped by `offset`."""

    offset = timedelta(0)

    @classmethod
    def datetime_type(cls) -> type[datetime]:
        clock = cls

        class Stepped(datetime):
            @classmethod
            def now(cls, tz=None):  # type: ignore[no-untyped-def]
                return datetime.now(tz) + clock.offset

        return Stepped


class Passes:
    """The monotonic instants the tick ran at; waited on, not slept for."""

    def __init__(self) -> None:
        self.at: list[float] = []
        self._changed = threading.Condition()

    def ran(self, *_: object) -> None:
        with self._changed:
            self.at.append(time.monotonic())
            self._changed.notify_all()

    def wait_for(self, count: int, since: float, within: float) -> list[float]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.since(since)) >= count, timeout=within)
            return self.since(since)

    def since(self, instant: float) -> list[float]:
        return [at for at in self.at if at > instant]


def counted_deps(monkeypatch: pytest.MonkeyPatch, passes: Passes) -> SimpleNamespace:
    """What start_scheduler needs, with each pass counted in `passes` and nothing planned or sent."""
    monkeypatch.setattr(scheduler_module, "run_tick", passes.ran)
    monkeypatch.setattr(scheduler_module, "dispatch", lambda deps, now: None)
    return SimpleNamespace(
        settings=SimpleNamespace(circles_tick_seconds=PERIOD, circles_stop_seconds=1),
        waker=SimpleNamespace(attach=lambda wake: None),
        clock=lambda: datetime.now(UTC),
    )


@pytest.mark.parametrize("step", [-timedelta(hours=1), timedelta(hours=2)], ids=["back", "forward"])
@pytest.mark.parametrize("role", [Role.ALL, Role.WORKER])
def test_the_tick_keeps_its_period_when_the_wall_clock_is_stepped(
    monkeypatch: pytest.MonkeyPatch, role: Role, step: timedelta
) -> None:
    SteppedClock.offset = timedelta(0)
    for module in (schedulers_base, executors_base):
        monkeypatch.setattr(module, "datetime", SteppedClock.datetime_type())
    passes = Passes()
    deps = counted_deps(monkeypatch, passes)
    scheduler = scheduler_module.start_scheduler(deps, role)  # type: ignore[arg-type]
    assert scheduler is not None
    try:
        assert len(passes.wait_for(2, 0.0, within=5)) >= 2, "the tick did not start"
        SteppedClock.offset = step
        stepped = time.monotonic()
        after = passes.wait_for(3, stepped, within=5)
    finally:
        assert scheduler_module.stop_scheduler(scheduler, 2)
    assert len(after) >= 3, f"{len(after)} passes in 5 s after the wall clock stepped by {step}"
    gaps = [later - earlier for earlier, later in zip([stepped, *after], after, strict=False)]
    assert max(gaps) < PERIOD * 5, gaps


def test_a_stopped_scheduler_stops_asking_for_the_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    passes = Passes()
    deps = counted_deps(monkeypatch, passes)
    scheduler = scheduler_module.start_scheduler(deps, Role.WORKER)  # type: ignore[arg-type]
    assert scheduler is not None
    assert scheduler.pacemaker is not None
    passes.wait_for(1, 0.0, within=5)
    started = time.monotonic()
    assert scheduler_module.stop_scheduler(scheduler, 2)
    scheduler.pacemaker.join(2)
    assert not scheduler.pacemaker.is_alive()
    assert time.monotonic() - started < PERIOD * 5  # stopping waits for no period
