"""The pairs whose check-in questions an expiry is about to mark missed, known before it touches them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import OutboxStatus
from circles.messages import CheckinQuestion
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.keys import key_starts_with


def overdue_question_pairs(session: Session, before: datetime) -> list[int]:
    """The partnerships of the check-in questions still pending that were due before `before` (those
    `expire_pending` marks missed), in id order; read from their keys, checkin:{pair}:{member}:…"""
    keys = session.scalars(
        select(OutboxMessage.idempotency_key).where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.due_at < before,
            key_starts_with(f"{CheckinQuestion.TEMPLATE}:"),
        )
    )
    parts = (key.split(":") for key in keys)
    return sorted(
        {int(part[1]) for part in parts if len(part) > 2 and part[1].isascii() and part[1].isdigit()}
    )
