"""A DM that failed for good because its person cannot be reached, or was given up: what it carried goes on.

The sender says only what happened (this row failed, its person is out of reach, or it was given up after
Slack kept failing or its senders kept dying); what follows is the product's. In the transaction that
records it: an alert's follow-up is brought to now (the next follow-up pass sends it on when no facilitator
has it), a support request goes to whoever else can act (circles.services.support.reroute), and so does a
partner's ending report (circles.services.partnerships.reports). Any other message is only recorded failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from circles.messages import EscalationCard, MalformedPayload, PartnershipReport, Payload, SupportRequest
from circles.persistence.db import Session, UnitOfWork
from circles.queries.outbox.claims import settle_failed
from circles.services.escalations.sending import Admins
from circles.services.escalations.unreached import alerts_unreachable
from circles.services.partnerships.reports import ending_report, report_pair, report_unreachable
from circles.services.support.reroute import request_unreachable

CARRIED = frozenset({EscalationCard.TEMPLATE, SupportRequest.TEMPLATE})  # what must reach someone
P = TypeVar("P", bound=Payload)


@dataclass(frozen=True)
class Unreachable:
    """A claimed row whose person Slack cannot reach (or that was given up), as the sender holds it."""

    id: int
    attempt: int  # the claim's number, fencing the failure
    workspace_id: int
    key: str
    channel: str
    payload: dict[str, Any]

    @property
    def prefix(self) -> str | None:
        """Its key less the recipient: each copy of its message is `<prefix><user>`; None for another key."""
        return self.key[: -len(self.channel)] if self.key.endswith(f":{self.channel}") else None


def carries(payload: Any, channel: str | None) -> bool:
    """Whether a DM with this payload carries what must reach someone (an alert, a support request, a
    partner's ending report)."""
    if not channel or not isinstance(payload, dict):
        return False
    return payload.get("template") in CARRIED or ending_report(payload)


def fail_unreachable(uow: UnitOfWork, row: Unreachable, error: str, now: datetime, admins: Admins) -> bool:
    """Record the row failed and reach someone else for what it carried; False if the claim is not ours."""
    with uow:
        changed = settle_failed(uow.session, row.id, row.attempt, error)
        if changed:
            carried_on(uow.session, [row], now, admins)
        uow.commit()
        return changed


def carried_on(session: Session, rows: Sequence[Unreachable], now: datetime, admins: Admins) -> None:
    """What follows from these rows not reaching their people, in the caller's transaction: each support
    request on its own (they are few), in the order of the members whose rows they lock, then each ending
    report in the order of the pairs it locks, so that two transactions giving up copies of the same ones
    cannot deadlock and the second sees the first; the alerts' follow-ups last, in one statement."""
    alerts, reports = [], []
    for row in sorted(rows, key=_asker):
        template, args = row.payload.get("template"), row.payload.get("args")
        if not isinstance(args, dict):
            continue
        if template == EscalationCard.TEMPLATE and isinstance(args.get("escalation_id"), int):
            alerts.append((row.workspace_id, args["escalation_id"]))
        elif template == SupportRequest.TEMPLATE and (request := _read(SupportRequest, args)) is not None:
            request_unreachable(session, row, request, now, admins)
        elif ending_report(row.payload) and (report := _read(PartnershipReport, args)) is not None:
            reports.append((report_pair(row.key), row, report))
    for _, row, report in sorted(reports, key=lambda found: (found[0], found[1].id)):
        report_unreachable(session, row, report, now, admins)
    alerts_unreachable(session, alerts, now)


def _read(kind: type[P], args: dict[str, Any]) -> P | None:
    """The message a row holds; None for one that does not read as its kind (nobody waits for it)."""
    try:
        return kind.from_args(args)
    except MalformedPayload:
        return None


def _asker(row: Unreachable) -> tuple[int, str]:
    args = row.payload.get("args")
    return row.workspace_id, str(args.get("member_user_id", "")) if isinstance(args, dict) else ""
