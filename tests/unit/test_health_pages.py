"""The whole health board page by page while pairs end or change state between two presses: a pair not yet
shown, struggling ones first of all, is never passed over by Next."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot import ids
from bot.views.health import board_modal
from bot.views.pages import packed_turn
from circles.domain.paging import Turn
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.services.health.boards import Board
from tests.slack_limits import assert_within_limits
from tests.unit.test_health_views import row

REASONS = (
    "both partners rated it low at their latest check-ins (2 and 1 of 5)",
    "both partners missed the last two check-ins",
    "no meeting reported for 41 days",
)
# An old programme: so many struggling pairs that the first page ends among them.
ROWS = [row(n, State.STRUGGLING, *REASONS, streak=2) for n in range(220)]
ROWS += [row(n, State.STEADY) for n in range(220, 400)]


def shown(view: View) -> list[str]:
    return re.findall(r"<@(U0G\d+)>", json.dumps(view.to_dict()))


def pressed(view: View, name: str, block_id: str | None = None) -> Turn:
    """The page the view's Next or Previous asks for, as Slack sends the press (the block's id with it)."""
    [(block, button)] = [
        (block, button)
        for block in view.to_dict()["blocks"]
        if block["type"] == "actions"
        for button in block["elements"]
        if button["action_id"] == f"{ids.HEALTH_LIST_PAGE}:{name}"
    ]
    action: dict[str, Any] = {"action_id": button["action_id"], "block_id": block_id or block["block_id"]}
    return packed_turn(action, ids.HEALTH_LIST_PAGES_BLOCK, int(button["value"].rpartition(":")[2]))


def running(board: Board) -> set[str]:
    return {f"U0G{r.partnership_id}" for r in board.rows}


def test_a_pair_ending_on_the_first_page_before_next_passes_no_struggling_pair_over() -> None:
    first = board_modal(Board("old", "Old", ROWS))
    after = Board("old", "Old", ROWS[1:])  # the riskiest pair ends meanwhile
    second = board_modal(after, pressed(first, "next"))
    assert not running(after) - set(shown(first)) - set(shown(second))
    assert "Page 2 of 2" in json.dumps(second.to_dict())


def test_a_pair_of_the_first_page_recovering_before_next_passes_no_pair_over() -> None:
    first = board_modal(Board("old", "Old", ROWS))
    recovered = replace(ROWS[0], state=State.STEADY, reasons=())
    after = Board("old", "Old", [*ROWS[1:], recovered])  # now among the steady ones, at the end
    second = board_modal(after, pressed(first, "next"))
    assert not running(after) - set(shown(first)) - set(shown(second))
    assert shown(second).count("U0G0") == 1  # shown again, as it is now


def test_the_last_pair_of_a_page_ending_or_recovering_passes_none_after_it_over() -> None:
    first = board_modal(Board("old", "Old", ROWS))
    last = int(shown(first)[-1].removeprefix("U0G"))
    ended = Board("old", "Old", ROWS[:last] + ROWS[last + 1 :])
    moved = Board("old", "Old", [*ended.rows, replace(ROWS[last], state=State.STEADY, reasons=())])
    for after in (ended, moved):
        second = board_modal(after, pressed(first, "next"))
        assert f"U0G{last + 1}" in shown(second)
        assert not running(after) - set(shown(first)) - set(shown(second))


def test_previous_after_a_change_leaves_no_pair_out_before_the_first_shown() -> None:
    board = Board("old", "Old", ROWS)
    second = board_modal(board, pressed(board_modal(board), "next"))
    after = Board("old", "Old", ROWS[1:])
    back = board_modal(after, pressed(second, "previous"))
    before = {f"U0G{n}" for n in range(1, int(shown(second)[0].removeprefix("U0G")))}
    assert before <= set(shown(back))
    assert "Page 1 of 2: pairs 1–" in json.dumps(back.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize(
    "block_id",
    [
        ids.HEALTH_LIST_PAGES_BLOCK,  # a button drawn before its block named the pairs shown
        f"{ids.HEALTH_LIST_PAGES_BLOCK}:0|149",  # no count
        f"{ids.HEALTH_LIST_PAGES_BLOCK}:0|149*many",
        f"{ids.HEALTH_LIST_PAGES_BLOCK}:0|149*9999999",
        f"{ids.HEALTH_LIST_PAGES_BLOCK}:\x00|149*150",
        f"{ids.HEALTH_LIST_PAGES_BLOCK}:nobody|nobody*150",
        "x" * 300,
    ],
)
def test_an_old_or_forged_block_id_turns_to_the_page_asked_for(block_id: str) -> None:
    board = Board("old", "Old", ROWS)
    first = board_modal(board)
    second = board_modal(board, pressed(first, "next", block_id))
    assert_within_limits(second)
    assert shown(second) == shown(board_modal(board, 1))
    assert not running(board) - set(shown(first)) - set(shown(second))


def test_a_forged_block_id_naming_pairs_out_of_order_shows_some_again_and_passes_none_over() -> None:
    """As a pair that got worse and moved up: the page starts right after it, showing some again."""
    board = Board("old", "Old", ROWS)
    first = board_modal(board)
    second = board_modal(board, pressed(first, "next", f"{ids.HEALTH_LIST_PAGES_BLOCK}:399|0*999999"))
    assert_within_limits(second)
    assert shown(board_modal(board, 1))[0] in shown(second)  # a page not further on than page 2
