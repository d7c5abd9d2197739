"""Copies of an alert whose reader no longer facilitates its cohort (or is one of its pair), redrawn in place
through the outbox with nothing of the pair: not the partners, their health, reasons, trend or notes.

A resolved alert's card still names the pair and its health, so its copies are withdrawn too. It happens when
the facilitator is taken off the cohort (`withdraw_copies_of`) and when the pair ends (`close_as_ended`),
whichever comes first: each copy is redrawn once, under one key, and the other finds it done.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from circles.domain.escalations import APP_ACTOR
from circles.messages import EscalationWithdrawn, stored
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Escalation
from circles.queries.escalations import copied_to
from circles.queries.outbox.rows import NewMessage, add_new
from circles.services.escalations.view import EscalationView, MessageCopy, current_views


def withdraw_copies_of(session: Session, cohort: Cohort, people: Collection[str], now: datetime) -> None:
    """Redraw as withdrawn the copies these people, just taken off the cohort's facilitators, hold of its
    alerts, resolved ones too; in a fixed number of statements however many."""
    if not people:
        return
    session.flush()  # their removal is what makes their copies read as withdrawn
    redraw_withdrawn(session, copied_to(session, cohort, people), now)


def redraw_withdrawn(session: Session, escalations: Sequence[Escalation], now: datetime) -> None:
    """Queue the redraw of every withdrawn copy of these escalations, in the caller's transaction."""
    views = current_views(session, escalations, None, APP_ACTOR)
    redraws = [
        withdrawn_redraw(escalation, view, copy, now)
        for escalation, view in zip(escalations, views, strict=True)
        for copy in view.copies
        if copy.withdrawn
    ]
    add_new(session, redraws, now)


def withdrawn_redraw(
    escalation: Escalation, view: EscalationView, copy: MessageCopy, now: datetime
) -> NewMessage:
    """The `chat.update` of one withdrawn copy, keyed once per copy ever."""
    row = stored(EscalationWithdrawn(view.card.cohort_name))
    row["args"]["ts"] = copy.ts  # the message chat.update replaces
    key = f"escalation-withdrawn:{escalation.id}:{copy.channel}:{copy.ts}"
    return NewMessage(escalation.workspace_id, key, "chat.update", copy.channel, row, now)
