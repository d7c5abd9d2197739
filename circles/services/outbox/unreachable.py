"""A DM that failed for good because its person cannot be reached: recorded, and what it carried sent on.

The sender says only what happened (this row failed, its person is out of reach); what follows is the
product's. In the transaction that records the failure: an alert's follow-up is brought to now (the next
follow-up pass sends it on when no facilitator has it), and a support request goes to whoever else can
act (circles.services.support.reroute). Any other message is only recorded failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from circles.messages import EscalationCard, SupportRequest
from circles.persistence.db import Session, UnitOfWork
from circles.services.escalations.sending import Admins
from circles.services.escalations.unreached import alert_unreachable
from circles.services.outbox.queue import record_failed
from circles.services.support.reroute import request_unreachable


@dataclass(frozen=True)
class Unreachable:
    """A claimed row whose person Slack cannot reach, as the sender holds it."""

    id: int
    attempt: int  # the claim's number, fencing the failure
    workspace_id: int
    key: str
    channel: str
    payload: dict[str, Any]


def fail_unreachable(uow: UnitOfWork, row: Unreachable, error: str, now: datetime, admins: Admins) -> bool:
    """Record the row failed and reach someone else for what it carried; False if the claim is not ours."""
    with uow:
        changed = record_failed(uow.session, row.id, row.attempt, error)
        if changed:
            carried_on(uow.session, row, now, admins)
        uow.commit()
        return changed


def carried_on(session: Session, row: Unreachable, now: datetime, admins: Admins) -> None:
    """What follows from this row not reaching its person, in the caller's transaction."""
    template, args = row.payload.get("template"), row.payload.get("args")
    if not isinstance(args, dict):
        return
    if template == EscalationCard.TEMPLATE and isinstance(args.get("escalation_id"), int):
        alert_unreachable(session, args["escalation_id"], now)
    elif template == SupportRequest.TEMPLATE:
        request_unreachable(session, row.workspace_id, row.key, row.channel, args, now, admins)
