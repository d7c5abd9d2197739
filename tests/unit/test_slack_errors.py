"""One reading of Slack's errors for every sender: wait and retry, give up for one person, or give up."""

from __future__ import annotations

import urllib.error

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.creation_steps import invite_all
from bot.gateway.outcomes import (
    UNREACHABLE,
    ErrorKind,
    Failed,
    RateLimited,
    Transient,
    from_api_error,
    from_os_error,
    kind_of,
)


def answer(
    status: int, error: str | None, headers: dict[str, str] | None = None, method: str = "x"
) -> SlackApiError:
    body: dict[str, object] = {"ok": False} | ({"error": error} if error else {})
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url=f"https://slack.com/api/{method}",
        req_args={},
        data=body,
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError("failed", response)  # type: ignore[no-untyped-call]


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        ("ratelimited", 429, ErrorKind.RETRY),
        ("", 429, ErrorKind.RETRY),
        ("", 503, ErrorKind.RETRY),
        ("internal_error", 200, ErrorKind.RETRY),
        ("request_timeout", 200, ErrorKind.RETRY),
        ("user_not_found", 200, ErrorKind.RECIPIENT),
        ("cannot_dm_bot", 200, ErrorKind.RECIPIENT),
        ("user_is_deactivated", 200, ErrorKind.RECIPIENT),
        ("cant_invite", 200, ErrorKind.RECIPIENT),
        ("is_archived", 200, ErrorKind.PERMANENT),
        ("channel_not_found", 200, ErrorKind.PERMANENT),
        ("invalid_auth", 200, ErrorKind.PERMANENT),
        ("a_code_slack_adds_next_year", 200, ErrorKind.PERMANENT),
    ],
)
def test_every_code_reads_as_retry_one_recipient_or_permanent(
    code: str, status: int, kind: ErrorKind
) -> None:
    assert kind_of(code, status) is kind


def test_a_rate_limit_waits_as_long_as_slack_says_and_names_the_method_refused() -> None:
    limited = answer(429, "ratelimited", {"Retry-After": "12"})
    assert from_api_error(limited, "conversations.invite") == RateLimited("conversations.invite", 12)


def test_server_errors_and_timeouts_are_retried_and_looked_for_before_repeating() -> None:
    assert from_api_error(answer(502, None), "chat.postMessage") == Transient("http_502", maybe_posted=True)
    assert from_os_error(TimeoutError("timed out")) == Transient("timeout", maybe_posted=True)
    refused = urllib.error.URLError(ConnectionRefusedError(111, "refused"))
    assert from_os_error(refused) == Transient("ConnectionRefusedError", maybe_posted=False)


def test_a_message_to_one_unreachable_person_fails_for_good() -> None:
    assert from_api_error(answer(200, "cannot_dm_bot"), "chat.postMessage") == Failed("cannot_dm_bot")


@pytest.mark.parametrize("code", sorted(UNREACHABLE))
def test_a_person_slack_cannot_reach_is_never_tried_again(code: str) -> None:
    assert kind_of(code) is not ErrorKind.RETRY
    assert from_api_error(answer(200, code), "chat.postMessage") == Failed(code)
    assert from_api_error(answer(200, code), "conversations.open") == Failed(code)


class InvitingSlack(WebClient):
    """Slack refusing to add some people to a channel, and one method failing for everyone."""

    def __init__(self, refused: dict[str, str], everyone: str | None = None) -> None:
        super().__init__(token="xoxb-test")
        self.refused, self.everyone = refused, everyone
        self.added: list[str] = []

    def conversations_invite(self, *, channel: str, users: str, **kwargs: object) -> SlackResponse:  # type: ignore[override]
        if self.everyone:
            raise answer(200, self.everyone, method="conversations.invite")
        for user in users.split(","):
            if user in self.refused:
                raise answer(200, self.refused[user], method="conversations.invite")
        self.added += users.split(",")
        return SlackResponse(
            client=self,
            http_verb="POST",
            api_url="",
            req_args={},
            data={"ok": True},
            headers={},
            status_code=200,
        )


def test_a_round_invites_everyone_it_can_and_names_who_could_not_be_added() -> None:
    slack = InvitingSlack({"U2": "user_is_restricted", "U3": "cant_invite"})

    result = invite_all(slack, "C1", ["U1", "U2", "U3", "U4"])

    assert slack.added == ["U1", "U4"]
    assert result == {
        "invited": ["U1", "U4"],
        "not_invited": {"U2": "user_is_restricted", "U3": "cant_invite"},
    }


@pytest.mark.parametrize("code", ["is_archived", "internal_error"])
def test_a_round_invite_that_fails_for_the_whole_channel_is_read_like_any_other_call(code: str) -> None:
    with pytest.raises(SlackApiError) as raised:
        invite_all(InvitingSlack({}, everyone=code), "C1", ["U1", "U2"])

    outcome = from_api_error(raised.value, "conversations.invite")
    assert isinstance(outcome, Failed if code == "is_archived" else Transient)
