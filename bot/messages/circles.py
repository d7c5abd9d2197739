"""What the one member left in a circle is told: it no longer meets, and what can change; never who left."""

from __future__ import annotations

from bot.messages import renders
from bot.views.message import Message, text_section
from bot.views.text import clip_mrkdwn, mrkdwn
from circles.messages import CircleAlone


@renders(CircleAlone)
def circle_alone(notice: CircleAlone) -> Message:
    """They stay seated in it (a re-match cannot move them), so what can change is someone new seated beside
    them, or the next round; a circle Slack let none of the others into is closed, and they can be placed
    in another."""
    stopped = "its weekly prompts have stopped" if notice.made else "it will not meet"
    helps = "place you in another circle" if notice.refused else "seat someone new beside you"
    after = (
        f"your facilitators know: they can {helps}, and the next round gives everyone a new circle."
        if notice.facilitated
        else "the next round gives everyone a new circle; `/circles support` reaches someone who can help "
        "sooner."
    )
    circle, cohort = mrkdwn(notice.circle_name), mrkdwn(notice.cohort_name)
    left = (
        f"Slack could not bring the others of your circle *{circle}* of *{cohort}* into its channel"
        if notice.refused
        else f"Nobody else is left in your circle *{circle}* of *{cohort}*"
    )
    text = f"{left}, so {stopped}. You are still in the cohort, and {after}"

    return Message(text=text, blocks=[text_section(clip_mrkdwn(text, 3000))])
