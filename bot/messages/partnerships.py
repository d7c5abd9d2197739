"""What partners and facilitators are told when a partnership is paused, resumed or ended, and a learner
when their request for a coach or mentor closed unanswered."""

from __future__ import annotations

from bot.messages import renders
from bot.views.directory.requests import request_closed, request_copy_closed
from bot.views.endings import facilitator_report, partner_notice
from circles.messages import PartnershipChanged, PartnershipReport, RequestClosedNotice, RequestCopyClosed

# The views render these kinds as they are.
renders(PartnershipChanged)(partner_notice)
renders(PartnershipReport)(facilitator_report)
renders(RequestClosedNotice)(request_closed)
renders(RequestCopyClosed)(request_copy_closed)
