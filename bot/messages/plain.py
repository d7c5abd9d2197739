"""A plain text message, for notices whose wording the service already settled."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.messages import template
from bot.views.message import Message
from bot.views.text import clip_mrkdwn


@template("plain")
def plain(args: dict[str, Any]) -> Message:
    text = str(args["text"])
    return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=clip_mrkdwn(text, 3000)))])
