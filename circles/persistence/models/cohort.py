"""A facilitated programme with its settings, and the people who run it."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.vocabulary import MeetingPlace, PairingMode
from circles.persistence.base import Base, WorkspaceScoped, enum_column

_ARCHIVED = text("archived_at IS NOT NULL")


class Cohort(WorkspaceScoped, Base):
    __tablename__ = "cohorts"
    __table_args__ = (
        UniqueConstraint("workspace_id", "slug"),
        # The few archived cohorts, for the follow-up pass that closes their alerts: read without the others.
        Index("ix_cohorts_archived", "id", sqlite_where=_ARCHIVED, postgresql_where=_ARCHIVED),
    )

    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]

    circle_min_size: Mapped[int] = mapped_column(SmallInteger, default=4)
    circle_max_size: Mapped[int] = mapped_column(SmallInteger, default=6)
    pairing_mode: Mapped[PairingMode] = enum_column(PairingMode, default=PairingMode.NONE)
    meeting_place: Mapped[MeetingPlace] = enum_column(MeetingPlace, default=MeetingPlace.PRIVATE_CHANNEL)
    prompt_weekday: Mapped[int] = mapped_column(SmallInteger, default=0)  # Monday = 0
    prompt_local_time: Mapped[time] = mapped_column(default=time(9, 0))
    checkin_every_weeks: Mapped[int] = mapped_column(SmallInteger, default=2)
    # Earlier rounds whose groupings matching avoids repeating; 0 means all of them.
    match_look_back_rounds: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    prompt_track: Mapped[str] = mapped_column(String(64), default="default")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    # Kept as one document: see circles.domain.cohort_settings.HealthThresholds.
    health_thresholds: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    archived_at: Mapped[datetime | None]
    # Words a facilitator may change; None means the product's default wording.
    wellbeing_resources: Mapped[str | None] = mapped_column(Text)  # where to turn when it cannot wait
    free_text_hint: Mapped[str | None] = mapped_column(Text)  # "not the place for patient information"
    # Quiet hours for members who chose none of their own ("evenings,nights,weekends", "" for none).
    quiet_hours: Mapped[str] = mapped_column(String(32), default="nights", server_default="nights")
    # The check-in intervals it had before `checkin_every_weeks`, each with when it ended, oldest first
    # ([{"weeks": 4, "until": "…"}, …]; None: it never changed): health judges each gap between check-ins
    # by the interval it had then (circles.domain.health.intervals).
    earlier_checkin_intervals: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Blackout dates (exam weeks, holidays): [{"from": "YYYY-MM-DD", "until": "YYYY-MM-DD"}, …], both
    # days included, in the cohort's time zone: no prompts or check-ins; the cadence resumes after.
    blackout_dates: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # The research statement members consent to (None: the product's default wording), and its version:
    # a consent records the version it was given to, so a changed statement can be told apart.
    research_statement: Mapped[str | None] = mapped_column(Text)
    research_statement_version: Mapped[str] = mapped_column(String(32), default="1", server_default="1")
    # Who last saved the settings form (None: saved another way, by a cohort file): a form opened before
    # someone else saved is refused, one's own earlier save is not "someone else".
    settings_saved_by: Mapped[str | None] = mapped_column(String(32))
    # The digest of the settings that saved form was opened with: another form opened on that same state is
    # the same person's earlier one, which may still save; one opened before anyone's later save may not.
    settings_saved_from: Mapped[str | None] = mapped_column(String(32))
    # The instruments sent at each phase: {"baseline": ["belonging", …], "midpoint": […], "end": […]};
    # a phase missing or empty sends nothing. Names are those of the instrument catalogue.
    survey_plan: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    # The earliest instant of a message planning has not written yet: planning reads only cohorts whose
    # instant is within its window. None means "plan at once" (the cohort is new, or something changed).
    plan_due_at: Mapped[datetime | None] = mapped_column(index=True)
    # The end of the last window planned for it: the next pass starts there (None: the whole look-back).
    planned_until: Mapped[datetime | None]
    # While it is planned from scratch (`planned_until` None): when a change moved its occurrences (its time
    # zone or day, a member's own zone). That cycle's occurrences it put in the past, with nothing sent in the
    # cycle yet, are sent at once rather than recorded as missed (circles.domain.schedule.Window).
    replanned_at: Mapped[datetime | None]


class Facilitator(WorkspaceScoped, Base):
    __tablename__ = "facilitators"
    __table_args__ = (UniqueConstraint("cohort_id", "slack_user_id"),)

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    slack_user_id: Mapped[str] = mapped_column(String(32), index=True)
    added_at: Mapped[datetime]
