"""A plain text message, for notices whose wording the service already settled."""

from __future__ import annotations

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.messages import renders
from bot.views.message import Message
from bot.views.text import clip_mrkdwn
from circles.messages import PlainNotice


@renders(PlainNotice)
def plain(notice: PlainNotice) -> Message:
    text = notice.text
    return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=clip_mrkdwn(text, 3000)))])
