"""What partners and facilitators are told when a partnership is paused, resumed or ended."""

from __future__ import annotations

from bot.messages import renders
from bot.views.endings import facilitator_report, partner_notice
from bot.views.message import Message
from circles.messages import PartnershipChanged, PartnershipReport


@renders(PartnershipChanged)
def partnership_changed(notice: PartnershipChanged) -> Message:
    return partner_notice(notice)


@renders(PartnershipReport)
def partnership_report(report: PartnershipReport) -> Message:
    return facilitator_report(report)
