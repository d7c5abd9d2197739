"""Record messages for the dispatcher, in the caller's transaction, each at most once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from circles.messages import Payload, stored
from circles.persistence.db import Session
from circles.queries.outbox.rows import NewMessage, add_new

POST = "chat.postMessage"


@dataclass(frozen=True)
class Outgoing:
    """One message to send: a typed payload, rendered by the Slack adapter at send time.

    `channel` is a conversation ID, or a user ID for the app's DM with that person. `key` says what the
    message is, for whom and which occurrence: the same key is never recorded twice in a workspace.
    Whether its arguments are scrubbed once sent follows from the payload's kind.
    """

    key: str
    channel: str
    payload: Payload
    method: str = field(default=POST, kw_only=True)

    @property
    def template(self) -> str:
        return self.payload.TEMPLATE

    @property
    def private(self) -> bool:
        """Health, notes, reasons or a request inside: the dispatcher scrubs the arguments once sent."""
        return self.payload.PRIVATE


def enqueue(session: Session, workspace_id: int, message: Outgoing, due_at: datetime, now: datetime) -> bool:
    """Add the message to the outbox; False when a message with its key is already there."""
    return enqueue_many(session, workspace_id, [message], due_at, now) == 1


def enqueue_many(
    session: Session, workspace_id: int, messages: list[Outgoing], due_at: datetime, now: datetime
) -> int:
    """Add many messages in one statement; returns how many were new (keys already present are skipped)."""
    return enqueue_across(session, [(workspace_id, message) for message in messages], due_at, now)


def enqueue_across(
    session: Session, messages: Sequence[tuple[int, Outgoing]], due_at: datetime, now: datetime
) -> int:
    """Add messages of any workspaces, each with its workspace's id, in one statement; returns how many
    were new (keys already present in their workspace are skipped)."""
    rows = [NewMessage(ws, m.key, m.method, m.channel, stored(m.payload), due_at) for ws, m in messages]
    return len(add_new(session, rows, now))


@dataclass(frozen=True)
class Work:
    """One outbox row as stored: for work the Slack side carries out from its payload (a round's steps)."""

    key: str
    method: str
    channel: str | None
    payload: dict[str, Any]


def enqueue_work(
    session: Session, workspace_id: int, work: list[Work], due_at: datetime, now: datetime
) -> int:
    """Add rows in one statement; returns how many were new (keys already present are skipped)."""
    if not work:
        return 0
    rows = [
        NewMessage(workspace_id, item.key, item.method, item.channel, item.payload, due_at) for item in work
    ]
    return len(add_new(session, rows, now))
