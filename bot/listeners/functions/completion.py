"""End a step's run in Slack once: its outputs, or one line saying why it could not be done.

A run nobody completes stays "in progress" in the workflow's activity, and the workflow stops there: so a
completion Slack refuses for now (429, 5xx, a lost connection) is tried again, within a bounded time, and
outputs Slack refuses for good fail the step instead. Slack saying the run is no longer running means
it was already completed (or timed out), which is an answer too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.gateway.outcomes import Failed, Outcome, RateLimited, from_api_error, from_os_error

logger = logging.getLogger(__name__)

# The web client already retries each call a few times; past these, the step is given up on.
ATTEMPTS = 4
PATIENCE_SECONDS = 60.0  # a thread serving Slack's requests waits no longer than this for Slack
FIRST_PAUSE_SECONDS = 1.0
ALREADY_ENDED = frozenset({"execution_not_in_running_state", "function_execution_not_found"})
COULD_NOT_REPORT = "Circles did this step but could not report its result; check it before running it again."

Sleep = Callable[[float], None]


def complete(
    client: WebClient, execution_id: str, outputs: dict[str, Any], sleep: Sleep = time.sleep
) -> None:
    """Complete the run with its outputs; fail it when Slack will never take them."""
    refused = _until_taken(
        "functions.completeSuccess",
        execution_id,
        lambda: client.functions_completeSuccess(function_execution_id=execution_id, outputs=outputs),
        sleep,
    )
    if refused is not None:
        fail(client, execution_id, COULD_NOT_REPORT, sleep)


def fail(client: WebClient, execution_id: str, error: str, sleep: Sleep = time.sleep) -> None:
    """Fail the run with one line for the workflow's builder."""
    _until_taken(
        "functions.completeError",
        execution_id,
        lambda: client.functions_completeError(function_execution_id=execution_id, error=error),
        sleep,
    )


def _until_taken(method: str, execution_id: str, call: Callable[[], object], sleep: Sleep) -> str | None:
    """Call until Slack takes it or the patience runs out; Slack's permanent error code, else None."""
    if not execution_id:
        logger.warning("%s: the event named no run of a step", method)
        return None
    deadline = time.monotonic() + PATIENCE_SECONDS
    for attempt in range(ATTEMPTS):
        outcome: Outcome
        try:
            call()
            return None
        except SlackApiError as error:
            outcome = from_api_error(error, method)
        except OSError as error:
            outcome = from_os_error(error)
        except SlackRequestError:
            outcome = Failed("invalid_request")
        if isinstance(outcome, Failed):
            if outcome.error in ALREADY_ENDED:
                logger.info("%s: the run had already ended (%s)", method, outcome.error)
                return None
            logger.warning("%s refused: %s", method, outcome.error)
            return outcome.error
        pause = outcome.retry_after if isinstance(outcome, RateLimited) else FIRST_PAUSE_SECONDS * 2**attempt
        if attempt + 1 == ATTEMPTS or time.monotonic() + pause > deadline:
            break
        sleep(pause)
    logger.warning("%s could not reach Slack; the workflow's run stays unfinished", method)
    return None
