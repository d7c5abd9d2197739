"""An alert's DM is looked at again when a sender takes it: someone taken off the cohort's facilitators
since it was queued (Slack was down, or the queue long), or now paired with one of its partners, is sent
nothing, as their copies already sent are redrawn without the pair (circles.services.escalations.withdrawn).
So is the full redraw of a copy for someone put back who was taken off again before it went, or whose try
failed and waits: sent after their copy's withdrawal, it would draw the pair back into their DM.
The admins' copies are theirs whoever facilitates. A few statements per batch, only when it holds an alert."""

from __future__ import annotations

from collections.abc import Sequence

from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.cohorts import facilitators_by_cohort
from circles.queries.escalations import escalations_by_id
from circles.queries.outbox.deferral import supersede
from circles.services.escalations.sending import facilitators_hearing
from circles.services.escalations.withdrawn import restored_reader


def drop_unheard(session: Session, rows: Sequence[OutboxMessage]) -> set[int]:
    """Of these locked rows, mark superseded the alert DMs whose person may no longer hear of the alert
    (`facilitators_hearing`), or whose alert is gone; their ids."""
    alerts = {row.id: alert for row in rows if (alert := _alert_of(row)) is not None}
    if not alerts:
        return set()
    escalations = escalations_by_id(session, {escalation_id for escalation_id, _ in alerts.values()})
    facilitators = facilitators_by_cohort(session, {e.cohort_id for e in escalations.values()})
    hearing = facilitators_hearing(session, list(escalations.values()), facilitators)
    dropped = {row_id for row_id, (about, user) in alerts.items() if user not in hearing.get(about, ())}
    supersede(session, dropped)
    return dropped


def _alert_of(row: OutboxMessage) -> tuple[int, str] | None:
    """(escalation id, person) of a facilitator's copy of an alert (its key:
    `escalation:<id>:<person>:<occasion>`) or of its full redraw for them put back; None for anything else,
    an admins' copy included."""
    if restored := restored_reader(row.idempotency_key):
        return restored
    parts = row.idempotency_key.split(":")
    if len(parts) != 4 or parts[0] != "escalation" or not parts[1].isdigit() or parts[3].startswith("admins"):
        return None
    return int(parts[1]), parts[2]
