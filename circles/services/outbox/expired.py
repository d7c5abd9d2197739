"""Rows whose claim expired `max_attempts` times (each dispatcher that took them died holding them): given
up as failed in the claim that finds them, and what they carried taken on.

An alert's, a support request's or an ending report's is taken on in that same transaction, as one whose
person cannot be reached (see unreachable), and a removal from a circle's channel is left to the
facilitators there too (circle_exit): nothing is lost with them. A round's step is handed back to the
caller with the payload it had (its run is locked before its rows, which the claim has already locked:
bot.gateway.record.Recorder.gave_up records it). A private payload keeps no words.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.outbox import claims
from circles.services.escalations.sending import Admins
from circles.services.outbox.unreachable import Unreachable, carried_on, carries
from circles.services.people.circle_exit import KICK, tell_stuck


def give_up(
    session: Session, rows: list[OutboxMessage], now: datetime, admins: Admins
) -> list[tuple[OutboxMessage, dict[str, Any]]]:
    """Fail these rows for good; returns those whose sender has more to do, each with its payload."""
    lost, handed = [], []
    for row in rows:
        payload = dict(row.payload)
        row.status, row.claimed_until = OutboxStatus.FAILED, None
        last = row.last_error or "claim expired"
        row.last_error = f"gave up after {row.attempts} attempts; last: {last}"
        if row.channel and carries(payload, row.channel):  # an alert, a support request, an ending report
            lost.append(
                Unreachable(row.id, row.attempts, row.workspace_id, row.idempotency_key, row.channel, payload)
            )
        elif row.method == KICK:
            tell_stuck(session, row.workspace_id, row.idempotency_key, payload, last, now, admins)
        else:
            handed.append((row, payload))
        if (kept := claims.scrubbed(payload)) is not None:  # a private message keeps no words
            row.payload = kept
    carried_on(session, lost, now, admins)
    return handed
