"""Home tabs published on threads of their own, so that many people opening Home at once keep nobody
else's answer or form waiting behind them."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

WORKERS = 2  # a Home is a few reads and one call: more would only take database connections from acked work
# An opening Slack kept refusing (429) for this long is given up: the person has long moved on, and their
# next opening asks again.
GIVE_UP_SECONDS = 300.0

# One try at someone's Home: None when it is over (published, or failed into the log), or the seconds Slack
# asked to wait (a 429's Retry-After) before it is tried again.
Attempt = Callable[[], float | None]
Key = tuple[str, str]  # the tenant, and the person


@dataclass
class _Asked:
    key: Key
    attempt: Attempt
    since: float  # when it was first asked, on the publisher's clock


class HomePublisher:
    """Publish one Home at a time per person, the latest asked for: an opening while one waits is merged
    into it. A tenant Slack asked to wait (429) is held that long, the others go on.

    What waits when the process stops is dropped: a Home is only a view, published again at the next
    opening."""

    def __init__(self, workers: int = WORKERS, clock: Callable[[], float] = time.monotonic) -> None:
        self._workers, self._clock = workers, clock
        self._waiting: OrderedDict[Key, _Asked] = OrderedDict()
        self._running: set[Key] = set()
        self._held: dict[str, float] = {}  # tenant → when Slack takes its calls again
        self._threads: list[threading.Thread] = []
        self._stopping = False
        self._changed = threading.Condition()

    def ask(self, tenant: str, user: str, attempt: Attempt) -> None:
        """Publish the person's Home soon; merged into the one already waiting for them, if any."""
        key = (tenant, user)
        with self._changed:
            if self._stopping:
                return
            earlier = self._waiting.get(key)
            since = earlier.since if earlier is not None else self._clock()
            self._waiting[key] = _Asked(key, attempt, since)  # its place in the queue is kept
            self._start_threads()
            self._changed.notify()

    def busy(self) -> bool:
        """Whether a Home waits or is being published."""
        with self._changed:
            return bool(self._waiting or self._running)

    def stop(self) -> None:
        """Take no more, and drop what waits: each is published again at its person's next opening."""
        with self._changed:
            dropped = 0 if self._stopping else len(self._waiting)
            self._stopping = True
            self._waiting.clear()
            self._changed.notify_all()
        if dropped:
            logger.info("stopping: %s Home tabs not published", dropped)

    def finish(self, within: float) -> bool:
        """Stop, and let what is being published end within `within` seconds; False if some runs on."""
        deadline = self._clock() + max(0.0, within)
        self.stop()
        for thread in self._threads:
            thread.join(max(0.0, deadline - self._clock()))
        return not any(thread.is_alive() for thread in self._threads)

    def _start_threads(self) -> None:
        while len(self._threads) < self._workers:
            thread = threading.Thread(
                target=self._work, name=f"circles-home-{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _work(self) -> None:
        while (asked := self._take()) is not None:
            try:
                wait = asked.attempt()
            except Exception:  # an attempt says its own failures: this keeps the thread alive
                logger.exception("publishing a Home failed")
                wait = None
            with self._changed:
                self._running.discard(asked.key)
                if wait is not None:
                    self._again(asked, wait)
                self._changed.notify_all()

    def _take(self) -> _Asked | None:
        """The first waiting Home whose tenant Slack takes calls from and whose person's is not being
        published; None once stopping."""
        with self._changed:
            while not self._stopping:
                now = self._clock()
                self._held = {tenant: until for tenant, until in self._held.items() if until > now}
                for key, asked in self._waiting.items():
                    if key not in self._running and key[0] not in self._held:
                        del self._waiting[key]
                        self._running.add(key)
                        return asked
                reopens = min(self._held.values(), default=None)
                self._changed.wait(None if reopens is None else reopens - now)
            return None

    def _again(self, asked: _Asked, wait: float) -> None:
        """Slack asked to wait: hold the tenant that long, then try the person's Home first again, unless
        they opened it meanwhile (that one is published instead) or it has waited too long."""
        tenant, now = asked.key[0], self._clock()
        self._held[tenant] = max(self._held.get(tenant, now), now + wait)
        if self._stopping or asked.key in self._waiting:
            return
        if now - asked.since > GIVE_UP_SECONDS:
            logger.warning(
                "gave up publishing a Home after Slack asked to wait for %.0f s", now - asked.since
            )
            return
        self._waiting[asked.key] = asked
        self._waiting.move_to_end(asked.key, last=False)
