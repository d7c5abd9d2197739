"""A report's rows, one per circle and, only on a facilitator's request, one per partnership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from circles.domain.vocabulary import EndReason, PartnershipKind, PartnershipStatus


@dataclass(frozen=True)
class CircleRow:
    """One circle: when it formed, who of it is still around, and its prompts (never its conversation)."""

    name: str
    round: int
    formed_on: date
    dissolved_on: date | None
    members: int
    active: int
    paused: int
    left: int
    prompts_sent: int
    prompts_missed: int  # not delivered in time, or their time passed while the app was down
    prompts_failed: int  # Slack refused them
    prompts_waiting: int  # due, not sent yet


@dataclass(frozen=True)
class PartnershipRow:
    """One partnership, for its cohort's facilitators only and only when they ask for individual rows."""

    partnership_id: int
    kind: PartnershipKind
    first_user_id: str  # the coach or mentor in coach and mentor pairs
    second_user_id: str
    status: PartnershipStatus
    end_reason: EndReason | None
    started_on: date
    ended_on: date | None
    state: str  # a health state, or "not assessed"
    reasons: tuple[str, ...]
    checkins_due: int
    checkins_answered: int
    first_latest_rating: int | None
    second_latest_rating: int | None
    shared_notes: tuple[str, ...]  # "YYYY-MM-DD <user>: text", only notes their authors shared
    # Shared notes the notes key did not open (it changed, or is not the one they were written with):
    # counted so that a lost note never reads as no note.
    notes_unavailable: int = 0
