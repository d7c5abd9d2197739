"""A small group of one cohort with its own private conversation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from circles.persistence.base import Base, WorkspaceScoped


class Circle(WorkspaceScoped, Base):
    __tablename__ = "circles"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    round: Mapped[int]  # the matching round that formed it; earlier rounds guard against repeats
    name: Mapped[str] = mapped_column(String(80))
    conversation_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    dissolved_at: Mapped[datetime | None]


class CircleMembership(WorkspaceScoped, Base):
    __tablename__ = "circle_memberships"
    __table_args__ = (UniqueConstraint("circle_id", "member_id"),)

    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime]
