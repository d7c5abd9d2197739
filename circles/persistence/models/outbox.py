"""Messages waiting to be sent to Slack, written in the same transaction as the change behind them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.base import Base, WorkspaceScoped, enum_column
from circles.persistence.sealing import SealedPayload


class OutboxMessage(WorkspaceScoped, Base):
    __tablename__ = "outbox"
    __table_args__ = (
        # Planning twice, or from two processes, cannot write the same message twice.
        UniqueConstraint("workspace_id", "idempotency_key"),
        Index("ix_outbox_status_due_at", "status", "due_at"),
        # A claim takes each live workspace's first waiting rows, never walking removed workspaces' rows.
        Index("ix_outbox_workspace_status_due_at", "workspace_id", "status", "due_at"),
    )

    # In code-point order on PostgreSQL (binary on SQLite), so the unique index serves a key's beginning as a
    # range (`circles/queries/outbox/keys.py`).
    idempotency_key: Mapped[str] = mapped_column(
        String(255).with_variant(String(255, collation="C"), "postgresql")
    )
    method: Mapped[str] = mapped_column(String(64))  # a Slack Web API method, e.g. chat.postMessage
    channel: Mapped[str | None] = mapped_column(String(32))
    # A private message's arguments are sealed with the notes key while it waits (see sealing).
    payload: Mapped[dict[str, Any]] = mapped_column(SealedPayload)
    status: Mapped[OutboxStatus] = enum_column(OutboxStatus, default=OutboxStatus.PENDING)
    due_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # e.g. the posted message's ts
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    # When a personal message was first due, if it was since held back until its person's next window.
    deferred_from: Mapped[datetime | None]
