"""One partner's answer (or silence) to one check-in occurrence."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, SmallInteger, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from circles.persistence.base import Base, WorkspaceScoped


class CheckIn(WorkspaceScoped, Base):
    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("partnership_id", "member_id", "due_at"),
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating_1_to_5"),
        Index("ix_checkins_health_pending", "health_pending", "due_at"),
    )

    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime]
    # When its question was held for the person's working hours or an absence: the later instant it goes.
    # Its answer window counts from then, never from `due_at` (the occurrence, which reports count by).
    asked_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    met: Mapped[bool | None]
    # Encrypted at rest; reaches a facilitator only when note_shared is true.
    note_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    note_shared: Mapped[bool] = mapped_column(default=False)
    wants_support: Mapped[bool] = mapped_column(default=False)
    # Not yet seen by the health watch: however a check-in is written (planned ahead, or made by
    # `/circles checkin`), its partnership's health is looked at once it falls due.
    health_pending: Mapped[bool] = mapped_column(default=True, server_default=true())
