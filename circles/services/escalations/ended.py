"""Alerts about partnerships that have ended: resolved as ended by the app, every copy redrawn.

Whichever way a partnership ends (a partner's form, a facilitator, leaving the cohort, the cohort's end),
its unresolved escalation is resolved in the same transaction, so no facilitator is left with an alert,
claimed, snoozed or still waiting, about a pair that no longer exists.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from circles.domain.escalations import APP_ACTOR, Outcome
from circles.messages import stored
from circles.persistence.db import Session
from circles.persistence.models import Escalation
from circles.queries.escalations import unresolved_of
from circles.services.escalations.resolve import resolve
from circles.services.escalations.view import current_view
from circles.services.outbox.enqueue import Work, enqueue_work


def resolve_ended(session: Session, partnership_ids: Collection[int], now: datetime) -> list[int]:
    """Resolve as ended every unresolved escalation of these (ended) partnerships; the ids resolved.

    Each copy of the alert already in a facilitator's or admin's DM is redrawn as resolved, through the
    outbox in the caller's transaction. The partners' notes leave every copy, as with any resolution.
    """
    if not partnership_ids:
        return []
    session.flush()  # the endings the caller made are what the cards show
    resolved = []
    for escalation in unresolved_of(session, sorted(partnership_ids)):
        close_as_ended(session, escalation, now)
        resolved.append(escalation.id)
    return resolved


def close_as_ended(session: Session, escalation: Escalation, now: datetime) -> None:
    """Resolve one escalation whose partnership has ended, by the app, and redraw its copies."""
    resolve(session, escalation, APP_ACTOR, Outcome.ENDED, "", now)
    escalation.follow_up_at = None
    session.flush()
    view = current_view(session, escalation, None, APP_ACTOR)
    work = []
    for copy in view.copies:
        row = stored(view.card_for(copy))
        row["args"]["ts"] = copy.ts  # the message chat.update replaces
        key = f"escalation-ended:{escalation.id}:{copy.channel}:{copy.ts}"
        work.append(Work(key, "chat.update", copy.channel, row))
    enqueue_work(session, escalation.workspace_id, work, now, now)
