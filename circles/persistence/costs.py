"""What a piece of work costs the database: wall time, and the SQL statements sent meanwhile."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepCost:
    """What one step of a pass cost: wall time, and SQL statements sent to the database meanwhile."""

    seconds: float
    statements: int


class Costs:
    """Time each step and count the statements the engine sends meanwhile (from any thread: the
    dispatcher's workers too, and whatever else uses the database at that moment)."""

    def __init__(self, engine: Engine, into: dict[str, StepCost]) -> None:
        self._engine, self._into = engine, into
        self._count = 0
        self._lock = threading.Lock()

    def __enter__(self) -> Costs:
        event.listen(self._engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self._engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        with self._lock:
            self._count += 1

    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        started, before = time.perf_counter(), self._count
        try:
            yield
        finally:
            cost = StepCost(time.perf_counter() - started, self._count - before)
            self._into[step] = cost
            logger.debug("tick step %s: %.3f s, %d SQL statements", step, cost.seconds, cost.statements)
