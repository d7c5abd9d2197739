"""Survey messages in the outbox: dropped at claim time when they no longer make sense (the survey was
answered, it closed, its member's data was erased, or its cohort was archived), held back while their
member is paused or gone (a return while the survey is open brings them; a pause in a cohort whose last
day is over, which nothing can end, holds them until the survey closes), a reminder held back until a
while after its invitation went, and an invitation's delivery recorded on its request.
One statement per batch, and only when the batch holds a survey message."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from circles.domain.delivery import SURVEYS
from circles.domain.surveys import message_dropped, message_held_until
from circles.domain.vocabulary import OutboxStatus
from circles.messages import SurveyInvite, SurveyReminder
from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.deferral import supersede
from circles.queries.surveys import mark_delivered, request_states

INVITES = frozenset({SurveyInvite.TEMPLATE})
REMINDERS = frozenset({SurveyReminder.TEMPLATE})


def drop_unwanted(session: Session, rows: Sequence[OutboxMessage], now: datetime) -> set[int]:
    """Of these locked rows, mark superseded the survey messages with nothing left to ask, and hold back
    those not to send yet (their member is out, a reminder too soon after its invitation); returns both."""
    requests = {row.id: request for row in rows if (request := _request_of(row.payload)) is not None}
    if not requests:
        return set()
    states = request_states(session, set(requests.values()))
    dropped = {row_id for row_id, request in requests.items() if message_dropped(states.get(request), now)}
    supersede(session, dropped)
    held = set()
    for row in rows:
        if row.id not in requests or row.id in dropped:
            continue
        reminder = _request_of(row.payload, REMINDERS) is not None
        if until := message_held_until(states[requests[row.id]], now, reminder=reminder):
            row.status, row.claimed_until, row.due_at = OutboxStatus.PENDING, None, until
            held.add(row.id)
    return dropped | held


def record_delivered(session: Session, payloads: Iterable[Any], now: datetime) -> None:
    """Of these messages just recorded sent, the survey invitations' requests are sent now: one UPDATE."""
    delivered = {request for p in payloads if (request := _request_of(p, INVITES)) is not None}
    mark_delivered(session, delivered, now)


def _request_of(stored: Any, templates: frozenset[str] = SURVEYS) -> int | None:
    payload = stored if isinstance(stored, dict) else {}
    args = payload.get("args")
    if payload.get("template") not in templates or not isinstance(args, dict):
        return None
    request = args.get("request_id")
    return request if isinstance(request, int) and not isinstance(request, bool) else None
