"""Declared conflicts, ended pairs allowed again, match runs (a preview and what it became), their steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.match_vocabulary import ConstraintKind, RunStatus, StepKind, StepStatus
from circles.persistence.base import Base, WorkspaceScoped, enum_column


class MatchConstraint(WorkspaceScoped, Base):
    """Two people never to be grouped or paired, in any cohort of the workspace.

    A member's own block and a facilitator's conflict naming the same two are separate rows (`own` is in the
    key, migration 0032): the member changing their list never takes away what a facilitator recorded.
    """

    __tablename__ = "match_constraints"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id", "other_user_id", "kind", "own"),)

    slack_user_id: Mapped[str] = mapped_column(String(32), index=True)
    other_user_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[ConstraintKind] = enum_column(ConstraintKind)
    set_by: Mapped[str] = mapped_column(String(32))  # the member themself, or a facilitator
    # On the member's own "never match me with" list (theirs to change), rather than a facilitator's conflict.
    own: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime]


class PairOverride(WorkspaceScoped, Base):
    """A facilitator allowed two members whose partnership ended to be put together again.

    It belongs to the cohort where the pair ended (a facilitator of one cohort decides nothing for
    another) and covers the endings recorded until `allowed_at`: a later ending keeps them apart again.
    """

    __tablename__ = "pair_overrides"
    __table_args__ = (UniqueConstraint("cohort_id", "first_member_id", "second_member_id"),)

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    first_member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE")
    )  # the smaller id
    second_member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    set_by: Mapped[str] = mapped_column(String(32))  # the facilitator's Slack user id
    allowed_at: Mapped[datetime]


class MatchRun(WorkspaceScoped, Base):
    """One proposal of circles and pairs for a cohort; confirmed, it becomes that round."""

    __tablename__ = "match_runs"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    # A re-match of one member joins the round it follows; only a whole round takes the next number.
    rematch: Mapped[bool] = mapped_column(default=False, server_default=false())
    seed: Mapped[int] = mapped_column(Integer)
    # What the plan was computed from; a different fingerprint at confirm time means it is stale.
    fingerprint: Mapped[str] = mapped_column(String(64))
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[RunStatus] = enum_column(RunStatus, default=RunStatus.PREVIEWED)
    requested_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    # Its circles and pairs, and how many are through (every step done or failed): kept as steps settle,
    # so noting one more costs the same in a round of any size.
    families: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    families_settled: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CreationStep(WorkspaceScoped, Base):
    __tablename__ = "creation_steps"
    __table_args__ = (UniqueConstraint("run_id", "kind", "target_id"),)

    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[StepKind] = enum_column(StepKind)
    target_id: Mapped[int] = mapped_column(Integer)  # the circle's or the partnership's id
    position: Mapped[int] = mapped_column(Integer)  # steps run in this order
    status: Mapped[StepStatus] = enum_column(StepStatus, default=StepStatus.PENDING)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]
