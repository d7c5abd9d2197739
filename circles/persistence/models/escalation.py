"""A private alert to a cohort's facilitators about one partnership, and its audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.vocabulary import EscalationStatus
from circles.persistence.base import Base, WorkspaceScoped, enum_column


class Escalation(WorkspaceScoped, Base):
    __tablename__ = "escalations"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    status: Mapped[EscalationStatus] = enum_column(EscalationStatus, default=EscalationStatus.OPEN)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    opened_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None]
    snoozed_until: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)


class EscalationEvent(WorkspaceScoped, Base):
    """Who did what to an escalation, and when: the audit trail."""

    __tablename__ = "escalation_events"

    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(32))  # a Slack user ID, or "circles" for the app itself
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime]
