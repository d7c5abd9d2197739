"""Whether an alert changed after a moment: a copy queued before a claim, a snooze or a release lands showing
the alert as it was, and is drawn again as it is."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select

from circles.persistence.db import Session
from circles.persistence.models import EscalationEvent


def changed_since(session: Session, escalation_id: int, since: datetime) -> bool:
    """Whether anything was done to the alert (its audit trail) after `since`: one indexed statement."""
    later = exists().where(EscalationEvent.escalation_id == escalation_id, EscalationEvent.at > since)
    return bool(session.scalar(select(later)))
