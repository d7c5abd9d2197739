"""A private alert to a cohort's facilitators about one partnership, and its audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.vocabulary import EscalationStatus
from circles.persistence.base import Base, WorkspaceScoped, enum_column


def _sent(context: Any) -> datetime | None:
    """A new escalation's follow-ups are first looked at when it is sent."""
    parameters = context.get_current_parameters()
    sent: datetime | None = parameters.get("sent_at") or parameters.get("opened_at")
    return sent


class Escalation(WorkspaceScoped, Base):
    __tablename__ = "escalations"
    # At most one open, claimed or snoozed escalation per partnership, whoever races to open it.
    __table_args__ = (
        Index(
            "uq_escalations_one_unresolved",
            "partnership_id",
            unique=True,
            sqlite_where=text("status <> 'resolved'"),
            postgresql_where=text("status <> 'resolved'"),
        ),
        # The unresolved alerts of a few cohorts (the archived ones, each follow-up pass), not their history.
        Index(
            "ix_escalations_unresolved_cohort",
            "cohort_id",
            sqlite_where=text("status <> 'resolved'"),
            postgresql_where=text("status <> 'resolved'"),
        ),
    )

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    status: Mapped[EscalationStatus] = enum_column(EscalationStatus, default=EscalationStatus.OPEN)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    opened_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None]
    snoozed_until: Mapped[datetime | None] = mapped_column(index=True)
    resolved_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)
    # What the alert shows besides its reasons: the health state and recent (ISO date, state) points.
    state: Mapped[str | None] = mapped_column(String(32))
    trend: Mapped[list[list[str]] | None] = mapped_column(JSON)
    # Follow-ups count from the last sending: when that was, which time this is, and how many were taken.
    sent_at: Mapped[datetime | None]
    sendings: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    follow_ups: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    # When the follow-up step must next look at it; None once nothing more can follow. A new escalation
    # is looked at as it is sent, which sets the real instant from its cohort's setting.
    follow_up_at: Mapped[datetime | None] = mapped_column(index=True, default=_sent)


class EscalationEvent(WorkspaceScoped, Base):
    """Who did what to an escalation, and when: the audit trail."""

    __tablename__ = "escalation_events"

    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(32))  # a Slack user ID, or "circles" for the app itself
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime]
