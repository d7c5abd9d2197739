"""A support request Slack refused for what it held (or that could not be built): who it was for is told
that the member asked, never what they wrote, and the member is told that it was not shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from circles.messages.flat import FlatPayload


@dataclass(frozen=True)
class SupportUnshown(FlatPayload):
    """To the facilitator (or admin) a member's request could not be shown to: that they asked, not what."""

    TEMPLATE: ClassVar[str] = "support_unshown"
    PRIVATE: ClassVar[bool] = True  # that someone asked for support is theirs: scrubbed once sent
    URGENT: ClassVar[bool] = True

    cohort_name: str
    member_user_id: str
    partner_user_id: str | None = None  # set when they asked from a check-in about that partnership


@dataclass(frozen=True)
class SupportNotShown(FlatPayload):
    """To the member: their request could not be shown to the people it was for, who know only that they
    asked; they should reach them directly."""

    TEMPLATE: ClassVar[str] = "support_not_shown"

    cohort_name: str
