"""What a partner is told when someone is away until a date, or back: never why."""

from __future__ import annotations

from bot.messages import renders
from bot.views.availability import partner_away_notice, partner_back_notice
from circles.messages import PartnerAway, PartnerBack

renders(PartnerAway)(partner_away_notice)
renders(PartnerBack)(partner_back_notice)
