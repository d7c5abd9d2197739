"""The welcome of someone another person put in a cohort (an import, a workflow): what it is, who runs it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

from circles.domain.vocabulary import PairingMode, Role
from circles.messages.base import MalformedPayload
from circles.messages.flat import FlatPayload

DAYS_IN_A_WEEK = 7


@dataclass(frozen=True)
class Host:
    """One facilitator of the cohort, named in the welcome."""

    user_id: str


@dataclass(frozen=True)
class CohortWelcome(FlatPayload):
    """To the person added: the cohort, its facilitators, what will happen, who sees what, how to leave.

    It names nobody else of the cohort: only its facilitators.
    """

    TEMPLATE: ClassVar[str] = "cohort_welcome"

    cohort_name: str
    slug: str
    role: Role
    pairing: PairingMode
    prompt_weekday: int  # 0 = Monday, in the cohort's time zone
    checkin_every_weeks: int
    facilitators: tuple[Host, ...] = ()

    @classmethod
    def from_args(cls, args: object) -> Self:
        welcome = super().from_args(args)
        if not 0 <= welcome.prompt_weekday < DAYS_IN_A_WEEK:
            raise MalformedPayload(f"{cls.TEMPLATE}.prompt_weekday: expected 0 to 6")
        if welcome.checkin_every_weeks < 1:
            raise MalformedPayload(f"{cls.TEMPLATE}.checkin_every_weeks: expected 1 or more")
        return welcome
