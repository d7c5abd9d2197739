"""Surveys sent to members at a cohort's phases, and their answers (private like check-ins)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, SmallInteger, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.vocabulary import SurveyPhase
from circles.persistence.base import Base, WorkspaceScoped, enum_column

CURRENT = text("superseded_at IS NULL")


class SurveyRequest(WorkspaceScoped, Base):
    """One member is asked one instrument at one phase of their cohort: sent, reminded once, answered.

    One request of each member, instrument and phase is current; an earlier one, asked before the cohort's
    dates moved the phase months later, is kept with its answers but superseded (counted nowhere)."""

    __tablename__ = "survey_requests"
    __table_args__ = (
        # The database keeps one current request per member, instrument and phase, whoever plans it.
        Index(
            "uq_survey_requests_current",
            "member_id",
            "instrument",
            "phase",
            unique=True,
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        ),
        Index("ix_survey_requests_cohort", "cohort_id", "phase"),
    )

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    # None once its person was erased: the request still counts in the cohort's response rates
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    instrument: Mapped[str] = mapped_column(String(64))
    instrument_version: Mapped[int] = mapped_column(SmallInteger)
    phase: Mapped[SurveyPhase] = enum_column(SurveyPhase)
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    # When a request of the same phase, asked again on the phase's new day, took its place.
    superseded_at: Mapped[datetime | None]


class SurveyAnswer(WorkspaceScoped, Base):
    """One item's answer: a value on the item's scale, or words (encrypted at rest)."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("request_id", "item_id"),)

    request_id: Mapped[int] = mapped_column(ForeignKey("survey_requests.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[int | None] = mapped_column(SmallInteger)
    text_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Words leave in a research export only when the member chose so for this answer.
    text_shared_for_research: Mapped[bool] = mapped_column(default=False)
