"""A member's request for support, to one facilitator; the member's notice when it went elsewhere; both
sides told when it could not be shown."""

from __future__ import annotations

from bot.messages import renders
from bot.views.support import (
    support_not_shown_message,
    support_request_message,
    support_rerouted_message,
    support_unshown_message,
)
from circles.messages import SupportNotShown, SupportRequest, SupportRerouted, SupportUnshown

# The views render these kinds as they are.
renders(SupportRequest)(support_request_message)
renders(SupportRerouted)(support_rerouted_message)
renders(SupportUnshown)(support_unshown_message)
renders(SupportNotShown)(support_not_shown_message)
