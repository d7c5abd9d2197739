"""What the one member left in a circle is told: it no longer meets, and what can change; never who left."""

from __future__ import annotations

from bot.messages import renders
from bot.views.message import Message, text_section
from bot.views.text import clip_mrkdwn, mrkdwn
from circles.messages import CircleAlone


@renders(CircleAlone)
def circle_alone(notice: CircleAlone) -> Message:
    """They stay seated in it (a re-match cannot move them), so what can change is someone new seated beside
    them, or the next round."""
    stopped = "its weekly prompts have stopped" if notice.made else "it will not meet"
    after = (
        "your facilitators know: they can seat someone new beside you, and the next round gives everyone "
        "a new circle."
        if notice.facilitated
        else "the next round gives everyone a new circle; `/circles support` reaches someone who can help "
        "sooner."
    )
    circle, cohort = mrkdwn(notice.circle_name), mrkdwn(notice.cohort_name)
    text = (
        f"Nobody else is left in your circle *{circle}* of *{cohort}*, so {stopped}. You are still in the "
        f"cohort, and {after}"
    )
    return Message(text=text, blocks=[text_section(clip_mrkdwn(text, 3000))])
