"""A facilitator puts an escalation aside for some days; it comes back to them when the snooze ends."""

from __future__ import annotations

from datetime import timedelta

from circles.domain.escalations import SNOOZE_DAYS, Action
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Session
from circles.persistence.models import Escalation
from circles.queries.escalations.redraws import supersede_redraws
from circles.services.escalations.access import EscalationAct, act_on_unresolved
from circles.services.escalations.cards import record
from circles.services.escalations.view import EscalationView


def snooze_escalation(act: EscalationAct, days: int) -> EscalationView:
    """Put it aside for a number of days; it comes back to the facilitators when the snooze ends."""
    if days not in SNOOZE_DAYS:
        raise ValueError(f"snooze for one of {SNOOZE_DAYS} days")

    def snooze(session: Session, escalation: Escalation) -> None:
        escalation.status = EscalationStatus.SNOOZED
        escalation.snoozed_until = act.now + timedelta(days=days)
        record(session, escalation, act.user_id, Action.SNOOZED, act.now, {"days": days})
        supersede_redraws(session, [(escalation.workspace_id, escalation.id)])  # the press redraws each copy

    view, _ = act_on_unresolved(act, snooze)
    return view
