"""A step's completion Slack cannot take for now is tried again for up to a minute, then given up on."""

from __future__ import annotations

import time
from typing import Any, cast

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.listeners.functions import completion


class Minutes:
    """A clock the completion's pauses move forward at once, instead of waiting them out."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class SlackDown:
    """Answers functions.completeSuccess with `status` until `until` seconds, and takes it after."""

    def __init__(self, clock: Minutes, until: float, status: int = 503, retry_after: int = 0) -> None:
        self.clock, self.until, self.status, self.retry_after = clock, until, status, retry_after
        self.tries: list[float] = []
        self.taken: list[str] = []

    def functions_completeSuccess(self, *, function_execution_id: str, outputs: dict[str, Any]) -> None:
        self.tries.append(self.clock.now)
        if self.clock.now < self.until:
            headers = {"Retry-After": str(self.retry_after)} if self.status == 429 else {}
            answer = SlackResponse(
                client=None,
                http_verb="POST",
                api_url="https://slack.com/api/functions.completeSuccess",
                req_args={},
                data={"ok": False},
                headers=headers,
                status_code=self.status,
            )
            raise SlackApiError("Slack is down", answer)  # type: ignore[no-untyped-call]
        self.taken.append(function_execution_id)


def completed(slack: SlackDown, clock: Minutes) -> None:
    completion.complete(cast(WebClient, slack), "Fx0LATE", {"facilitators_told": 1}, clock.sleep, clock)
    deadline = time.monotonic() + 10  # real seconds: the tries again run on a thread of their own
    while completion.retrying() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not completion.retrying()


def test_a_completion_slack_fails_for_ten_seconds_reaches_slack_once_it_recovers() -> None:
    clock = Minutes()
    slack = SlackDown(clock, until=10)
    completed(slack, clock)
    assert slack.taken == ["Fx0LATE"]
    assert slack.tries[-1] < completion.PATIENCE_SECONDS


def test_a_completion_slack_never_takes_is_tried_again_until_a_minute_and_never_after() -> None:
    clock = Minutes()
    slack = SlackDown(clock, until=float("inf"))
    completed(slack, clock)
    assert slack.taken == []
    assert slack.tries[-1] == completion.PATIENCE_SECONDS
    pauses = [later - earlier for earlier, later in zip(slack.tries, slack.tries[1:], strict=False)]
    assert max(pauses) <= completion.LONGEST_PAUSE_SECONDS


def test_a_rate_limited_completion_waits_as_long_as_slack_asks_each_time() -> None:
    clock = Minutes()
    slack = SlackDown(clock, until=50, status=429, retry_after=20)
    completed(slack, clock)
    assert slack.tries == [0, 20, 40, 60]
    assert slack.taken == ["Fx0LATE"]
