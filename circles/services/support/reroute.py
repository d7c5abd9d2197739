"""A support request whose facilitator cannot be reached goes to someone who can act, once.

When the sender records that a request's DM failed because its person cannot be reached (gone from the
workspace, deactivated), and no other copy of the request reached a facilitator or may still, it is sent
as it was to the cohort's facilitators not tried yet, or to the admins when there are none (a request that
no facilitator could hear went to the admins at once: while one of them has it, nobody else is asked).
Nobody new learns more than the request carries; the member, anyone ever paired with them and, for a
request about a partnership, anyone ever paired with the partner, are never among them. The member, told
at the time that their facilitator had it, is told once who has it now (or that nobody could take it),
never with their own words.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from circles.messages import Holder, ReroutedTo, SupportRequest, SupportRerouted
from circles.persistence.db import Session
from circles.queries.cohorts import reachable_facilitators
from circles.queries.outbox.copies import holders_under
from circles.queries.support import asker
from circles.services.escalations.sending import Admins, admins_of
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.support.hearing import kept_from_request

if TYPE_CHECKING:  # the failed row's service calls this one: no import at run time
    from circles.services.outbox.unreachable import Unreachable


def request_unreachable(
    session: Session, row: Unreachable, request: SupportRequest, now: datetime, admins: Admins
) -> list[str]:
    """In the caller's transaction, after the row's copy of a support request was recorded failed: who now
    gets the request."""
    prefix = row.prefix
    if prefix is None:
        return []
    found = asker(session, row.workspace_id, request.member_user_id, request.cohort_name)
    if found is None:  # the member left meanwhile: nobody is waiting for an answer
        return []
    member, cohort = found
    # Never the member, nor anyone they were paired with (nor, about a partnership, anyone its partner was
    # paired with), even as a facilitator or an admin: as when the request was first sent.
    left_out = kept_from_request(session, row.workspace_id, member.slack_user_id, request.partner_user_id)
    present = reachable_facilitators(session, [cohort.id], now).get(cohort.id, [])
    facilitators = [user for user in present if user not in left_out]
    runners = [user for user in admins_of(admins, row.workspace_id) if user not in left_out]
    # A request no facilitator could hear went to the admins at once: one of them having it is enough.
    holders = holders_under(session, row.workspace_id, prefix, facilitators, runners)
    if holders is None:
        return []  # another facilitator (or admin) has it, or may still
    to, by_admins = holders
    went_to = ReroutedTo.FACILITATORS if not by_admins else ReroutedTo.ADMINS if to else ReroutedTo.NOBODY
    outgoing = [Outgoing(f"{prefix}{user}", user, request) for user in to]
    # Outside the request's prefix, so never counted as one of its copies; once per request.
    notice = SupportRerouted(request.cohort_name, went_to, tuple(Holder(user) for user in to))
    outgoing.append(Outgoing(f"rerouted:{prefix[:-1]}", request.member_user_id, notice))
    enqueue_many(session, row.workspace_id, outgoing, due_at=now, now=now)
    return to
