"""The people Slack said have left (their account deactivated or deleted), until it says they are back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, exists, or_, select
from sqlalchemy.orm import Session

from circles.persistence.models import Facilitator, GoneAccount, Member
from circles.queries.inserts import insert_ignoring_duplicates, table_of


def mark_gone(session: Session, workspace_id: int, user_id: str, now: datetime) -> bool:
    """Keep that Slack said this person left, when they facilitate or are a member in the workspace whose
    data is not erased (nobody else is stored: of someone erased, not even when their account ended); said
    again (Slack sends several events), the first stays. Whether kept."""
    if not session.scalar(select(_kept(workspace_id, user_id))):
        return False
    row = {"workspace_id": workspace_id, "slack_user_id": user_id, "gone_at": now}
    session.execute(insert_ignoring_duplicates(session, table_of(GoneAccount)), [row])
    return True


def forget_gone_if_erased(session: Session, workspace_id: int, user_id: str) -> None:
    """Forget that this person left once nothing keeps it (`mark_gone`): their data erased, and they
    facilitate nowhere in the workspace. One statement."""
    session.execute(
        delete(GoneAccount).where(
            GoneAccount.workspace_id == workspace_id,
            GoneAccount.slack_user_id == user_id,
            ~_kept(workspace_id, user_id),
        )
    )


def mark_back(session: Session, workspace_id: int, user_id: str) -> bool:
    """Forget that this person left (Slack shows their account active again); whether they had."""
    done = session.execute(
        delete(GoneAccount).where(
            GoneAccount.workspace_id == workspace_id, GoneAccount.slack_user_id == user_id
        )
    )
    return bool(getattr(done, "rowcount", 0))


def _kept(workspace_id: int, user_id: str) -> ColumnElement[bool]:
    """Whether that this person left is kept: they facilitate in the workspace, or are a member of it whose
    data is not erased (never erased, or joined again since)."""
    not_erased = or_(Member.erased_before.is_(None), Member.joined_at > Member.erased_before)
    return or_(
        exists().where(Facilitator.workspace_id == workspace_id, Facilitator.slack_user_id == user_id),
        exists().where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id, not_erased),
    )
