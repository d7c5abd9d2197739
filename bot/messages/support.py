"""A member's request for support, to one facilitator."""

from __future__ import annotations

from bot.messages import renders
from bot.views.message import Message
from bot.views.support import support_request_message
from circles.messages import SupportRequest


@renders(SupportRequest)
def support_request(request: SupportRequest) -> Message:
    return support_request_message(request)
