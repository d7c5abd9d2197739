"""The `support_request` template: a member's request for support, to one facilitator."""

from __future__ import annotations

from typing import Any

from bot.messages import template
from bot.views.message import Message
from bot.views.support import support_request_message


@template("support_request")
def support_request(args: dict[str, Any]) -> Message:
    """Args: cohort_name, member_user_id, message (or None), partner_user_id (set from a check-in)."""
    return support_request_message(args)
