"""The App Home tab."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.help import PRIVACY_LINE
from circles.domain.vocabulary import MemberStatus
from circles.services.people import Caller

_STATUS_WORDS = {MemberStatus.ACTIVE: "", MemberStatus.PAUSED: " · paused", MemberStatus.LEFT: " · left"}


def home_view(caller: Caller) -> View:
    """Show a person their cohorts, and the cohorts they run."""
    blocks: list[Block] = [
        HeaderBlock(text="Circles"),
        SectionBlock(
            block_id=ids.HOME_HELP_BLOCK,
            text=MarkdownTextObject(
                text="Small circles and coaching or mentoring partnerships, with reflection prompts "
                "and check-ins on your cohort's rhythm. Type `/circles help` to see what you can do."
            ),
        ),
        DividerBlock(),
        SectionBlock(block_id=ids.HOME_COHORTS_BLOCK, text=MarkdownTextObject(text=_cohorts_text(caller))),
    ]
    if caller.runs_cohorts:
        blocks.append(
            SectionBlock(
                block_id=ids.HOME_FACILITATES_BLOCK, text=MarkdownTextObject(text=_runs_text(caller))
            )
        )
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=PRIVACY_LINE)]))
    return View(type="home", blocks=blocks)


def _cohorts_text(caller: Caller) -> str:
    current = [m for m in caller.memberships if m.status is not MemberStatus.LEFT]
    if not current:
        return (
            "*Your cohorts*\nYou are not in a cohort yet. "
            "Ask your facilitator for its name, then `/circles join <cohort>`."
        )
    lines = [
        f"• *{m.cohort_name}* (`{m.cohort_slug}`) — {m.role.value}{_STATUS_WORDS[m.status]}" for m in current
    ]
    return "*Your cohorts*\n" + "\n".join(lines)


def _runs_text(caller: Caller) -> str:
    if not caller.facilitates:
        return "*Cohorts you run*\nNone yet. Start one with `/circles cohort create <slug> <name…>`."
    lines = [f"• *{c.name}* (`{c.slug}`) — `/circles health {c.slug}`" for c in caller.facilitates]
    return "*Cohorts you run*\n" + "\n".join(lines)
