"""A learner's request to partner with a coach or mentor, and its answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.requests import RequestStatus
from circles.persistence.base import Base, WorkspaceScoped, enum_column

_OPEN = text("status = 'open'")


class CoachRequest(WorkspaceScoped, Base):
    __tablename__ = "coach_requests"
    __table_args__ = (
        # One open request per learner per cohort, even when two clicks race past the service's check.
        # Partial unique indexes work the same on SQLite and PostgreSQL.
        Index(
            "uq_coach_requests_open_per_learner",
            "cohort_id",
            "learner_member_id",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
    )

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    learner_member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    coach_member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    status: Mapped[RequestStatus] = enum_column(RequestStatus, default=RequestStatus.OPEN)
    created_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    # Where the coach's or mentor's copy went (their DM with the app), to redraw it once closed without them.
    guide_channel: Mapped[str | None] = mapped_column(String(32))
    guide_ts: Mapped[str | None] = mapped_column(String(32))
