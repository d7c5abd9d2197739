"""A coach's or mentor's daily digest: what to act on, and a way to mute it (ideas come as coach_idea)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot import ids
from bot.messages import template
from bot.views.message import Message
from bot.views.text import mrkdwn

MUTE_WEEKS = 2


@template("coach_digest")
def coach_digest(args: dict[str, Any]) -> Message:
    name = mrkdwn(str(args["cohort_name"]))
    lines = [_line(item) for item in args.get("nudges", [])]
    text = f"Your coaching digest for *{name}*"
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text + "\n" + "\n".join(lines)))]
    blocks.append(
        ActionsBlock(
            block_id=ids.NUDGE_BLOCK,
            elements=[
                ButtonElement(
                    text=f"Mute for {MUTE_WEEKS} weeks",
                    action_id=ids.NUDGE_MUTE,
                    value=f"{args['member_id']}:{MUTE_WEEKS}",
                )
            ],
        )
    )
    blocks.append(
        ContextBlock(elements=[MarkdownTextObject(text="At most one digest a day; only you see it.")])
    )
    return Message(text=text, blocks=blocks)


def _line(item: dict[str, Any]) -> str:
    partner, count = item.get("partner"), int(item.get("count", 0))
    if item["kind"] == "no_meeting":
        return (
            f"• No meeting with <@{partner}> reported for {count} days — a short message can restart things."
        )
    if item["kind"] == "checkin_waiting":
        plural = "s" if count != 1 else ""
        return f"• Your check-in{plural} about <@{partner}> ({count}) still wait for an answer."
    plural = "s" if count != 1 else ""
    return f"• {count} request{plural} to work with you wait for your answer (see your DMs with Circles)."
