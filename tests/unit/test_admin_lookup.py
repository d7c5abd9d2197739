"""Admin rights come from Slack once per person and are remembered for a while, failures are not."""

from __future__ import annotations

from typing import Any, cast

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack_people import AdminLookup


class FakeSlack:
    """Answers users.info from a dict and counts the questions."""

    def __init__(self, users: dict[str, dict[str, Any]], failure: str | None = None) -> None:
        self.users = users
        self.failure = failure
        self.asked: list[str] = []

    def users_info(self, *, user: str) -> dict[str, Any]:
        self.asked.append(user)
        if self.failure:
            raise SlackApiError("failed", cast(Any, {"ok": False, "error": self.failure}))  # type: ignore[no-untyped-call]
        if user not in self.users:
            raise SlackApiError("failed", cast(Any, {"ok": False, "error": "user_not_found"}))  # type: ignore[no-untyped-call]
        return {"ok": True, "user": self.users[user]}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def client(fake: FakeSlack) -> WebClient:
    return cast(WebClient, fake)


def test_owners_and_admins_are_admins_and_others_are_not() -> None:
    slack = FakeSlack({"U1": {"is_owner": True}, "U2": {"is_admin": True}, "U3": {}})
    lookup = AdminLookup()
    assert [lookup.is_admin(client(slack), "T1", u) for u in ("U1", "U2", "U3", "U404")] == [
        True,
        True,
        False,
        False,
    ]


def test_an_answer_is_remembered_until_it_expires() -> None:
    slack, clock = FakeSlack({"U1": {"is_admin": True}}), Clock()
    lookup = AdminLookup(ttl=600, clock=clock)
    lookup.is_admin(client(slack), "T1", "U1")
    clock.now = 599
    lookup.is_admin(client(slack), "T1", "U1")
    assert slack.asked == ["U1"]
    clock.now = 601
    lookup.is_admin(client(slack), "T1", "U1")
    assert slack.asked == ["U1", "U1"]


def test_the_same_user_id_in_another_workspace_is_asked_separately() -> None:
    slack = FakeSlack({"U1": {"is_admin": True}})
    lookup = AdminLookup()
    lookup.is_admin(client(slack), "T1", "U1")
    lookup.is_admin(client(slack), "T2", "U1")
    assert slack.asked == ["U1", "U1"]


def test_when_slack_fails_the_person_is_not_an_admin_this_time_and_is_asked_again() -> None:
    slack = FakeSlack({"U1": {"is_admin": True}}, failure="ratelimited")
    lookup = AdminLookup()
    assert lookup.is_admin(client(slack), "T1", "U1") is False
    slack.failure = None
    assert lookup.is_admin(client(slack), "T1", "U1") is True


def test_a_process_serving_many_workspaces_remembers_a_bounded_number_of_answers() -> None:
    users = {f"U{n}": {"is_admin": n % 2 == 0} for n in range(50)}
    slack, clock = FakeSlack(users), Clock()
    lookup = AdminLookup(ttl=600, clock=clock, remembered=10)
    for n in range(50):
        clock.now = n
        lookup.is_admin(client(slack), f"T{n}", f"U{n}")
    assert len(slack.asked) == 50
    slack.asked.clear()
    assert [lookup.is_admin(client(slack), f"T{n}", f"U{n}") for n in range(40, 50)] == [
        n % 2 == 0 for n in range(40, 50)
    ]
    assert slack.asked == []  # the newest ten are still known
    lookup.is_admin(client(slack), "T0", "U0")
    assert slack.asked == ["U0"]  # the oldest was forgotten, and is asked again
