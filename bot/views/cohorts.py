"""Messages about cohorts for facilitators."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot import ids
from bot.views.message import Message, text_section
from bot.views.text import mrkdwn


def created_message(slug: str, name: str) -> Message:
    text = (
        f"Created *{mrkdwn(name)}* (`{slug}`). You are its facilitator. Members join with "
        f"`/circles join {slug}`; set its rhythm and partnerships first."
    )
    return Message(
        text=text,
        blocks=[
            text_section(text),
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text="Open settings", action_id=ids.HOME_CONFIGURE_COHORT, value=slug, style="primary"
                    )
                ]
            ),
        ],
    )
