"""`circles tick` asked to stop (SIGTERM, or Ctrl-C): once, its pass starts nothing more and hands back
what it claimed and has not started, as a worker's does; twice, it ends at once."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any, NoReturn

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
logger = logging.getLogger(__name__)


class StopSignals:
    """While in use, the first stop signal sets `stopping` and the next one ends the process at once.

    Until `stopping` is given (the pass's own, `Deps.stopping`) nothing is claimed yet: the first signal
    ends the process at once, with nothing to hand back."""

    def __init__(self) -> None:
        self.stopping: threading.Event | None = None
        self.asked: signal.Signals | None = None  # the first stop signal, once one came
        self._previous: dict[signal.Signals, Any] = {}

    def __enter__(self) -> StopSignals:
        self._previous = {each: signal.getsignal(each) for each in STOP_SIGNALS}
        _on_signals(self._first)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for each, handler in self._previous.items():
            signal.signal(each, handler)

    def _first(self, signum: int, frame: FrameType | None) -> None:
        self.asked = signal.Signals(signum)
        if self.stopping is None:
            _leave(signum, f"circles: tick stopped ({self.asked.name}) before sending anything")
        _on_signals(self._again)  # from now on, asking again means now
        self.stopping.set()  # polled by the pass: in flight settles, the rest goes back to the outbox
        logger.info(
            "stopping (%s): sends in flight finish, the rest goes back to the outbox", self.asked.name
        )

    def _again(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        _leave(
            signum,
            f"circles: tick stopped at once ({name} again): what it holds is sent once its claims expire",
        )


def _on_signals(handler: Callable[[int, FrameType | None], None]) -> None:
    for each in STOP_SIGNALS:
        signal.signal(each, handler)


def _leave(signum: int, line: str) -> NoReturn:
    """End the process now, saying so in one line; os.write, as the main thread may be midway through a
    print of its own (a buffered stream written to again from a handler raises)."""
    os.write(2, f"{line}\n".encode())
    os._exit(128 + signum)
