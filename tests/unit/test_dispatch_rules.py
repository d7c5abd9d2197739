"""The dispatcher's pure rules: taking turns under Slack's limits, and reading what Slack answered."""

from __future__ import annotations

import urllib.error

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.gateway.outcomes import Failed, RateLimited, Transient, from_api_error, from_os_error
from bot.pacing import SLACK_LIMITS, Pacer, SlackLimits
from tests.dispatching import FakeClock


def test_a_turn_is_taken_on_every_slot_or_on_none() -> None:
    clock = FakeClock()
    pacer = Pacer({}, clock=clock.time, sleep=clock.sleep)

    assert pacer.reserve([("workspace", 0.2), ("C1", 1.0)]) == 0.0
    assert pacer.reserve([("workspace", 0.2), ("C2", 1.0)]) == pytest.approx(0.2)
    clock.sleep(0.2)
    assert pacer.reserve([("workspace", 0.2), ("C2", 1.0)]) == 0.0
    assert pacer.reserve([("workspace", 0.2), ("C1", 1.0)]) == pytest.approx(0.8)  # C1's second is not over


def test_a_hold_keeps_a_key_shut_for_retry_after_but_never_shortens_a_wait() -> None:
    clock = FakeClock()
    pacer = Pacer({}, clock=clock.time, sleep=clock.sleep)
    pacer.hold("C1", 30)
    pacer.hold("C1", 5)

    assert pacer.reserve([("C1", 1.0)]) == pytest.approx(30)
    assert pacer.reserve([("C2", 1.0)]) == 0.0


def test_waiting_spaces_calls_of_one_method_as_before() -> None:
    clock = FakeClock()
    pacer = Pacer({"conversations.create": 3.0}, clock=clock.time, sleep=clock.sleep)
    for _ in range(3):
        pacer.wait("conversations.create")

    assert clock.slept == [3.0, 3.0]


def test_posting_takes_a_workspace_turn_and_a_conversation_turn_with_room_to_spare() -> None:
    def turns(slots: list[tuple[str, float]]) -> list[tuple[str, float]]:
        return [(key, round(seconds, 3)) for key, seconds in slots]

    assert turns(SLACK_LIMITS.slots("T1", "chat.postMessage", "C1")) == [
        ("T1:chat.postMessage", 0.21),
        ("T1:chat.postMessage:C1", 1.05),
    ]
    assert turns(SLACK_LIMITS.slots("T1", "conversations.history", "C1")) == [
        ("T1:conversations.history", 1.26)
    ]
    assert turns(SLACK_LIMITS.slots("T1", "admin.something")) == [("T1:admin.something", 3.15)]
    assert SlackLimits.none().slots("T1", "chat.postMessage", "C1") == [("T1:chat.postMessage", 0.0)]


def answer(status: int, body: dict[str, object], headers: dict[str, str] | None = None) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data=body,
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError("failed", response)  # type: ignore[no-untyped-call]


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (
            answer(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "7"}),
            RateLimited("chat.postMessage", 7),
        ),
        (answer(429, {"ok": False}, {}), RateLimited("chat.postMessage", 1)),
        (answer(503, {"ok": False, "error": "service_unavailable"}), Transient("service_unavailable", True)),
        (answer(200, {"ok": False, "error": "fatal_error"}), Transient("fatal_error", True)),
        (answer(200, {"ok": False, "error": "service_unavailable"}), Transient("service_unavailable", False)),
        (answer(200, {"ok": False, "error": "channel_not_found"}), Failed("channel_not_found")),
        (answer(200, {"ok": False, "error": "something_new"}), Failed("something_new")),
    ],
)
def test_slacks_answers_are_read_as_wait_retry_or_give_up(error: SlackApiError, outcome: object) -> None:
    assert from_api_error(error, "chat.postMessage") == outcome


def test_a_refused_connection_never_posted_but_a_timeout_may_have() -> None:
    assert from_os_error(urllib.error.URLError(ConnectionRefusedError(111, "refused"))) == Transient(
        "ConnectionRefusedError", maybe_posted=False
    )
    assert from_os_error(TimeoutError("timed out")) == Transient("timeout", maybe_posted=True)
    assert from_os_error(ConnectionResetError()) == Transient("ConnectionResetError", maybe_posted=True)
