"""Rows whose claim expired `max_attempts` times (each dispatcher that took them died holding them): given
up as failed in the claim that finds them, and what they carried taken on.

An alert's or a support request's is taken on in that same transaction, as one whose person cannot be
reached (see unreachable): nothing it carried is lost with it. The others are handed back to the caller
with the payload they had, for what its sender does with a row given up (a removal from a circle's
channel, a step of a round: bot.gateway.record.Recorder.gave_up). A private payload keeps no words.
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
        if row.channel and carries(payload, row.channel):  # an alert, a support request
            lost.append(
                Unreachable(row.id, row.attempts, row.workspace_id, row.idempotency_key, row.channel, payload)
            )
        else:
            handed.append((row, payload))
        if (kept := claims.scrubbed(payload)) is not None:  # a private message keeps no words
            row.payload = kept
    carried_on(session, lost, now, admins)
    return handed
