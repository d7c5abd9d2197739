"""The planner's messages: a circle's weekly prompt, a pair's conversation starter, a coach's session idea.

Arguments (written by circles.services.planning): `prompt_id`, `theme`, `text`, `follow_up` (or None),
`cohort_name` and `week`. Prompt texts come from the cohort's track and are escaped here, so a `<` in a
team's own track shows as written.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.messages import template
from bot.views.message import Message
from bot.views.text import clip_mrkdwn, mrkdwn


@template("circle_prompt")
def circle_prompt(args: dict[str, Any]) -> Message:
    theme = str(args["theme"])
    return _message(
        fallback=f"This week's reflection: {mrkdwn(theme)}",
        heading=f"Week {int(args['week'])} · {mrkdwn(theme)}",
        args=args,
        follow_up_label="If you'd like to go further",
        footer="Answer here in the thread, in your own words and at your own pace. What is said in the "
        "circle stays in the circle.",
    )


@template("pair_prompt")
def pair_prompt(args: dict[str, Any]) -> Message:
    theme = str(args["theme"])
    return _message(
        fallback=f"Something for your next conversation: {mrkdwn(theme)}",
        heading=f"For your next conversation · {mrkdwn(theme)}",
        args=args,
        follow_up_label="And then",
        footer="Take it up when you next meet, or start here if that is easier.",
    )


@template("coach_idea")
def coach_idea(args: dict[str, Any]) -> Message:
    theme = str(args["theme"])
    return _message(
        fallback=f"A session idea for {mrkdwn(str(args['cohort_name']))}: {mrkdwn(theme)}",
        heading=f"A session idea · {mrkdwn(theme)}",
        args=args,
        follow_up_label="A thought to keep in mind",
        footer=f"Only you see this, as a coach or mentor in {mrkdwn(str(args['cohort_name']))}. "
        "Use it if it fits your partner; leave it if it does not.",
    )


def _message(
    *, fallback: str, heading: str, args: dict[str, Any], follow_up_label: str, footer: str
) -> Message:
    body = f"*{heading}*\n{mrkdwn(str(args['text']))}"
    follow_up = args.get("follow_up")
    if follow_up:
        body += f"\n\n_{follow_up_label}:_ {mrkdwn(str(follow_up))}"
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=clip_mrkdwn(body, 3000))),
        ContextBlock(elements=[MarkdownTextObject(text=footer)]),
    ]
    return Message(text=fallback, blocks=blocks)
