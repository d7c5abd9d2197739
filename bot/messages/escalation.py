"""The private alert a cohort's facilitators (and, when nobody picks it up, the admins) receive."""

from __future__ import annotations

from typing import Any

from bot.messages import template
from bot.views.escalation import escalation_message
from bot.views.message import Message


@template("escalation")
def escalation(args: dict[str, Any]) -> Message:
    return escalation_message(args)
