"""A coach–learner, mentor–learner or peer pair in a cohort."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.vocabulary import EndReason, PartnershipHealthState, PartnershipKind, PartnershipStatus
from circles.persistence.base import Base, WorkspaceScoped, enum_column


def _starts(context: Any) -> datetime | None:
    """A new partnership's health is first looked at when it starts."""
    started: datetime | None = context.get_current_parameters().get("started_at")
    return started


class Partnership(WorkspaceScoped, Base):
    __tablename__ = "partnerships"
    __table_args__ = (
        CheckConstraint("first_member_id <> second_member_id", name="two_people"),
        # The watch asks "which active pairs are due?" and the tick "how many need care?": both by index.
        Index("ix_partnerships_health_due", "status", "health_due_at"),
        Index("ix_partnerships_health_state", "status", "health_state"),
    )

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PartnershipKind] = enum_column(PartnershipKind)
    # For coach/mentor pairs the first member is the coach or mentor, the second the learner.
    first_member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    second_member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    status: Mapped[PartnershipStatus] = enum_column(PartnershipStatus, default=PartnershipStatus.ACTIVE)
    end_reason: Mapped[EndReason | None] = enum_column(EndReason, nullable=True)
    conversation_id: Mapped[str | None] = mapped_column(String(32))
    round: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # Its pauses as [from, until] ISO instants, oldest first, until None while one runs: time the pair was
    # on hold, which never counts against its health (circles.domain.health.paused).
    pauses: Mapped[list[list[str | None]] | None] = mapped_column(JSON)
    # When the watch must next look at this pair's health: a new signal sets it to its instant, each
    # look to the next time-based change (an answer window closing, days without a meeting crossing
    # the cohort's threshold). None: nothing time-based is pending. A new pair is looked at as it starts.
    health_due_at: Mapped[datetime | None] = mapped_column(default=_starts)
    health_state: Mapped[PartnershipHealthState | None] = enum_column(PartnershipHealthState, nullable=True)
