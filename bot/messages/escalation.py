"""The private alert a cohort's facilitators (and, when nobody picks it up, the admins) receive."""

from __future__ import annotations

from bot.messages import renders
from bot.views.escalation import escalation_message
from bot.views.message import Message
from circles.messages import EscalationCard


@renders(EscalationCard)
def escalation(card: EscalationCard) -> Message:
    return escalation_message(card)
