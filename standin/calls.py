"""The stand-in's record of every request it answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Call:
    """One request the stand-in answered."""

    method: str  # Web API method, or "response_url" / "file_upload" for the non-API endpoints
    args: dict[str, Any]  # JSON-valued fields (blocks, view, files...) already decoded
    token: str | None
    headers: dict[str, str]  # names lower-cased
    at: float  # time.time() when the request arrived
    path: str = ""
    body: bytes = b""
    status: int = 200
    response: Any = field(default=None, compare=False)  # the JSON (or text) answered

    def summary(self) -> str:
        """A one-line description for failure messages."""
        error = self.response.get("error") if isinstance(self.response, dict) else None
        outcome = f"{self.status} {error}" if error else str(self.status)
        return f"{self.method} [{outcome}] {self.args!r:.200}"


Predicate = Callable[[Call], bool]


class CallLog:
    """A thread-safe, ordered list of calls that tests can wait on."""

    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._changed = threading.Condition()
        self._answering: list[tuple[str, float]] = []  # requests not answered yet: method, seconds held
        self._last_change = time.monotonic()

    def arrived(self, method: str, held: float) -> None:
        """Note a request being answered, held back `held` seconds, until record() takes it."""
        with self._changed:
            self._answering.append((method, held))
            self._last_change = time.monotonic()
            self._changed.notify_all()

    def record(self, call: Call, *, held: float | None = None) -> None:
        """Append a call (answered now, if arrived() noted it as held) and wake up anyone waiting."""
        with self._changed:
            if held is not None:
                self._answering.remove((call.method, held))
            self._calls.append(call)
            self._last_change = time.monotonic()
            self._changed.notify_all()

    def answering(self, method: str | None = None, held: float = 0.0) -> int:
        """How many requests (of method, held back at least `held` seconds) are not answered yet."""
        with self._changed:
            return sum(1 for m, h in self._answering if (method is None or m == method) and h >= held)

    def wait_answering(
        self, method: str | None, count: int = 1, held: float = 0.0, timeout: float = 5.0
    ) -> None:
        """Block until count requests (of method, held back at least `held` seconds) are being answered."""
        wanted = f"{count} {method or 'any'} request(s) in flight"
        self._wait(lambda: self.answering(method, held) >= count, timeout, wanted)

    def wait_quiet(self, quiet: float = 0.1, timeout: float = 10.0) -> None:
        """Block until nothing is being answered and no request has come for `quiet` seconds."""

        def still() -> bool:
            return not self._answering and time.monotonic() - self._last_change >= quiet

        self._wait(still, timeout, f"{quiet}s without a request", poll=quiet / 4)

    def _wait(self, done: Callable[[], bool], timeout: float, wanted: str, poll: float = 0.5) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not done():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = self._describe()
                    raise AssertionError(f"timed out after {timeout}s waiting for {wanted}; calls: {seen}")
                self._changed.wait(min(remaining, poll))

    def calls(self, method: str | None = None, predicate: Predicate | None = None) -> list[Call]:
        """The calls so far, optionally only one method's and only those matching predicate."""
        with self._changed:
            return self._matching(method, predicate)

    def last(self, method: str | None = None) -> Call:
        """The most recent call (of method); AssertionError when there is none."""
        found = self.calls(method)
        if not found:
            raise AssertionError(f"no {method or 'API'} call was made; calls: {self._describe()}")
        return found[-1]

    def clear(self) -> None:
        """Forget every call recorded so far."""
        with self._changed:
            self._calls.clear()

    def wait_for(
        self,
        method: str | None,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Predicate | None = None,
    ) -> list[Call]:
        """Block until count matching calls have arrived and return the first count of them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = self._matching(method, predicate)
                if len(found) >= count:
                    return found[:count]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    wanted = f"{count} {method or 'any'} call(s)" + (
                        " matching predicate" if predicate else ""
                    )
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {wanted}; got {len(found)}. "
                        f"Calls seen: {self._describe()}"
                    )
                self._changed.wait(remaining)

    def _matching(self, method: str | None, predicate: Predicate | None) -> list[Call]:
        return [
            c
            for c in self._calls
            if (method is None or c.method == method) and (predicate is None or predicate(c))
        ]

    def _describe(self) -> str:
        with self._changed:
            lines = [c.summary() for c in self._calls]
        return "\n  " + "\n  ".join(lines) if lines else "none"
