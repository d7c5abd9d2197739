"""Copies of an alert whose reader no longer facilitates its cohort (or is one of its pair), redrawn in place
through the outbox with nothing of the pair: not the partners, their health, reasons, trend or notes.

A resolved alert's card still names the pair and its health, so its copies are withdrawn too. It happens when
the facilitator is taken off the cohort (`withdraw_copies_of`) and when the pair ends (`close_as_ended`),
whichever comes first: each copy is redrawn once per time it was withdrawn, under one key, and the other
finds it done. A facilitator put back has their copies of the open alerts drawn in full again
(`newcomers.hand_over`, keyed `escalation-restored:…:<n>`); the next withdrawal of such a copy is its own,
keyed after how often it was restored, as the copy may have been redrawn in full meanwhile.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime

from circles.domain.escalations import APP_ACTOR
from circles.messages import EscalationWithdrawn, stored
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Escalation
from circles.queries.escalations import copied_to
from circles.queries.escalations.redraws import RESTORED, WITHDRAWN, alert_key, under
from circles.queries.outbox.copies import keyed_under
from circles.queries.outbox.rows import NewMessage, add_new
from circles.services.escalations.view import EscalationView, MessageCopy, current_views

Withdrawn = tuple[Escalation, EscalationView, MessageCopy]  # one copy to redraw withdrawn


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
    withdrawn = [
        (escalation, view, copy)
        for escalation, view in zip(escalations, views, strict=True)
        for copy in view.copies
        if copy.withdrawn
    ]
    add_new(session, withdrawn_redraws(session, withdrawn, now), now)


def withdrawn_redraws(session: Session, copies: Sequence[Withdrawn], now: datetime) -> list[NewMessage]:
    """The `chat.update` of each of these withdrawn copies, keyed once per copy and time it was restored:
    one statement however many, none for no copies."""
    if not copies:
        return []
    restored = restores_of(session, {escalation for escalation, _, _ in copies})
    return [
        withdrawn_redraw(escalation, view, copy, now, restored[(escalation.id, copy.channel, copy.ts)])
        for escalation, view, copy in copies
    ]


def withdrawn_redraw(
    escalation: Escalation, view: EscalationView, copy: MessageCopy, now: datetime, restored: int = 0
) -> NewMessage:
    """The `chat.update` of one withdrawn copy, restored `restored` times before (see the module)."""
    row = stored(EscalationWithdrawn(view.card.cohort_name))
    row["args"]["ts"] = copy.ts  # the message chat.update replaces
    # Never restored: the key every withdrawal had before copies could be restored, so none is made twice.
    key = alert_key(WITHDRAWN, escalation.id, copy.channel, copy.ts, *([restored] if restored else []))
    return NewMessage(escalation.workspace_id, key, "chat.update", copy.channel, row, now)


def restored_key(escalation: Escalation, copy: MessageCopy, restored: int) -> str:
    """The key of a copy's restoring, after it was restored `restored` times."""
    return alert_key(RESTORED, escalation.id, copy.reader, copy.channel, copy.ts, restored + 1)


def restores_of(session: Session, escalations: Collection[Escalation]) -> Counter[tuple[int, str, str]]:
    """How often each copy of these escalations was restored, by (escalation id, channel, ts), in one
    statement: every restoring recorded counts, sent or not, as its key is taken."""
    prefixes = {(escalation.workspace_id, under(RESTORED, escalation.id)) for escalation in escalations}
    found: Counter[tuple[int, str, str]] = Counter()
    for row in keyed_under(session, prefixes):
        if parts := _restoring(row.key):
            found[(int(parts[1]), parts[3], parts[4])] += 1
    return found


def restored_reader(key: str) -> tuple[int, str] | None:
    """(escalation id, reader) of a restoring's key; None for any other key."""
    parts = _restoring(key)
    return (int(parts[1]), parts[2]) if parts else None


def _restoring(key: str) -> list[str] | None:
    parts = key.split(":")
    return parts if len(parts) == 6 and parts[0] == RESTORED and parts[1].isdigit() else None
