"""The health history of partnerships: a row each time a pair's state or reasons change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.vocabulary import PartnershipHealthState
from circles.persistence.base import Base, WorkspaceScoped, enum_column


class HealthRecord(WorkspaceScoped, Base):
    """Seen by the cohort's facilitators only, like everything drawn from check-ins."""

    __tablename__ = "partnership_health"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    computed_at: Mapped[datetime]
    state: Mapped[PartnershipHealthState] = enum_column(PartnershipHealthState)
    # [{"rule", "who", "text"}] as circles.domain.health.Reason writes them; words, never notes.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # What the change check compares: each reason's rule and who, without the numbers that change daily.
    reason_keys: Mapped[str] = mapped_column(Text, default="")
    signals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attention_streak: Mapped[int] = mapped_column(SmallInteger, default=0)
