"""Failures, latency and rate limits that tests inject into the stand-in."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field

# What Slack puts in the body of its non-200 answers.
_STATUS_ERRORS = {
    429: "ratelimited",
    500: "internal_error",
    502: "internal_error",
    503: "service_unavailable",
    504: "request_timeout",
}


@dataclass
class _Fault:
    status: int
    error: str
    retry_after: int | None
    remaining: int | None  # None: forever
    passing: int = 0  # calls still answered as usual before this fault starts
    done: bool = False  # the method does its work first: only its answer fails


@dataclass
class _Gate:
    passing: int  # calls still answered as usual before answers wait
    opened: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class Planned:
    """An answer decided before the method itself runs."""

    status: int
    error: str
    headers: dict[str, str]
    done: bool = False  # the method's work is done first, then this is answered instead of its result


@dataclass(frozen=True)
class _Limit:
    capacity: int
    window: float
    per_channel: bool


class Faults:
    """Thread-safe bookkeeping of injected failures, latency and rate limits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, list[_Fault]] = {}
        self._latency: dict[str, float] = {}
        # A method may have a workspace-wide limit and a per-channel one at once, like chat.postMessage.
        self._limits: dict[tuple[str, bool], _Limit] = {}
        self._windows: dict[tuple[str, bool, str | None], deque[float]] = {}
        self._gates: dict[str, _Gate] = {}
        self.latency = 0.0

    def fail(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int | None = 1,
        after: int = 0,
        done: bool = False,
    ) -> None:
        """Answer `times` calls of method with an HTTP error status, once `after` were answered as usual;
        `done`: each of them does its work first (Slack says a 5xx may come after part of it was done)."""
        # slack_sdk parses Retry-After with int(), so a fractional value would crash its retry handler.
        if not isinstance(retry_after, int) or retry_after < 0:
            raise ValueError("retry_after must be a non-negative int (Slack sends whole seconds)")
        if done and status == 429:
            raise ValueError("a 429 means Slack did nothing: done=True needs a server error")
        error = _STATUS_ERRORS.get(status, "fatal_error")
        self._add(method, _Fault(status, error, retry_after if status == 429 else None, times, after, done))

    def error(self, method: str, error: str, *, times: int | None = 1) -> None:
        """Answer the next `times` calls of method with HTTP 200 and {"ok": false, "error": error}."""
        self._add(method, _Fault(200, error, None, times))

    def set_latency(self, method: str, seconds: float) -> None:
        """Delay every answer to method by seconds (on top of the global latency)."""
        with self._lock:
            self._latency[method] = seconds

    def latency_for(self, method: str) -> float:
        """How long to hold an answer to method."""
        with self._lock:
            return self.latency + self._latency.get(method, 0.0)

    def hold(self, method: str, *, after: int = 0) -> None:
        """Hold every answer to method, once `after` were answered as usual, until release(method)."""
        with self._lock:
            earlier = self._gates.get(method)
            self._gates[method] = _Gate(after)
        if earlier is not None:  # what an earlier hold kept back goes: only release() would wake it
            earlier.opened.set()

    def release(self, method: str | None = None) -> None:
        """Let the answers hold() keeps back go (every method's when None), and hold no more."""
        with self._lock:
            if method is None:
                gates = list(self._gates.values())
                self._gates.clear()
            else:
                popped = self._gates.pop(method, None)
                gates = [popped] if popped is not None else []
        for gate in gates:
            gate.opened.set()

    def gate_for(self, method: str) -> threading.Event | None:
        """What an answer to method waits for before it goes: None unless hold() keeps it back."""
        with self._lock:
            gate = self._gates.get(method)
            if gate is None:
                return None
            if gate.passing > 0:
                gate.passing -= 1
                return None
            return gate.opened

    def rate_limit(self, method: str, per_second: float, *, per_channel: bool = False) -> None:
        """Really enforce a limit on method with a sliding window, like Slack's tiers.

        A per-channel limit and a workspace-wide one on the same method both apply; setting either again
        replaces that one.
        """
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        # Limits under 1/s (Slack's tiers are per minute) get a window long enough to hold one call.
        window = max(1.0, 1.0 / per_second)
        with self._lock:
            capacity = max(1, round(per_second * window))
            self._limits[(method, per_channel)] = _Limit(capacity, window, per_channel)

    def clear(self) -> None:
        """Remove every injected failure, latency and limit; let held answers go."""
        self.release()
        with self._lock:
            self._faults.clear()
            self._latency.clear()
            self._limits.clear()
            self._windows.clear()
            self.latency = 0.0

    def take(self, method: str, channel: str | None) -> Planned | None:
        """Consume the injected failure or rate limit that applies to this call, if any."""
        with self._lock:
            planned = self._take_fault(method)
            return planned if planned is not None else self._check_limit(method, channel)

    def _add(self, method: str, fault: _Fault) -> None:
        if fault.remaining is not None and fault.remaining < 1:
            raise ValueError("times must be at least 1 (or None for always)")
        with self._lock:
            self._faults.setdefault(method, []).append(fault)

    def _take_fault(self, method: str) -> Planned | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        if fault.passing > 0:
            fault.passing -= 1
            return None
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining == 0:
                queue.pop(0)
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        return Planned(fault.status, fault.error, headers, fault.done)

    def _check_limit(self, method: str, channel: str | None) -> Planned | None:
        now = time.monotonic()
        windows, waits = [], []
        for per_channel in (False, True):
            limit = self._limits.get((method, per_channel))
            if limit is None:
                continue
            key = (method, per_channel, channel if per_channel else None)
            window = self._windows.setdefault(key, deque())
            while window and window[0] <= now - limit.window:
                window.popleft()
            windows.append(window)
            if len(window) >= limit.capacity:
                waits.append(window[0] + limit.window - now)
        if waits:
            # A refused call takes no room in any window, as on Slack.
            return Planned(429, "ratelimited", {"Retry-After": str(max(1, math.ceil(max(waits))))})
        for window in windows:
            window.append(now)
        return None
