"""The directory of coaches and mentors as a learner of a large cohort turns its pages, through the real
HTTP app and the stand-in: a second press of the same button, Slack's own answers, and hostile topics."""

from __future__ import annotations

import json
from typing import Any

from bot import ids
from circles.domain.vocabulary import Role
from tests.e2e.conftest import RunningApp
from tests.e2e.test_profiles_directory import click, command, seed

COACHES = {f"U0CO{n:03d}": Role.COACH for n in range(60)}


def opened_from_home(running: RunningApp) -> dict[str, Any]:
    """The directory as Home opens it: the modal the stand-in holds, with its id and hash."""
    click(running, ids.HOME_OPEN_DIRECTORY, "U0LEARN", "", trigger_id="1.2.list", view={"type": "home"})
    [opened] = running.standin.wait_for("views.open")
    running.standin.clear()
    view: dict[str, Any] = opened.response["view"]
    return view


def turn(view: dict[str, Any], name: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        element
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == f"{ids.DIRECTORY_PAGE}:{name}"
    ]
    [button] = found
    return button


def test_pressing_next_twice_before_the_page_changes_shows_the_next_page_and_no_error(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER, **COACHES)
    first = opened_from_home(running)
    following = turn(first, "next")
    for _ in range(2):  # both presses carry the first page, as Slack sends a double click
        click(running, following["action_id"], "U0LEARN", following["value"], view=first)
    running.settled()
    updates = running.standin.calls("views.update")
    assert updates
    assert all(call.response.get("ok") for call in updates)
    assert "Page 2 of 2" in json.dumps(updates[-1].response["view"])
    assert running.standin.calls("chat.postMessage") == []  # nothing went wrong, so nothing is said


def test_a_paused_learner_finds_the_coaches_and_is_told_asking_waits_until_they_resume(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    running.post(running.signer.slash_command("pause", user_id="U0LEARN"))
    running.standin.wait_for("response_url")
    running.standin.clear()
    answer = command(running, "coaches", "U0LEARN")
    shown = json.dumps(answer.args)
    assert "<@U0ADA>" in shown
    assert "join one first" not in shown
    assert "asking someone waits until you `/circles resume`" in shown
    assert ids.DIRECTORY_REQUEST not in shown
