"""A person in a cohort, and what they tell others about themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.base import Base, WorkspaceScoped, enum_column


class Member(WorkspaceScoped, Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("cohort_id", "slack_user_id"),)

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    slack_user_id: Mapped[str] = mapped_column(String(32), index=True)
    role: Mapped[Role] = enum_column(Role)
    status: Mapped[MemberStatus] = enum_column(MemberStatus, default=MemberStatus.ACTIVE)
    joined_at: Mapped[datetime]
    paused_until: Mapped[datetime | None]
    # Its pauses as [from, until] ISO instants, oldest first, until None while one runs: time its pairs
    # were on hold, which never counts against their health (circles.domain.health.paused).
    pauses: Mapped[list[list[str | None]] | None] = mapped_column(JSON)
    left_at: Mapped[datetime | None]
    # Its earlier times in the cohort as [joined, left] ISO instants, oldest first: coming back keeps them
    # (joined_at and left_at are the latest), so reports count every join and leave in its week.
    earlier_stints: Mapped[list[list[str]] | None] = mapped_column(JSON)
    nudges_muted_until: Mapped[datetime | None]  # coaches and mentors can mute their daily digest
    # When this person's digest is next worth working out; None means "at once" (new, or something changed).
    digest_due_at: Mapped[datetime | None] = mapped_column(index=True)
    # Set when the person asked to be erased: partnerships begun before it show them as erased, not by name.
    erased_before: Mapped[datetime | None]


class Profile(WorkspaceScoped, Base):
    """One per person per workspace, shared by all their cohorts."""

    __tablename__ = "profiles"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    slack_user_id: Mapped[str] = mapped_column(String(32))
    # The person's own workspace (T…) as Slack last named it; None: not known yet. An organisation's
    # people come from several workspaces, and Slack asks an org-wide token to name theirs.
    slack_team_id: Mapped[str | None] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(255))
    # Every name Slack gives for them (real, display, first and last, as Slack last said), read only so that a
    # research export leaves each of them out (circles.queries.research.people): never shown. Erased with the
    # row. None: not asked since this was kept.
    slack_names: Mapped[list[str] | None] = mapped_column(JSON)
    email: Mapped[str | None] = mapped_column(String(320))
    interests: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(Text, default="")
    aspirations: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(String(255), default="")
    seniority: Mapped[str] = mapped_column(String(64), default="")
    availability: Mapped[str] = mapped_column(Text, default="")
    offers: Mapped[str] = mapped_column(Text, default="")  # coaches and mentors: what they offer
    # Partners a coach or mentor takes at once, in all their cohorts; 0: none for now, by their choice;
    # None: not said yet (matching and requests offer no places then, as for 0).
    capacity: Mapped[int | None] = mapped_column(SmallInteger)
    timezone: Mapped[str | None] = mapped_column(String(64))  # from Slack's users.info
    timezone_checked_at: Mapped[datetime | None]
    # Weekday digits (Monday = 0) on which coaches' digests may come; None means Monday to Friday.
    working_days: Mapped[str | None] = mapped_column(String(7))
    # When personal messages may reach them (see circles.domain.availability): their working pattern
    # (None: any hour) and their own quiet hours (None: their cohorts' defaults; "" for none).
    work_pattern: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    quiet_hours: Mapped[str | None] = mapped_column(String(32))
    # What Slack last said: Do Not Disturb or snooze until, and an out-of-office or leave status
    # (from `status_away_since` until `status_away_until`; NEVER when it has no expiry).
    dnd_until: Mapped[datetime | None]
    dnd_checked_at: Mapped[datetime | None]
    status_away_since: Mapped[datetime | None]
    status_away_until: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class GoneAccount(Base):
    """Someone Slack said has left (a `user_change` with the account deactivated or deleted), until it says
    they are back: Slack still takes messages to such an account, so nothing is sent to them that someone
    must read (a support request, an alert, the report of an ending), and whoever is told instead hears."""

    __tablename__ = "gone_accounts"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    slack_user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    gone_at: Mapped[datetime]
