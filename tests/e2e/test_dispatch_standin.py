"""What the dispatcher relies on in the Slack stand-in behaves like Slack."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from standin import SlackStandIn

KEY = {"event_type": "circles_outbox", "event_payload": {"key": "prompt:1"}}


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-test", base_url=standin.api_url, retry_handlers=[])


def refused(client: WebClient, channel: str) -> bool:
    try:
        client.chat_postMessage(channel=channel, text="hi")
    except SlackApiError as error:
        return int(error.response.status_code) == 429
    return False


def test_a_workspace_cap_and_a_channel_limit_apply_to_posting_together(
    standin: SlackStandIn, client: WebClient
) -> None:
    standin.rate_limit("chat.postMessage", per_second=3)
    standin.rate_limit("chat.postMessage", per_second=1, per_channel=True)

    # C1's second post is over its channel's limit and takes no room in the workspace's: C2 and C3
    # still go, and C4 is the fourth post in the second, over the workspace's three.
    assert [refused(client, c) for c in ("C1", "C1", "C2", "C3", "C4")] == [False, True, False, False, True]


def test_a_dm_by_user_id_lands_in_the_apps_dm_and_counts_against_that_conversation(
    standin: SlackStandIn, client: WebClient
) -> None:
    standin.rate_limit("chat.postMessage", per_second=1, per_channel=True)

    posted = client.chat_postMessage(channel="U0ANN", text="Welcome", metadata=KEY)

    assert posted["channel"] == "D0ANN"
    assert refused(client, "D0ANN")
    assert [m["text"] for m in standin.messages("D0ANN")] == ["Welcome"]


def test_history_returns_message_metadata_only_when_asked(standin: SlackStandIn, client: WebClient) -> None:
    client.chat_postMessage(channel="C0CIRCLE", text="Week 1", metadata=KEY)

    plain = client.conversations_history(channel="C0CIRCLE")["messages"][0]
    full = client.conversations_history(channel="C0CIRCLE", include_all_metadata=True)["messages"][0]

    assert "metadata" not in plain
    assert full["metadata"] == KEY
    assert standin.messages("C0CIRCLE")[0]["metadata"] == KEY  # what is stored keeps it
