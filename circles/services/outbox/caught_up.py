"""A return's check-in catch-up that another check-in of its pair already did: one held while the person was
away, brought forward as they said they were back (or a rota ended their block), can be taken by a sender
woken at once, before planning writes the catch-up. When a check-in of the same pair and person went since
the return, the catch-up is superseded, with its check-in unless answered: one catch-up, never two. Runs in
the claim's transaction on rows it is about to send; one query per batch that holds a catch-up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.domain.catch_up import caught_up_already, is_checkin_catch_up
from circles.domain.delivery import Unsent
from circles.messages import CheckinQuestion
from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.checkins import delete_unanswered
from circles.queries.outbox.deferral import supersede, went_since
from circles.services.outbox.checkins import checkin_of

CHECKIN = CheckinQuestion.TEMPLATE


def drop_caught_up(session: Session, rows: Sequence[OutboxMessage], now: datetime) -> set[int]:
    """Of these locked rows going now, supersede the check-in catch-ups a check-in that went since their
    return replaced; their ids."""
    catch_ups = [_unsent(row, row.deferred_from or row.due_at) for row in rows if _is_catch_up(row)]
    conversations = {(m.workspace_id, m.channel) for m in catch_ups if m.channel}
    if not conversations:
        return set()
    since = min(m.first_due for m in catch_ups)
    found = went_since(session, conversations, f"{CHECKIN}:", since, [row.id for row in rows])
    went = [(_unsent(row, row.due_at), row.due_at) for row in found if _template(row) == CHECKIN]
    dropped = caught_up_already(catch_ups, went)
    payloads = supersede(session, dropped)
    delete_unanswered(session, [checkin for payload in payloads if (checkin := checkin_of(payload))])
    return dropped


def _is_catch_up(row: OutboxMessage) -> bool:
    return _template(row) == CHECKIN and is_checkin_catch_up(row.idempotency_key)


def _unsent(row: OutboxMessage, first_due: datetime) -> Unsent:
    return Unsent(row.id, row.workspace_id, row.channel, row.idempotency_key, _template(row), first_due)


def _template(row: OutboxMessage) -> str:
    template = (row.payload or {}).get("template")
    return template if isinstance(template, str) else ""
