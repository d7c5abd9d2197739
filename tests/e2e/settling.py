"""Know when the app served in a thread has finished what a request started, instead of sleeping."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from slack_bolt import App

from standin import SlackStandIn


class Activity:
    """Work the app has started and not finished: lazy listeners on Bolt's threads, the test's sender."""

    def __init__(self) -> None:
        self._running = 0
        self._changed = threading.Condition()
        self._busy: list[Callable[[], bool]] = []

    def started(self) -> None:
        with self._changed:
            self._running += 1

    def finished(self) -> None:
        with self._changed:
            self._running -= 1
            self._changed.notify_all()

    def also_busy_while(self, busy: Callable[[], bool]) -> None:
        """Count the app busy while this says so (a thread this module does not start)."""
        self._busy.append(busy)

    def idle(self) -> bool:
        with self._changed:
            return self._running == 0 and not any(busy() for busy in self._busy)

    def wait_idle(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self.idle():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"the app was still busy after {timeout}s")
                # The sender's state changes without notifying: look again soon.
                self._changed.wait(min(remaining, 0.01))

    def watch(self, app: App) -> None:
        """Count everything Bolt runs on its listener threads (lazy listeners among them)."""
        executor = app.listener_runner.listener_executor
        submit = executor.submit

        def counted(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
            self.started()
            try:
                future = submit(fn, *args, **kwargs)
            except BaseException:
                self.finished()
                raise
            future.add_done_callback(lambda _: self.finished())
            return future

        executor.submit = counted  # type: ignore[method-assign]
        homes = getattr(executor, "homes", None)  # Home tabs published on threads of their own
        if homes is not None:
            self.also_busy_while(homes.busy)


# Once the app is idle, every thread it runs has finished, and a call any of them made is still being
# answered (the stand-in counts it) or already recorded; the quiet period only covers a call started by
# a thread the app does not report, so it can be short.
QUIET = 0.05


def settle(activity: Activity, standin: SlackStandIn, quiet: float = QUIET, timeout: float = 10.0) -> None:
    """Wait until nothing runs in the app and Slack has heard nothing from it for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        activity.wait_idle(max(deadline - time.monotonic(), 0.0))
        standin.wait_quiet(quiet, timeout=max(deadline - time.monotonic(), quiet))
        if activity.idle():
            return
