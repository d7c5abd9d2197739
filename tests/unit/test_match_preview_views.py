"""The preview names the pairs kept apart, each with "Allow again", and the repeats, within Slack limits."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import ids
from bot.listeners.actions.matching import parse_allow_value
from bot.views.matching import preview_message
from circles.domain.match_vocabulary import RunStatus
from circles.services.matching.rounds import RoundPlan

SLUG = "a" * 40  # the longest slug a cohort may have
BLOCKS, SECTION_TEXT, CONTEXT_TEXT, BUTTON_VALUE = 50, 3000, 3000, 2000


def user(key: int) -> str:
    return f"W{key:010d}"


def round_plan(
    members: int, apart: int, repeated: int, *, rematch: bool = False, allowed: bool = False
) -> RoundPlan:
    keys = list(range(1, members + 1))
    plan: dict[str, Any] = {
        "circles": [{"members": keys[i : i + 5], "why": "3 departments & <b>"} for i in range(0, members, 5)],
        "pairs": [{"first": k, "second": k + 1, "why": "fit 2"} for k in keys[:-1:2]],
        "unplaced": [],
        "repeats": repeated,
        "repeated": [
            {"first": 1, "second": 2, "where": "partners" if allowed else "circle 1", "allowed": allowed}
        ]
        * repeated,
        "kept_apart": [
            {"first": 1 + i % members, "second": 1 + (i + 1) % members, "round": 3} for i in range(apart)
        ],
        "conflicts": 0,
        "users": {str(k): user(k) for k in keys},
    }
    if rematch:
        plan.update(rematch={"member": 1, "user": user(1)}, joins=[], notes=[])
    return RoundPlan(9, SLUG, "Cohort", 4, RunStatus.PREVIEWED, plan)


def within_slack_limits(blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= BLOCKS
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= SECTION_TEXT
        if block["type"] == "context":
            assert all(len(e["text"]) <= CONTEXT_TEXT for e in block["elements"])
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            assert len(str(element.get("value", ""))) <= BUTTON_VALUE


def allow_buttons(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        b["accessory"]["value"]
        for b in blocks
        if b.get("accessory", {}).get("action_id") == ids.MATCH_ALLOW_AGAIN
    ]


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 300), st.integers(0, 400), st.integers(0, 400), st.booleans(), st.booleans())
def test_the_preview_stays_within_slacks_limits_however_many_pairs_are_kept_apart_or_repeated(
    members: int, apart: int, repeated: int, rematch: bool, allowed: bool
) -> None:
    plan = round_plan(members, apart, repeated, rematch=rematch, allowed=allowed)
    blocks = preview_message(plan).block_dicts()
    within_slack_limits(blocks)
    assert len(allow_buttons(blocks)) == min(apart, 5)
    text = json.dumps(blocks, ensure_ascii=False)
    assert (f"…and {apart - 5} more kept apart." in text) is (apart > 5)
    assert f"Repeats: {repeated} ·" in text


def test_each_pair_kept_apart_is_named_with_its_round_and_a_button_that_carries_the_pair() -> None:
    blocks = preview_message(round_plan(6, 2, 0, rematch=True)).block_dicts()
    text = json.dumps(blocks, ensure_ascii=False)
    assert f"<@{user(1)}> and <@{user(2)}> ended their partnership in round 3 — kept apart" in text
    values = [parse_allow_value(v) for v in allow_buttons(blocks)]
    assert values == [(SLUG, 1, 2, user(1)), (SLUG, 2, 3, user(1))]


def test_a_round_created_at_once_lists_the_pairs_kept_apart_without_buttons() -> None:
    blocks = preview_message(round_plan(6, 2, 0), with_confirm=False).block_dicts()
    assert "kept apart" in json.dumps(blocks)
    assert allow_buttons(blocks) == []


def test_a_pair_allowed_again_is_named_as_a_repeat_and_not_called_unavoidable() -> None:
    text = json.dumps(preview_message(round_plan(6, 0, 1, allowed=True)).block_dicts(), ensure_ascii=False)
    assert "Repeats: 1 · Conflicts: 0" in text
    assert f"<@{user(1)}> and <@{user(2)}> as partners, allowed again by a facilitator" in text
    assert "unavoidable" not in text
    circle_repeat = json.dumps(preview_message(round_plan(6, 0, 1)).block_dicts(), ensure_ascii=False)
    assert "unavoidable with these members" in circle_repeat
    assert f"<@{user(1)}> and <@{user(2)}> in circle 1" in circle_repeat


def test_a_button_value_that_is_not_ours_is_refused() -> None:
    for hostile in ("", "pgy1", "pgy1:1", "PGY1:1:2", "pgy1:1:x", "pgy1:1:2:not-a-user", "pgy1:1:2:U1:extra"):
        assert parse_allow_value(hostile) is None
    assert parse_allow_value("pgy1:1:2") == ("pgy1", 1, 2, None)


def test_a_round_created_at_once_is_headed_as_being_formed_and_one_circle_is_one() -> None:
    shown = preview_message(round_plan(members=3, apart=0, repeated=0), with_confirm=False)
    text = json.dumps(shown.block_dicts())
    assert "Round 4 of Cohort: being formed" in text
    assert "*1 circle*" in text
    assert "*1 pair*" in text
    assert "Round 4 of Cohort: preview" in json.dumps(preview_message(round_plan(3, 0, 0)).block_dicts())
