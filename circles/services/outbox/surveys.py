"""Drop, at claim time, survey messages that no longer make sense: the survey was answered, it closed, or
its member left or paused. One query per batch, and only when the batch holds a survey message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.domain.delivery import SURVEYS
from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.deferral import supersede
from circles.queries.surveys import no_longer_wanted


def drop_unwanted(session: Session, rows: Sequence[OutboxMessage], now: datetime) -> set[int]:
    """Of these locked rows, mark superseded the survey messages not to send; returns their ids."""
    requests = {row.id: request for row in rows if (request := _request_of(row)) is not None}
    if not requests:
        return set()
    gone = no_longer_wanted(session, set(requests.values()), now)
    dropped = {row_id for row_id, request in requests.items() if request in gone}
    supersede(session, dropped)
    return dropped


def _request_of(row: OutboxMessage) -> int | None:
    payload = row.payload if isinstance(row.payload, dict) else {}
    args = payload.get("args")
    if payload.get("template") not in SURVEYS or not isinstance(args, dict):
        return None
    request = args.get("request_id")
    return request if isinstance(request, int) and not isinstance(request, bool) else None
