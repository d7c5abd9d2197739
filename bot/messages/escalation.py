"""The private alert a cohort's facilitators (and, when nobody picks it up, the admins) receive."""

from __future__ import annotations

from bot.messages import renders
from bot.views.escalation import escalation_message
from circles.messages import EscalationCard

renders(EscalationCard)(escalation_message)
