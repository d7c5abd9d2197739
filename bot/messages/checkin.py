"""The planner's check-in, rendered into the member's DM at send time."""

from __future__ import annotations

from bot.messages import renders
from bot.views.checkin import checkin_message
from bot.views.message import Message
from circles.messages import CheckinQuestion


@renders(CheckinQuestion)
def checkin(question: CheckinQuestion) -> Message:
    return checkin_message(question.checkin_id, question.cohort_name, question.partner_user_id)
