"""The first message in a new circle or partnership: who is here, what to expect, the first prompt."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.views.message import Message
from bot.views.text import mrkdwn
from circles.domain.vocabulary import Role
from circles.services.creation import Introduction, StepWork
from prompts.roles import RoleText
from prompts.tracks import Prompt

PRIVATE_HELP = (
    "Need a word with a facilitator? `/circles support` reaches them privately — nobody here sees it."
)
FIRST_PAIR_QUESTION = (
    "For your first conversation: what does each of you hope this partnership will make possible, "
    "and how often would you like to meet?"
)


def kickoff(work: StepWork, guides: dict[Role, RoleText], prompt: Prompt | None, *, pair: bool) -> Message:
    """Introductions from profiles, each role's shared expectations, and the first prompt."""
    heading = f"Welcome to your {'partnership' if pair else 'circle'} in {work.cohort_name}"
    blocks: list[Block] = [
        HeaderBlock(text=heading[:150]),
        SectionBlock(
            text=MarkdownTextObject(text="*Who is here*\n" + "\n".join(introduce(p) for p in work.people))
        ),
        SectionBlock(
            text=MarkdownTextObject(text="*What we can expect of each other*\n" + expectations(work, guides))
        ),
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text=first_prompt(prompt, pair))),
        ContextBlock(elements=[MarkdownTextObject(text=PRIVATE_HELP)]),
    ]
    return Message(text=heading, blocks=blocks)


def introduce(person: Introduction) -> str:
    """One line per person; only what profiles are meant to share, escaped."""
    details = [
        part for part in (person.department, person.interests and f"interested in {person.interests}") if part
    ]
    if person.aspirations:
        details.append(
            f"hoping to {person.aspirations}"
            if not person.aspirations.lower().startswith("hop")
            else person.aspirations
        )
    tail = f" — {mrkdwn('; '.join(details))[:400]}" if details else ""
    return f"• <@{person.user_id}> ({person.role.value}){tail}"


def expectations(work: StepWork, guides: dict[Role, RoleText]) -> str:
    roles = sorted({p.role for p in work.people}, key=list(Role).index)
    lines = []
    for role in roles:
        guide = guides[role]
        lines.append(f"_{role.value.title()}s:_ " + " ".join(guide.responsibilities[:2]))
    return "\n".join(lines)


def first_prompt(prompt: Prompt | None, pair: bool) -> str:
    if prompt is None:
        opening = FIRST_PAIR_QUESTION if pair else "Introduce yourselves, and share what brought you here."
        return f"*To begin*\n{opening}"
    text = f"*This week's reflection — {mrkdwn(prompt.theme)}*\n{prompt.text}"
    return text + (f"\n_{prompt.follow_up}_" if prompt.follow_up else "")
