"""A cohort with more coaches than the directory message shows: everyone can still be found and asked."""

from __future__ import annotations

import json
from typing import Any

from bot import ids
from circles.domain.vocabulary import Role
from tests.e2e.conftest import RunningApp
from tests.e2e.test_profiles_directory import click, command, seed
from tests.slack_limits import assert_within_limits

COACHES = {f"U0CO{n:03d}": Role.COACH for n in range(60)}


def requestable(blocks: list[dict[str, Any]]) -> list[str]:
    """Whom the learner can ask from these blocks, as the Request buttons say."""
    buttons = [block.get("accessory") or {} for block in blocks]
    return [
        str(button["value"]).partition(":")[2]
        for button in buttons
        if button.get("action_id") == ids.DIRECTORY_REQUEST
    ]


def test_sixty_coaches_can_all_be_reached_from_the_directory_page_by_page(running: RunningApp) -> None:
    seed(running, U0LEARN=Role.LEARNER, **COACHES)
    answer = command(running, "coaches", "U0LEARN")
    blocks = answer.args["blocks"]
    assert len(requestable(blocks)) == 15
    assert "15 best fits of 60" in json.dumps(blocks)
    [see_all] = [
        element
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == ids.DIRECTORY_SEE_ALL
    ]
    assert see_all["text"]["text"] == "See all 60"

    click(running, ids.DIRECTORY_SEE_ALL, "U0LEARN", see_all["value"], trigger_id="1.2.all")
    [opened] = running.standin.wait_for("views.open")
    first = opened.args["view"]
    [turn] = [
        element
        for block in first["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"].startswith(ids.DIRECTORY_PAGE)
    ]
    running.standin.clear()
    click(running, turn["action_id"], "U0LEARN", turn["value"], view={**first, "id": "V0DIR", "hash": "h"})
    [turned] = running.standin.wait_for("views.update")
    second = turned.args["view"]
    assert "Page 2 of 2" in json.dumps(second)
    for surface in (answer.args, first, second):
        assert_within_limits(surface)
    assert sorted(requestable(first["blocks"]) + requestable(second["blocks"])) == sorted(COACHES)
