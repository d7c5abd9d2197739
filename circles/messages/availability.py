"""A partner's notice that someone is away until a date, or back: never why they are away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Self

from circles.messages.base import MalformedPayload, as_day
from circles.messages.flat import FlatPayload


@dataclass(frozen=True)
class PartnerAway(FlatPayload):
    """To each running partner: `away_user_id` is away until `until` (their local date, ISO)."""

    TEMPLATE: ClassVar[str] = "partner_away"

    away_user_id: str
    until: str  # YYYY-MM-DD: the day they are back

    @property
    def back_on(self) -> date:
        return date.fromisoformat(self.until)

    @classmethod
    def from_args(cls, args: object) -> Self:
        notice = super().from_args(args)
        if len(notice.until) != len("YYYY-MM-DD"):
            raise MalformedPayload(f"{cls.TEMPLATE}.until: expected a date")
        as_day(notice.until, MalformedPayload(f"{cls.TEMPLATE}.until: expected a date"))
        return notice


@dataclass(frozen=True)
class PartnerBack(FlatPayload):
    """To each running partner: `back_user_id` is back, and check-ins carry on."""

    TEMPLATE: ClassVar[str] = "partner_back"

    back_user_id: str
