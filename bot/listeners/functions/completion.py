"""End a step's run in Slack once: its outputs, or one line saying why it could not be done.

A run nobody completes stays "in progress" in the workflow's activity, and the workflow stops there: so a
completion Slack refuses for now (429, 5xx, a lost connection) is tried again, within a bounded time, and
outputs Slack refuses for good fail the step instead. Slack saying the run is no longer running means
it was already completed (or timed out), which is an answer too.

The first try is made by the thread that did the step; tries again wait on threads of their own, so that
Slack failing a burst of runs never holds the few threads that answer people's commands and buttons.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.gateway.outcomes import Failed, Outcome, RateLimited, from_api_error, from_os_error
from bot.slack_client import raising_rate_limits

logger = logging.getLogger(__name__)

# The web client already retries each call a few times after a 5xx or a lost connection (short pauses; a 429
# comes back at once); then the completion is tried again, each pause twice the last up to a ceiling (or
# Slack's Retry-After), until the patience runs out.
PATIENCE_SECONDS = 60.0  # how long a run's completion is tried again for
FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 15.0
ALREADY_ENDED = frozenset({"execution_not_in_running_state", "function_execution_not_found"})
COULD_NOT_REPORT = "Circles did this step but could not report its result; check it before running it again."
# Threads are started only when a completion must be tried again; each may wait on one for a minute.
RETRY_THREADS = 4

Sleep = Callable[[float], None]
Clock = Callable[[], float]  # seconds, only ever compared with itself (time.monotonic)
Then = Callable[[str | None], None]


class _Retries:
    """Completions being tried again, on a few daemon threads of their own: a process that stops does not
    wait for them (the runs stay in progress, as when it is killed)."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._pending = 0
        self._threads = 0
        self._lock = threading.Lock()

    def start(self, work: Callable[[], None]) -> None:
        with self._lock:
            self._pending += 1
            self._queue.put(work)
            if self._threads < min(self._pending, RETRY_THREADS):
                self._threads += 1
                threading.Thread(target=self._serve, name="step-completion", daemon=True).start()

    def pending(self) -> bool:
        with self._lock:
            return self._pending > 0

    def _serve(self) -> None:
        while True:
            work = self._queue.get()
            try:
                work()
            except Exception:  # a bug here must not end the thread silently
                logger.exception("trying a step's completion again failed")
            finally:
                with self._lock:
                    self._pending -= 1


_RETRIES = _Retries()


def retrying() -> bool:
    """Whether some completion is still being tried again (tests wait for it)."""
    return _RETRIES.pending()


def complete(
    client: WebClient,
    execution_id: str,
    outputs: dict[str, Any],
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
) -> None:
    """Complete the run with its outputs; fail it when Slack will never take them."""
    client = raising_rate_limits(client)  # a Retry-After is waited out here, not asleep inside a call

    def then(refused: str | None) -> None:
        if refused is not None:
            fail(client, execution_id, COULD_NOT_REPORT, sleep, clock)

    _until_taken(
        "functions.completeSuccess",
        execution_id,
        lambda: client.functions_completeSuccess(function_execution_id=execution_id, outputs=outputs),
        then,
        sleep,
        clock,
    )


def fail(
    client: WebClient, execution_id: str, error: str, sleep: Sleep = time.sleep, clock: Clock = time.monotonic
) -> None:
    """Fail the run with one line for the workflow's builder."""
    client = raising_rate_limits(client)
    _until_taken(
        "functions.completeError",
        execution_id,
        lambda: client.functions_completeError(function_execution_id=execution_id, error=error),
        lambda _: None,
        sleep,
        clock,
    )


def _until_taken(
    method: str, execution_id: str, call: Callable[[], object], then: Then, sleep: Sleep, clock: Clock
) -> None:
    """Call once here, and on until Slack takes it or the patience runs out on a thread of its own; then
    `then` with Slack's permanent error code, else None."""
    if not execution_id:
        logger.warning("%s: the event named no run of a step", method)
        return
    outcome = _attempt(method, call)
    if outcome is None or isinstance(outcome, Failed):
        then(_refused(method, outcome))
        return
    first = outcome
    _RETRIES.start(lambda: then(_again(method, call, first, sleep, clock)))


def _again(
    method: str, call: Callable[[], object], outcome: Outcome, sleep: Sleep, clock: Clock
) -> str | None:
    """Try again after a passing failure until taken, refused for good or out of patience, never past it."""
    deadline, backoff = clock() + PATIENCE_SECONDS, FIRST_PAUSE_SECONDS
    while True:
        left = deadline - clock()
        if isinstance(outcome, RateLimited):
            # Slack said when: a try sooner would be refused again (and "now" is not taken as "at once").
            pause = max(outcome.retry_after, FIRST_PAUSE_SECONDS)
        else:
            pause, backoff = min(backoff, left), min(backoff * 2, LONGEST_PAUSE_SECONDS)
        if left <= 0 or pause > left:
            break
        sleep(pause)
        found = _attempt(method, call)
        if found is None or isinstance(found, Failed):
            return _refused(method, found)
        outcome = found
    logger.warning("%s could not reach Slack; the workflow's run stays unfinished", method)
    return None


def _attempt(method: str, call: Callable[[], object]) -> Outcome | None:
    """One call: None when Slack took it, else how it ended."""
    try:
        call()
        return None
    except SlackApiError as error:
        return from_api_error(error, method)
    except OSError as error:
        return from_os_error(error)
    except SlackRequestError:
        return Failed("invalid_request")


def _refused(method: str, outcome: Failed | None) -> str | None:
    """Slack's permanent error code, logged; None when it was taken or the run had already ended."""
    if outcome is None:
        return None
    if outcome.error in ALREADY_ENDED:
        logger.info("%s: the run had already ended (%s)", method, outcome.error)
        return None
    logger.warning("%s refused: %s", method, outcome.error)
    return outcome.error
