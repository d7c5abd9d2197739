"""What a partner is told when someone is away until a date, or back: never why."""

from __future__ import annotations

from bot.messages import renders
from bot.views.availability import partner_away_notice, partner_back_notice
from bot.views.message import Message
from circles.messages import PartnerAway, PartnerBack


@renders(PartnerAway)
def partner_away(notice: PartnerAway) -> Message:
    return partner_away_notice(notice)


@renders(PartnerBack)
def partner_back(notice: PartnerBack) -> Message:
    return partner_back_notice(notice)
