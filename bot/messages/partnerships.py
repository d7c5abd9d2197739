"""What partners and facilitators are told when a partnership is paused, resumed or ended."""

from __future__ import annotations

from bot.messages import renders
from bot.views.endings import facilitator_report, partner_notice
from circles.messages import PartnershipChanged, PartnershipReport

# The views render these kinds as they are.
renders(PartnershipChanged)(partner_notice)
renders(PartnershipReport)(facilitator_report)
