"""A facilitator says "I'll reach out": the escalation is theirs, and its audit trail says so."""

from __future__ import annotations

from circles.domain.escalations import Action
from circles.domain.vocabulary import EscalationStatus
from circles.errors import EscalationClosed, EscalationTaken
from circles.queries.escalations import claim_once
from circles.queries.escalations.redraws import supersede_redraws
from circles.services.escalations.access import EscalationAct, acting_on
from circles.services.escalations.cards import record
from circles.services.escalations.view import EscalationView, current_view


def claim_escalation(act: EscalationAct) -> EscalationView:
    """Say "I'll reach out": the escalation is theirs, and whoever comes second is told who has it."""
    user_id, now = act.user_id, act.now
    with act.uow as uow:
        session = uow.session
        escalation = acting_on(session, act.team_id, user_id, act.escalation_id, act.is_admin)
        won = claim_once(session, escalation.id, user_id, now)
        session.refresh(escalation)
        if not won:
            if escalation.status is EscalationStatus.RESOLVED:
                raise EscalationClosed()
            if escalation.claimed_by != user_id:
                raise EscalationTaken(escalation.claimed_by or "")
            if escalation.status is not EscalationStatus.SNOOZED:
                return current_view(session, escalation, act.decrypt, user_id)  # pressed twice: nothing new
            escalation.status, escalation.snoozed_until = EscalationStatus.CLAIMED, None
        record(session, escalation, user_id, Action.CLAIMED, now)
        supersede_redraws(session, [(escalation.workspace_id, escalation.id)])  # the press redraws each copy
        uow.commit()
        return current_view(session, escalation, act.decrypt, user_id)
