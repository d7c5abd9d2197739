"""The Slack stand-in opens conversations as Slack does: an org-wide token with people of every workspace of
its organisation, a workspace's token only with its own people."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from standin import SlackStandIn
from standin.defaults import dm_channel_id

ORG, NORTH, SOUTH, AWAY = "E0GRID", "T0GNORTH", "T0GSOUTH", "T0GAWAY"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        running.add_organisation(ORG)
        for team, user in ((NORTH, "U0NORTH"), (SOUTH, "U0SOUTH"), (AWAY, "U0AWAY")):
            running.add_team(team, enterprise_id=None if team == AWAY else ORG)
            running.add_user(user, team_id=team)
        running.add_token("xoxb-org", team_id=ORG)
        running.add_token("xoxb-north", team_id=NORTH)
        yield running


def client(standin: SlackStandIn, token: str) -> WebClient:
    return WebClient(token=token, base_url=standin.api_url)


def refusal(call: Callable[[], object]) -> str:
    with pytest.raises(SlackApiError) as refused:
        call()
    return str(refused.value.response["error"])


def test_an_org_wide_token_opens_a_group_dm_across_its_workspaces_and_dms_each(standin: SlackStandIn) -> None:
    org = client(standin, "xoxb-org")
    assert org.conversations_open(users="U0NORTH,U0SOUTH")["ok"]
    assert org.chat_postMessage(channel="U0SOUTH", text="Hello")["ok"]


def test_nobody_outside_the_tokens_reach_is_opened(standin: SlackStandIn) -> None:
    org, north = client(standin, "xoxb-org"), client(standin, "xoxb-north")
    assert refusal(lambda: org.conversations_open(users="U0NORTH,U0AWAY")) == "user_not_found"
    assert refusal(lambda: north.conversations_open(users="U0NORTH,U0SOUTH")) == "user_not_found"
    assert refusal(lambda: north.conversations_open(users="U0SOUTH")) == "user_not_found"
    assert dm_channel_id("U0SOUTH") not in standin.workspace.channels  # nothing was opened for them


def test_nobody_outside_the_tokens_reach_gets_a_direct_message(standin: SlackStandIn) -> None:
    org, north = client(standin, "xoxb-org"), client(standin, "xoxb-north")
    assert refusal(lambda: org.chat_postMessage(channel="U0AWAY", text="Hello")) == "channel_not_found"
    assert refusal(lambda: north.chat_postMessage(channel="U0SOUTH", text="Hello")) == "channel_not_found"
    assert standin.messages(dm_channel_id("U0AWAY")) == []
    assert standin.messages(dm_channel_id("U0SOUTH")) == []


def test_a_person_whose_direct_messages_are_refused_gets_none(standin: SlackStandIn) -> None:
    org = client(standin, "xoxb-org")
    standin.refuse_dm("U0SOUTH", "user_disabled")
    assert refusal(lambda: org.chat_postMessage(channel="U0SOUTH", text="Hello")) == "user_disabled"
    assert (
        refusal(lambda: org.chat_postMessage(channel=dm_channel_id("U0SOUTH"), text="Hi")) == "user_disabled"
    )
    assert refusal(lambda: org.conversations_open(users="U0SOUTH")) == "user_disabled"
    assert org.chat_postMessage(channel="U0NORTH", text="Hello")["ok"]  # everyone else still gets theirs
    standin.clear_faults()
    assert org.chat_postMessage(channel="U0SOUTH", text="Hello")["ok"]


def test_an_org_wide_token_names_the_workspace_it_asks_do_not_disturb_about(standin: SlackStandIn) -> None:
    org, north = client(standin, "xoxb-org"), client(standin, "xoxb-north")
    users = {"users": "U0NORTH,U0SOUTH"}
    assert refusal(lambda: org.api_call("dnd.teamInfo", http_verb="GET", params=users)) == "missing_argument"
    asked_north = org.api_call("dnd.teamInfo", http_verb="GET", params={**users, "team_id": NORTH})
    assert set(asked_north["users"]) == {"U0NORTH"}
    asked_away = org.api_call("dnd.teamInfo", http_verb="GET", params={"users": "U0AWAY", "team_id": AWAY})
    assert asked_away["users"] == {}  # a workspace outside the organisation
    assert set(north.api_call("dnd.teamInfo", http_verb="GET", params=users)["users"]) == {"U0NORTH"}
