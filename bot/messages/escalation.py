"""The private alert a cohort's facilitators (and, when nobody picks it up, the admins) receive, and the copy
of it someone taken off the cohort keeps."""

from __future__ import annotations

from bot.messages import renders
from bot.views.escalation import escalation_message, withdrawn_message
from circles.messages import EscalationCard, EscalationWithdrawn

renders(EscalationCard)(escalation_message)
renders(EscalationWithdrawn)(withdrawn_message)
