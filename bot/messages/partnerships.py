"""What partners and facilitators are told when a partnership is paused, resumed or ended."""

from __future__ import annotations

from typing import Any

from bot.messages import template
from bot.views.endings import facilitator_report, partner_notice
from bot.views.message import Message


@template("partnership_changed")
def partnership_changed(args: dict[str, Any]) -> Message:
    return partner_notice(args)


@template("partnership_report")
def partnership_report(args: dict[str, Any]) -> Message:
    return facilitator_report(args)
