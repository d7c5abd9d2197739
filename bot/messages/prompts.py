"""The planner's messages: a circle's weekly prompt, a pair's conversation starter, a coach's session idea.

Prompt texts come from the cohort's track and are escaped here, so a `<` in a team's own track shows as
written.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.messages import renders
from bot.views.message import Message, context_line, text_section
from bot.views.text import clip_mrkdwn, mrkdwn
from circles.messages import CirclePrompt, CoachIdea, MissedCirclePrompt, PairPrompt
from circles.messages.planned import Prompt


@renders(CirclePrompt)
def circle_prompt(prompt: CirclePrompt) -> Message:
    theme = mrkdwn(prompt.theme)
    return _message(
        fallback=f"This week's reflection: {theme}",
        heading=f"Week {prompt.week} · {theme}",
        prompt=prompt,
        follow_up_label="If you'd like to go further",
        footer="Answer here in the thread, in your own words and at your own pace. What is said in the "
        "circle stays in the circle.",
    )


@renders(PairPrompt)
def pair_prompt(prompt: PairPrompt) -> Message:
    theme = mrkdwn(prompt.theme)
    return _message(
        fallback=f"Something for your next conversation: {theme}",
        heading=f"For your next conversation · {theme}",
        prompt=prompt,
        follow_up_label="And then",
        footer="Take it up when you next meet, or start here if that is easier.",
    )


@renders(CoachIdea)
def coach_idea(idea: CoachIdea) -> Message:
    theme, cohort = mrkdwn(idea.theme), mrkdwn(idea.cohort_name)
    return _message(
        fallback=f"A session idea for {cohort}: {theme}",
        heading=f"A session idea · {theme}",
        prompt=idea,
        follow_up_label="A thought to keep in mind",
        footer=f"Only you see this, as a coach or mentor in {cohort}. "
        "Use it if it fits your partner; leave it if it does not.",
    )


@renders(MissedCirclePrompt)
def missed_circle_prompt(prompt: MissedCirclePrompt) -> Message:
    theme = mrkdwn(prompt.theme)
    return _message(
        fallback=f"Welcome back. While you were away, your circle's prompt was: {theme}",
        heading=f"Welcome back · while you were away, your circle's prompt was {theme}",
        prompt=prompt,
        follow_up_label="If you'd like to go further",
        footer="Only you see this. Join in on your circle's thread if you like; "
        "there is no catching up to do.",
    )


def _message(*, fallback: str, heading: str, prompt: Prompt, follow_up_label: str, footer: str) -> Message:
    body = f"*{heading}*\n{mrkdwn(prompt.text)}"
    if prompt.follow_up:
        body += f"\n\n_{follow_up_label}:_ {mrkdwn(prompt.follow_up)}"
    blocks: list[Block] = [
        text_section(clip_mrkdwn(body, 3000)),
        context_line(footer),
    ]
    return Message(text=fallback, blocks=blocks)
