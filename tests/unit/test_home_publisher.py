"""The Home publisher: the latest Home asked for per person, Slack's Retry-After waited out per tenant, and
what waits dropped when the process stops."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bot.acked_work import AckedWork
from bot.home_publisher import HomePublisher


class Tries:
    """What the attempts did, in order, each named by the test."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.done: list[str] = []
        self._changed = threading.Condition()

    def attempt(
        self, name: str, *waits: float, gate: threading.Event | None = None
    ) -> Callable[[], float | None]:
        """An attempt noting `name` each time it runs; it asks to wait `waits` in turn, then is over."""
        left = list(waits)

        def run() -> float | None:
            with self._changed:
                self.started.append(name)
                self._changed.notify_all()
            if gate is not None:
                gate.wait(5)
            with self._changed:
                self.done.append(name)
                self._changed.notify_all()
            return left.pop(0) if left else None

        return run

    def wait_for(self, count: int, started: bool = False) -> list[str]:
        """The first `count` attempts that ended (or `started`), once there are so many."""
        seen = self.started if started else self.done
        with self._changed:
            assert self._changed.wait_for(lambda: len(seen) >= count, timeout=5), seen
            return list(seen)


def idle(publisher: HomePublisher) -> None:
    deadline = time.monotonic() + 5
    while publisher.busy():
        assert time.monotonic() < deadline, "still busy"
        time.sleep(0.01)


def test_an_opening_while_the_persons_home_waits_is_merged_into_it() -> None:
    publisher, tries, gate = HomePublisher(workers=1), Tries(), threading.Event()
    publisher.ask("T1", "U0ANN", tries.attempt("ann", gate=gate))  # the one thread is held on Ann's
    publisher.ask("T1", "U0BEN", tries.attempt("ben first"))
    publisher.ask("T1", "U0CAT", tries.attempt("cat"))
    publisher.ask("T1", "U0BEN", tries.attempt("ben again"))
    gate.set()
    idle(publisher)
    assert tries.done == ["ann", "ben again", "cat"]  # Ben's kept his place in the queue


def test_slack_asking_one_tenant_to_wait_holds_that_tenant_only_then_tries_the_person_again() -> None:
    publisher, tries = HomePublisher(workers=1), Tries()
    asked = time.monotonic()
    publisher.ask("T1", "U0ANN", tries.attempt("ann", 0.3))  # a 429: Retry-After 0.3 s
    tries.wait_for(1)
    publisher.ask("T1", "U0BEN", tries.attempt("ben"))
    publisher.ask("T2", "U0CAT", tries.attempt("cat"))
    assert tries.wait_for(2) == ["ann", "cat"]  # another tenant's Home goes on at once
    assert tries.wait_for(4) == ["ann", "cat", "ann", "ben"]  # Ann's first, once T1 is taken again
    assert time.monotonic() - asked >= 0.3
    idle(publisher)


def test_one_persons_home_is_never_published_twice_at_once() -> None:
    publisher, tries, gate = HomePublisher(workers=2), Tries(), threading.Event()
    publisher.ask("T1", "U0ANN", tries.attempt("ann", gate=gate))
    tries.wait_for(1, started=True)
    publisher.ask("T1", "U0ANN", tries.attempt("ann again"))
    time.sleep(0.05)  # the other thread is free, and leaves it alone
    assert tries.started == ["ann"]
    gate.set()
    idle(publisher)
    assert tries.done == ["ann", "ann again"]


def test_a_stopping_process_drops_the_homes_waiting_and_waits_a_bounded_time_for_those_published() -> None:
    work, tries, gate = AckedWork(), Tries(), threading.Event()
    work.homes.ask("T1", "U0ANN", tries.attempt("ann", gate=gate))
    work.homes.ask("T1", "U0BEN", tries.attempt("ben", gate=gate))
    tries.wait_for(2, started=True)  # both threads are publishing
    for n in range(3):
        work.homes.ask("T1", f"U0P{n}", tries.attempt(f"waiting {n}"))
    started = time.monotonic()
    assert work.finish(0.2) is False  # Ann's and Ben's are still being published
    assert time.monotonic() - started < 1.0
    gate.set()
    assert work.finish(1.0) is True
    work.homes.ask("T1", "U0LATE", tries.attempt("late"))  # nothing is taken once stopped
    assert not work.homes.busy()
    assert sorted(tries.done) == ["ann", "ben"]
