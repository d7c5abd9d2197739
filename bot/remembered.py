"""Answers from Slack remembered for a while and for a bounded number of keys, shared by threads."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Remembered(Generic[K, V]):
    """At most `most` answers, each fresh for `keep` seconds. Past the limit, expired answers go first,
    then the least recently found; an expired answer is otherwise kept until a fresh one replaces it."""

    def __init__(self, keep: float, most: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._keep, self._most, self._clock = keep, most, clock
        self._answers: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def fresh(self, key: K) -> tuple[bool, V | None]:
        """(True, the answer) while it is fresh, found last to be forgotten; (False, None) otherwise."""
        with self._lock:
            found = self._answers.get(key)
            if found is None or self._clock() - found[0] >= self._keep:
                return False, None
            self._answers.move_to_end(key)
            return True, found[1]

    def held(self, key: K) -> V:
        """The answer held, fresh or not; KeyError when none is."""
        with self._lock:
            return self._answers[key][1]

    def keep(self, key: K, answer: V) -> None:
        """Remember an answer from now, forgetting past the limit as the class says."""
        with self._lock:
            now = self._clock()
            self._answers[key] = (now, answer)
            self._answers.move_to_end(key)
            if len(self._answers) > self._most:
                for old in [k for k, (at, _) in self._answers.items() if now - at >= self._keep]:
                    del self._answers[old]
            while len(self._answers) > self._most:
                self._answers.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._answers)
