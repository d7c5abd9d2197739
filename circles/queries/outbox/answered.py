"""The answers to what people typed, forgotten once their minute is long over: a key holds a second answer
off for its minute only, and it tells when someone wrote to the app."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from circles.domain.care import DIRECT_ANSWERS
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage, Workspace
from circles.queries.outbox.keys import key_starts_with

# What will never be sent (again): a row still waiting, or being sent, stays until it is done.
DONE = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.MISSED, OutboxStatus.SUPERSEDED)


def forget_answers(session: Session, before: datetime) -> int:
    """Delete every workspace's answers to typed messages recorded before `before` that are done with;
    returns how many went. One statement, walked from the workspaces through the unique (workspace, key)
    index as a range of keys, so that the rest of the outbox's history is never read."""
    deleted = session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.workspace_id.in_(select(Workspace.id)),
            key_starts_with(DIRECT_ANSWERS),
            OutboxMessage.status.in_(DONE),
            OutboxMessage.created_at < before,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(deleted, "rowcount", 0) or 0)
