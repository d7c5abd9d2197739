"""On a preview: the ended pairs kept apart, each with "Allow again", and the repeats named."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot import ids
from bot.views.message import confirmed_button, context_line, text_section
from bot.views.text import mrkdwn
from circles.services.matching.rounds import RoundPlan

SHOWN_APART = 5  # a block each: the preview stays far below Slack's 50 blocks a message
SHOWN_REPEATS = 5


def kept_apart_blocks(round_plan: RoundPlan, *, with_buttons: bool) -> list[Block]:
    """A line per ended pair kept apart (the first few), with a button that allows that pair again."""
    plan = round_plan.plan
    apart: list[dict[str, int]] = plan.get("kept_apart", [])
    if not apart:
        return []
    users: dict[str, str] = plan["users"]
    blocks: list[Block] = [
        text_section(
            f"*Kept apart* — their partnership ended ({len(apart)}). "
            "Allow a pair again only when both would welcome it."
        )
    ]
    for index, ended in enumerate(apart[:SHOWN_APART]):
        line = (
            f"<@{users[str(ended['first'])]}> and <@{users[str(ended['second'])]}> ended their "
            f"partnership in round {ended['round']} — kept apart"
        )
        button = _allow_button(round_plan, ended) if with_buttons else None
        blocks.append(
            SectionBlock(
                block_id=f"{ids.MATCH_KEPT_APART_BLOCK}:{index}",
                text=MarkdownTextObject(text=line),
                accessory=button,
            )
        )
    if len(apart) > SHOWN_APART:
        more = len(apart) - SHOWN_APART
        blocks.append(context_line(f"…and {more} more kept apart."))
    return blocks


def allow_value(
    slug: str, first: int, second: int, rematch_user: str | None, ending: int | None = None
) -> str:
    """What the button carries: the cohort, the pair, on a re-match whom it re-matches, and after a "#" the
    ending it was shown for (pressed once the pair ended again, it is out of date)."""
    pair = ":".join([slug, str(first), str(second), *([rematch_user] if rematch_user else [])])
    return f"{pair}#{ending}" if ending else pair


def _allow_button(round_plan: RoundPlan, ended: dict[str, int]) -> ButtonElement:
    rematch = round_plan.plan.get("rematch")
    ending = round_plan.plan.get("apart_endings", {}).get(f"{ended['first']}:{ended['second']}")
    value = allow_value(
        round_plan.slug, ended["first"], ended["second"], str(rematch["user"]) if rematch else None, ending
    )
    return confirmed_button(
        "Allow again",
        ids.MATCH_ALLOW_AGAIN,
        value,
        "Allow this pair again?",
        "Their partnership ended, so matching keeps them apart. Allowing it lets the next "
        "proposal pair them or put them in one circle; the preview is worked out again now.",
        confirm="Allow again",
        deny="Keep apart",
    )


def repeated_text(plan: dict[str, Any]) -> str:
    """The first few earlier pairings proposed again, by name, and where."""
    repeated: list[dict[str, Any]] = plan.get("repeated", [])
    if not repeated:
        return ""
    users: dict[str, str] = plan["users"]
    named = []
    for again in repeated[:SHOWN_REPEATS]:
        where = "as partners" if again["where"] == "partners" else f"in {mrkdwn(str(again['where']))}"
        allowed = ", allowed again by a facilitator" if again.get("allowed") else ""
        named.append(f"<@{users[str(again['first'])]}> and <@{users[str(again['second'])]}> {where}{allowed}")
    more = f" · …and {len(repeated) - SHOWN_REPEATS} more" if len(repeated) > SHOWN_REPEATS else ""
    return "Together again: " + " · ".join(named) + more
