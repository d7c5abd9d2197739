"""A DM failed for good for another reason than its person being unreachable (Slack refused what it held,
too long or blocks it would not take; it could not be built; a code Slack gives only here), carrying a
support request: failed, with both sides told in the same transaction.

Sending it again to anyone would fail alike, so it is not taken to someone else as an unreachable person's
copy is (circles.services.outbox.unreachable); its person and the member are told instead, without
its words (circles.services.support.unshown). Any other message is only recorded failed. An alert's card
keeps its escalation open and is looked at again by its follow-up, as any copy that failed.
"""

from __future__ import annotations

from datetime import datetime

from circles.messages import MalformedPayload, SupportRequest
from circles.persistence.db import UnitOfWork
from circles.queries.outbox.claims import settle_failed
from circles.services.outbox.unreachable import Unreachable
from circles.services.support.unshown import request_unshown


def fail_refused(uow: UnitOfWork, row: Unreachable, error: str, now: datetime) -> bool:
    """Record the row failed and, for a support request, tell both sides; False if the claim is not ours."""
    with uow:
        changed = settle_failed(uow.session, row.id, row.attempt, error)
        if changed and (request := _request(row)) is not None:
            request_unshown(uow.session, row, request, now)
        uow.commit()
        return changed


def _request(row: Unreachable) -> SupportRequest | None:
    """The support request the row held; None for another kind, or one that does not read as its kind."""
    if row.payload.get("template") != SupportRequest.TEMPLATE:
        return None
    try:
        return SupportRequest.from_args(row.payload.get("args"))
    except MalformedPayload:
        return None
