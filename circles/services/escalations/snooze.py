"""A facilitator puts an escalation aside for some days; it comes back to them when the snooze ends."""

from __future__ import annotations

from datetime import datetime, timedelta

from circles.domain.escalations import SNOOZE_DAYS, Action
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Escalation
from circles.services.escalations.access import act_on_unresolved
from circles.services.escalations.cards import record
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.view import EscalationView


def snooze_escalation(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    escalation_id: int,
    days: int,
    *,
    is_admin: bool,
    now: datetime,
    decrypt: Decrypt | None = None,
) -> EscalationView:
    """Put it aside for a number of days; it comes back to the facilitators when the snooze ends."""
    if days not in SNOOZE_DAYS:
        raise ValueError(f"snooze for one of {SNOOZE_DAYS} days")

    def snooze(session: Session, escalation: Escalation) -> None:
        escalation.status = EscalationStatus.SNOOZED
        escalation.snoozed_until = now + timedelta(days=days)
        record(session, escalation, user_id, Action.SNOOZED, now, {"days": days})

    view, _ = act_on_unresolved(
        uow, team_id, user_id, escalation_id, snooze, is_admin=is_admin, decrypt=decrypt
    )
    return view
