"""The `checkin` template: the planner's check-in, rendered into the member's DM at send time."""

from __future__ import annotations

from typing import Any

from bot.messages import template
from bot.views.checkin import checkin_message
from bot.views.message import Message


@template("checkin")
def checkin(args: dict[str, Any]) -> Message:
    """Args: checkin_id (int), cohort_name (str), partner_user_id (str)."""
    return checkin_message(int(args["checkin_id"]), str(args["cohort_name"]), str(args["partner_user_id"]))
