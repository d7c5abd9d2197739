"""A member's request for support, to one facilitator; the member's notice when it went elsewhere."""

from __future__ import annotations

from bot.messages import renders
from bot.views.message import Message
from bot.views.support import support_request_message, support_rerouted_message
from circles.messages import SupportRequest, SupportRerouted


@renders(SupportRequest)
def support_request(request: SupportRequest) -> Message:
    return support_request_message(request)


@renders(SupportRerouted)
def support_rerouted(notice: SupportRerouted) -> Message:
    return support_rerouted_message(notice)
