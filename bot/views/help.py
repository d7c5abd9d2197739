"""The ephemeral help message for `/circles`."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, DividerBlock, MarkdownTextObject, SectionBlock

from bot import ids
from bot.subcommands import Audience, Subcommand, for_audience
from bot.views.message import Message, context_line, text_section
from bot.views.text import mrkdwn

PRIVACY_LINE = (
    "Check-ins, ratings and notes are seen only by your cohort's facilitators — never by your partner "
    "or anyone else — and a note reaches them only if you choose to share it."
)


def help_message(
    subcommands: Sequence[Subcommand], *, runs_cohorts: bool, note: str | None = None
) -> Message:
    """List the subcommands this person may use; facilitator ones only for facilitators and admins."""
    allowed = for_audience(subcommands, runs_cohorts)
    blocks: list[Block] = []
    if note:
        blocks.append(text_section(note))
    blocks.append(
        SectionBlock(
            block_id=ids.HELP_MEMBER_BLOCK,
            text=_markdown(
                "*Circles* brings people together in small circles and coaching or mentoring "
                "partnerships. Use `/circles` with:",
                [s for s in allowed if s.audience is Audience.EVERYONE],
            ),
        )
    )
    facilitator = [s for s in allowed if s.audience is Audience.FACILITATORS]
    if facilitator:
        blocks.append(DividerBlock())
        blocks.append(
            SectionBlock(
                block_id=ids.HELP_FACILITATOR_BLOCK,
                text=_markdown("*For facilitators*", facilitator),
            )
        )
    blocks.append(context_line(PRIVACY_LINE))
    fallback = (
        (note + " " if note else "") + "Circles commands: " + mrkdwn(", ".join(s.usage for s in allowed))
    )
    return Message(text=fallback, blocks=blocks)


def _markdown(title: str, subcommands: list[Subcommand]) -> MarkdownTextObject:
    lines = [title] + [f"• `/circles {mrkdwn(s.usage)}` — {mrkdwn(s.summary)}" for s in subcommands]
    return MarkdownTextObject(text="\n".join(lines))
