"""A coach–learner, mentor–learner or peer pair in a cohort."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.vocabulary import EndReason, PartnershipKind, PartnershipStatus
from circles.persistence.base import Base, WorkspaceScoped, enum_column


class Partnership(WorkspaceScoped, Base):
    __tablename__ = "partnerships"
    __table_args__ = (CheckConstraint("first_member_id <> second_member_id", name="two_people"),)

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
