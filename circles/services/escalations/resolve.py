"""A facilitator closes an escalation with an outcome; the partners' notes leave every copy of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.domain.escalations import COMMENT_LIMIT, Action, Outcome
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Session
from circles.persistence.models import Escalation
from circles.queries.escalations.redraws import supersede_redraws
from circles.services.escalations.access import EscalationAct, act_on_unresolved
from circles.services.escalations.cards import record_each
from circles.services.escalations.view import EscalationView
from circles.services.health.due import look_now


def resolve_escalation(act: EscalationAct, outcome: Outcome, comment: str) -> EscalationView:
    """Close it with an outcome; the partners' notes leave every copy of the message."""

    def resolved(session: Session, escalation: Escalation) -> None:
        resolve(session, escalation, act.user_id, outcome, comment, act.now)

    view, _ = act_on_unresolved(act, resolved)
    return view


def resolve(
    session: Session, escalation: Escalation, user_id: str, outcome: Outcome, comment: str, now: datetime
) -> None:
    """Close the escalation with its outcome in the audit trail, and have its pair looked at again."""
    resolve_all(session, [escalation], user_id, outcome, comment, now)


def resolve_all(
    session: Session,
    escalations: Sequence[Escalation],
    user_id: str,
    outcome: Outcome,
    comment: str,
    now: datetime,
    *,
    drawn_now: bool = True,
) -> None:
    """Close these escalations with one outcome, each in its audit trail, and have their pairs looked at
    again: in a fixed number of statements, however many. `drawn_now`: the caller draws every copy as
    resolved at once (a press), so redraws still waiting go too; the app's ending queues its own redraws,
    which go after them in each conversation."""
    if not escalations:
        return
    for escalation in escalations:
        escalation.status, escalation.resolved_at = EscalationStatus.RESOLVED, now
        escalation.outcome, escalation.snoozed_until = outcome.value, None
    detail = {"outcome": outcome.value, "comment": comment.strip()[:COMMENT_LIMIT]}
    record_each(session, [(escalation, detail) for escalation in escalations], user_id, Action.RESOLVED, now)
    # A copy still waiting to go (Slack failing, no worker running) would arrive open, with the partners'
    # notes, after the fact: it never goes, and its words are dropped; nor does a redraw queued before, which
    # would draw a copy open again over its resolution. Copies sent are redrawn as resolved.
    supersede_redraws(session, {(e.workspace_id, e.id) for e in escalations}, copies=True, redraws=drawn_now)
    # Their pairs are looked at again: when a concern that stays may count again.
    look_now(session, [escalation.partnership_id for escalation in escalations], now)
