"""Times a person is away: their own `/circles away`, and rotation or leave blocks a facilitator imported."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.availability import AbsenceKind
from circles.persistence.base import Base, WorkspaceScoped, enum_column

_OWN = text("cohort_id IS NULL")


class AwayBlock(WorkspaceScoped, Base):
    """A person is away from `starts_at` until `ends_at` (the instant they are back), in every cohort."""

    __tablename__ = "away_blocks"
    __table_args__ = (
        # Importing the same file twice keeps one block of that cohort's; another cohort's file holding the
        # same block keeps its own, which only its imports change or take away. Saying `/circles away`
        # twice keeps one block of the person's own.
        Index(
            "uq_away_blocks_imported",
            "workspace_id",
            "slack_user_id",
            "starts_at",
            "kind",
            "cohort_id",
            unique=True,
        ),
        Index(
            "uq_away_blocks_own",
            "workspace_id",
            "slack_user_id",
            "starts_at",
            "kind",
            unique=True,
            sqlite_where=_OWN,
            postgresql_where=_OWN,
        ),
        Index("ix_away_blocks_person", "workspace_id", "slack_user_id", "ends_at"),
        Index("ix_away_blocks_notice_due", "notice_due_at"),
    )

    slack_user_id: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    kind: Mapped[AbsenceKind] = enum_column(AbsenceKind)
    # The cohort whose facilitator imported it (None: the person's own); erased with the cohort's data.
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    # When its person's partners are next to hear of it: an imported block's start, or at once when an
    # import corrects its end after that (None: nothing to tell; `/circles away` tells partners itself).
    notice_due_at: Mapped[datetime | None] = mapped_column(default=None)
    # The return its partners last heard of, from its notice or the absence it began in (None: none).
    told_back_at: Mapped[datetime | None] = mapped_column(default=None)
