"""Check-in questions in the outbox: dropped at claim time when their check-in no longer takes an answer
(answered meanwhile, its partnership paused or ended, the person paused or gone from the cohort; a
completed pair's last check-in still goes while it takes an answer), with the
check-in itself unless it was answered, as for any check-in whose question was never sent. A question held
for someone's working hours is the one this catches. One query per batch that holds a check-in question."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from circles.messages import CheckinQuestion
from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.checkins import delete_unanswered
from circles.queries.checkins_closed import closed_among
from circles.queries.outbox.deferral import supersede


def checkin_of(stored: Any) -> int | None:
    """The check-in a stored message asks, when it is a check-in question."""
    payload = stored if isinstance(stored, dict) else {}
    args = payload.get("args")
    if payload.get("template") != CheckinQuestion.TEMPLATE or not isinstance(args, dict):
        return None
    checkin = args.get("checkin_id")
    return checkin if isinstance(checkin, int) and not isinstance(checkin, bool) else None


def drop_closed(session: Session, rows: Sequence[OutboxMessage], now: datetime) -> set[int]:
    """Of these locked rows, mark superseded the check-in questions nobody can answer any more; their ids."""
    asked = {row.id: checkin for row in rows if (checkin := checkin_of(row.payload)) is not None}
    if not asked:
        return set()
    closed = closed_among(session, set(asked.values()), now)
    dropped = {row_id for row_id, checkin in asked.items() if checkin in closed}
    supersede(session, dropped)
    delete_unanswered(session, [asked[row_id] for row_id in dropped])
    return dropped
