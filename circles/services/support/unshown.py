"""A support request whose copy failed for good (Slack refused what it held, it could not be built, or a
failure that would come again whoever it went to): both sides are told, once, and nobody is shown the words.

Sending it again, to this facilitator or anyone else, would fail the same way. In the transaction
that records the copy failed, the person it was for is told that the member asked for support and to reach
out to them (once per copy), and the member that their request could not be shown and to contact the people
it was for directly (once per request, however many of its copies were refused). A member who left since is
waiting for no answer: nobody is told.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from circles.messages import SupportNotShown, SupportRequest, SupportUnshown
from circles.persistence.db import Session
from circles.queries.support import asker
from circles.services.outbox.enqueue import Outgoing, enqueue_many

if TYPE_CHECKING:  # the failed row's service calls this one: no import at run time
    from circles.services.outbox.unreachable import Unreachable


def request_unshown(session: Session, row: Unreachable, request: SupportRequest, now: datetime) -> int:
    """In the caller's transaction, after the row's copy of a support request was recorded failed for what
    it held: the notices to its person and to the member; how many were new."""
    if asker(session, row.workspace_id, request.member_user_id, request.cohort_name) is None:
        return 0
    if row.channel in (request.member_user_id, request.partner_user_id):
        return 0  # never theirs: a request is never sent to them, so this row is no copy of one
    # Keys outside the request's prefix, so never counted as one of its copies.
    request_key = row.prefix[:-1] if row.prefix else row.key
    notice = SupportUnshown(request.cohort_name, request.member_user_id, request.partner_user_id)
    told = SupportNotShown(request.cohort_name)
    outgoing = [
        Outgoing(f"unshown:{row.key}", row.channel, notice),
        Outgoing(f"not_shown:{request_key}", request.member_user_id, told),
    ]
    return enqueue_many(session, row.workspace_id, outgoing, due_at=now, now=now)
