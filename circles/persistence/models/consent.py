"""Members' decisions about research use of their answers: one row per decision, the history kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.research.consent import Decision
from circles.persistence.base import Base, WorkspaceScoped, enum_column


class Consent(WorkspaceScoped, Base):
    """A person gave or withdrew consent in a cohort at `decided_at`, to this version of its statement."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_person", "cohort_id", "slack_user_id", "decided_at"),)

    # Erased with the cohort's data.
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    decision: Mapped[Decision] = enum_column(Decision)
    statement_version: Mapped[str] = mapped_column(String(32))
    decided_at: Mapped[datetime]
