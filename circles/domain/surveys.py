"""Survey messages in the outbox: dropped at claim time when they no longer make sense (the survey was
answered, it closed, or its member left or paused), a reminder held back until a while after its invitation
went, and an invitation's delivery recorded on its request.
One statement per batch, and only when the batch holds a survey message."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from circles.domain.delivery import SURVEYS
from circles.domain.surveys import reminder_too_early
from circles.domain.vocabulary import OutboxStatus
from circles.messages import SurveyInvite, SurveyReminder
from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.deferral import supersede
from circles.queries.surveys import invited_at, mark_delivered, no_longer_wanted

INVITES = frozenset({SurveyInvite.TEMPLATE})
REMINDERS = frozenset({SurveyReminder.TEMPLATE})


def drop_unwanted(session: Session, rows: Sequence[OutboxMessage], now: datetime) -> set[int]:
    """Of these locked rows, mark superseded the survey messages not to send; returns their ids."""
    requests = {row.id: request for row in rows if (request := _request_of(row.payload)) is not None}
    if not requests:
        return set()
    gone = no_longer_wanted(session, set(requests.values()), now)
    dropped = {row_id for row_id, request in requests.items() if request in gone}
    supersede(session, dropped)
    return dropped | _too_early(
        session, [row for row in rows if row.id in requests and row.id not in dropped], now
    )


def _too_early(session: Session, rows: Sequence[OutboxMessage], now: datetime) -> set[int]:
    """Hold back the reminders whose invitation went less than a day ago or not yet (it was held back
    with them while its person was away): each waits until a while after it; returns their ids."""
    reminders = {
        row.id: request for row in rows if (request := _request_of(row.payload, REMINDERS)) is not None
    }
    if not reminders:
        return set()
    invited = invited_at(session, set(reminders.values()))
    held = set()
    for row in rows:
        if row.id in reminders and (until := reminder_too_early(invited.get(reminders[row.id]), now)):
            row.status, row.claimed_until, row.due_at = OutboxStatus.PENDING, None, until
            held.add(row.id)
    return held


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
