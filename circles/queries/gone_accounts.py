"""The people Slack said have left (their account deactivated or deleted), until it says they are back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm import Session

from circles.persistence.models import Facilitator, GoneAccount, Member
from circles.queries.inserts import insert_ignoring_duplicates, table_of


def mark_gone(session: Session, workspace_id: int, user_id: str, now: datetime) -> bool:
    """Keep that Slack said this person left, when they facilitate or were ever a member in the workspace
    (nobody else is stored); said again (Slack sends several events), the first stays. Whether kept."""
    known = select(
        or_(
            exists().where(Facilitator.workspace_id == workspace_id, Facilitator.slack_user_id == user_id),
            exists().where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id),
        )
    )
    if not session.scalar(known):
        return False
    row = {"workspace_id": workspace_id, "slack_user_id": user_id, "gone_at": now}
    session.execute(insert_ignoring_duplicates(session, table_of(GoneAccount)), [row])
    return True


def mark_back(session: Session, workspace_id: int, user_id: str) -> bool:
    """Forget that this person left (Slack shows their account active again); whether they had."""
    done = session.execute(
        delete(GoneAccount).where(
            GoneAccount.workspace_id == workspace_id, GoneAccount.slack_user_id == user_id
        )
    )
    return bool(getattr(done, "rowcount", 0))
