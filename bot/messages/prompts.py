"""The planner's messages: a circle's weekly prompt, a pair's conversation starter, a coach's session idea.

Prompt texts come from the cohort's track and are escaped here, so a `<` in a team's own track shows as
written. The kinds differ only in their words, so one table holds the words and one renderer serves all.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import Block

from bot.messages import renders
from bot.views.message import Message, context_line, text_section
from bot.views.text import clip_mrkdwn, mrkdwn
from circles.messages import CirclePrompt, CoachIdea, MissedCirclePrompt, PairPrompt
from circles.messages.planned import Prompt


@dataclass(frozen=True)
class Wording:
    """A kind's words; `{theme}`, `{cohort}` and `{week}` stand for the prompt's own."""

    fallback: str
    heading: str
    follow_up_label: str
    footer: str


WORDING: dict[type[Prompt], Wording] = {
    CirclePrompt: Wording(
        fallback="This week's reflection: {theme}",
        heading="Week {week} · {theme}",
        follow_up_label="If you'd like to go further",
        footer="Answer here in the thread, in your own words and at your own pace. What is said in the "
        "circle stays in the circle.",
    ),
    PairPrompt: Wording(
        fallback="Something for your next conversation: {theme}",
        heading="For your next conversation · {theme}",
        follow_up_label="And then",
        footer="Take it up when you next meet, or start here if that is easier.",
    ),
    CoachIdea: Wording(
        fallback="A session idea for {cohort}: {theme}",
        heading="A session idea · {theme}",
        follow_up_label="A thought to keep in mind",
        footer="Only you see this, as a coach or mentor in {cohort}. "
        "Use it if it fits your partner; leave it if it does not.",
    ),
    MissedCirclePrompt: Wording(
        fallback="Welcome back. While you were away, your circle's prompt was: {theme}",
        heading="Welcome back · while you were away, your circle's prompt was {theme}",
        follow_up_label="If you'd like to go further",
        footer="Only you see this. Join in on your circle's thread if you like; "
        "there is no catching up to do.",
    ),
}


def prompt_message(prompt: Prompt) -> Message:
    """Render any prompt kind in its own words."""
    wording = WORDING[type(prompt)]
    own = {"theme": mrkdwn(prompt.theme), "cohort": mrkdwn(prompt.cohort_name), "week": prompt.week}
    body = f"*{wording.heading.format(**own)}*\n{mrkdwn(prompt.text)}"
    if prompt.follow_up:
        body += f"\n\n_{wording.follow_up_label}:_ {mrkdwn(prompt.follow_up)}"
    blocks: list[Block] = [
        text_section(clip_mrkdwn(body, 3000)),
        context_line(wording.footer.format(**own)),
    ]
    return Message(text=wording.fallback.format(**own), blocks=blocks)


for _kind in WORDING:
    renders(_kind)(prompt_message)
