"""A member's request for support, to one facilitator; the member's notice when it went elsewhere."""

from __future__ import annotations

from bot.messages import renders
from bot.views.support import support_request_message, support_rerouted_message
from circles.messages import SupportRequest, SupportRerouted

# The views render these kinds as they are.
renders(SupportRequest)(support_request_message)
renders(SupportRerouted)(support_rerouted_message)
