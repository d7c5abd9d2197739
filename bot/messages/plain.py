"""A plain text message, for notices whose wording the service already settled."""

from __future__ import annotations

from bot.messages import renders
from bot.views.message import Message, text_section
from bot.views.text import clip_mrkdwn
from circles.messages import PlainNotice


@renders(PlainNotice)
def plain(notice: PlainNotice) -> Message:
    text = notice.text
    return Message(text=text, blocks=[text_section(clip_mrkdwn(text, 3000))])
