"""A partner's report of their change (who changed the partnership, with whom, their reason) for the
cohort's facilitators, and an ending report none of them could receive.

Nobody of the pair ever gets it, even as a facilitator or an admin. An ending that no facilitator may hear
of (none, each is one of the pair, or each has left Slack or is away now: `reachable_facilitators`) is
told to the admins instead, without the reason, which the form promised to the facilitators only. When the
sender records that a facilitator's copy failed for good (the person cannot be reached, their DM is gone, or
it was given up after Slack kept failing or its senders kept dying), and no other copy reached a facilitator
or may still, the report goes once to the cohort's facilitators not tried yet, or else to the admins in the
same way.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from circles.domain.own_pairs import who_may_hear
from circles.domain.vocabulary import PartnershipStatus
from circles.messages import PartnershipReport, ReroutedTo
from circles.persistence.db import Session
from circles.persistence.models import Member, Partnership
from circles.queries.cohorts import reachable_facilitators
from circles.queries.outbox.copies import holders_under
from circles.queries.partnerships.ever import kept_from_pair
from circles.services.escalations.sending import Admins, admins_of
from circles.services.outbox.enqueue import Outgoing, enqueue_many

if TYPE_CHECKING:  # the failed row's service calls this one: no import at run time
    from circles.services.outbox.unreachable import Unreachable

FOR_FACILITATOR = ":facilitator:"  # in every report's key, before its recipient


def change_reports(
    workspace_id: int,
    report: PartnershipReport,
    key: str,
    facilitators: Collection[str],
    admins: Admins,
    kept: Collection[str],
) -> list[Outgoing]:
    """The report for each of these facilitators (who may hear of the pair), or the admins as above but those
    `kept` from the pair (`kept_from_pair`); each keyed `<key>:facilitator:<user>`."""
    if facilitators or report.status is not PartnershipStatus.ENDED:
        return [Outgoing(f"{key}{FOR_FACILITATOR}{user}", user, report) for user in facilitators]
    runners = who_may_hear(admins_of(admins, workspace_id), kept)
    return [Outgoing(f"{key}{FOR_FACILITATOR}{user}", user, _for_admins(report)) for user in runners]


def ending_report(payload: Any) -> bool:
    """Whether the payload is an ending report, which must reach someone (a pause or a resume need not)."""
    if not isinstance(payload, dict) or payload.get("template") != PartnershipReport.TEMPLATE:
        return False
    args = payload.get("args")
    return isinstance(args, dict) and args.get("status") == PartnershipStatus.ENDED.value


def report_unreachable(
    session: Session, row: Unreachable, report: PartnershipReport, now: datetime, admins: Admins
) -> list[str]:
    """In the caller's transaction, after the row's copy of an ending report was recorded failed: who now
    gets the report."""
    prefix = row.prefix
    if report.status is not PartnershipStatus.ENDED or prefix is None or not prefix.endswith(FOR_FACILITATOR):
        return []
    pair = _pair_of(session, row.workspace_id, row.key)
    if pair is None:  # not a report's key, or the pair is gone (erased): nobody is waiting for it
        return []
    members = (session.get(Member, pair.first_member_id), session.get(Member, pair.second_member_id))
    partners = {report.by, report.partner, *(member.slack_user_id for member in members if member)}
    kept = kept_from_pair(session, row.workspace_id, partners)
    present = reachable_facilitators(session, [pair.cohort_id], now).get(pair.cohort_id, [])
    facilitators = who_may_hear(present, kept)
    runners = who_may_hear(admins_of(admins, row.workspace_id), kept)
    holders = holders_under(session, row.workspace_id, prefix, facilitators, runners)
    if holders is None:
        return []  # another facilitator (or admin) has it, or may still
    to, by_admins = holders
    sent = _for_admins(report) if by_admins else report
    enqueue_many(
        session, row.workspace_id, [Outgoing(f"{prefix}{user}", user, sent) for user in to], now, now
    )
    return to


def _for_admins(report: PartnershipReport) -> PartnershipReport:
    return replace(report, reason="", to=ReroutedTo.ADMINS)


def report_pair(key: str) -> int:
    """The id of the partnership a report's key names (partnership:<id>:…); 0 for none."""
    _, _, rest = key.partition(":")
    number, _, _ = rest.partition(":")
    return int(number) if number.isdigit() else 0


def _pair_of(session: Session, workspace_id: int, key: str) -> Partnership | None:
    """The partnership a report's key names, of this workspace, locked for the caller: two copies of one
    report failing at once (two replicas) are looked at one after the other, the second seeing the first."""
    pair = session.get(Partnership, report_pair(key))
    if pair is None or pair.workspace_id != workspace_id:
        return None
    session.refresh(pair, with_for_update={"key_share": True})
    return pair
