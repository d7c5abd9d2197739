"""The first message in a new circle or partnership: who is here, what to expect, and how to begin (a pair
with the first starter of its track, a circle with introductions until its weekly reflections come)."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    DividerBlock,
    HeaderBlock,
)

from bot.views.message import Message, context_line, text_section
from bot.views.text import clip_mrkdwn, fit_mrkdwn, fit_plain, mrkdwn, pack_lines
from circles.domain.vocabulary import Role
from circles.services.rounds.steps import Introduction, StepWork
from prompts.roles import RoleText
from prompts.tracks import Prompt

PRIVATE_HELP = (
    "Need a word with a facilitator? `/circles support` reaches them privately — nobody here sees it."
)
SECTION = 3000  # characters in a section
FIRST_PAIR_QUESTION = (
    "For your first conversation: what does each of you hope this partnership will make possible, "
    "and how often would you like to meet?"
)
FIRST_CIRCLE_QUESTION = (
    "Introduce yourselves, and share what brought you here. "
    "A reflection for the circle comes here each week, the first on the cohort's next prompt day."
)


def kickoff(work: StepWork, guides: dict[Role, RoleText], prompt: Prompt | None, *, pair: bool) -> Message:
    """Introductions from profiles, each role's shared expectations, and the prompt to begin with (None: a
    plain opening question)."""
    heading = f"Welcome to your {'partnership' if pair else 'circle'} in {work.cohort_name}"
    who = pack_lines(["*Who is here*", *(introduce(p) for p in work.people)], SECTION)
    blocks: list[Block] = [HeaderBlock(text=fit_plain(heading, 150))]
    blocks += [text_section(text) for text in who]
    blocks += [
        text_section(
            clip_mrkdwn("*What we can expect of each other*\n" + expectations(work, guides), SECTION)
        ),
        DividerBlock(),
        text_section(clip_mrkdwn(first_prompt(prompt, pair), SECTION)),
        context_line(PRIVATE_HELP),
    ]
    return Message(text=mrkdwn(heading), blocks=blocks)


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
    tail = f" — {fit_mrkdwn('; '.join(details), 400)}" if details else ""
    return f"• <@{person.user_id}> ({person.role.value}){tail}"


def expectations(work: StepWork, guides: dict[Role, RoleText]) -> str:
    roles = sorted({p.role for p in work.people}, key=list(Role).index)
    lines = []
    for role in roles:
        guide = guides[role]
        lines.append(f"_{role.plural.capitalize()}:_ " + " ".join(guide.responsibilities[:2]))
    return "\n".join(lines)


def first_prompt(prompt: Prompt | None, pair: bool) -> str:
    if prompt is None:
        opening = FIRST_PAIR_QUESTION if pair else FIRST_CIRCLE_QUESTION
        return f"*To begin*\n{opening}"
    text = f"*This week's reflection — {mrkdwn(prompt.theme)}*\n{mrkdwn(prompt.text)}"
    return text + (f"\n_{mrkdwn(prompt.follow_up)}_" if prompt.follow_up else "")
