"""A facilitator pauses or ends a partnership: both partners hear what changed, never why or who decided;
and a paused pair, whoever paused it, loses its planned conversation starters and keeps the time it was
paused as time on hold."""

from __future__ import annotations

from datetime import datetime

from circles.domain.health.paused import ended, started
from circles.domain.vocabulary import EndReason, PartnershipStatus
from circles.errors import PartnershipOver
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Member, Partnership
from circles.queries.outbox.deferral import supersede
from circles.queries.outbox.rows import planned_pair_prompts
from circles.services.health.due import look_now
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.partnerships.endings import end_partnerships
from circles.services.partnerships.notices import partner_notices
from circles.services.planning.replan import replan


def change_for_facilitator(
    session: Session,
    pair: Partnership,
    status: PartnershipStatus,
    reason: EndReason,
    now: datetime,
    *,
    request_key: str,
) -> bool:
    """Pause or end a partnership on a facilitator's decision; False when it already was so.

    Both partners are told what changed, in the caller's transaction: never why, never who decided.
    `reason` is kept for an ending only (EndReason.FACILITATOR, or REMATCHED when a new partner follows).
    """
    session.refresh(pair, with_for_update=True)  # as it is now, and ours until the caller commits
    if pair.status is PartnershipStatus.ENDED:
        raise PartnershipOver()
    if pair.status is status:
        return False
    set_status(pair, status, now)
    look_now(session, [pair.id], now)
    if status is PartnershipStatus.ENDED:
        end_partnerships(session, [pair], reason, now)
    if status is PartnershipStatus.PAUSED:
        drop_planned_starters(session, pair)
    cohort = session.get_one(Cohort, pair.cohort_id)
    replan(session, [cohort.id])
    members = (pair.first_member_id, pair.second_member_id)
    notices = partner_notices(session, cohort, pair, members)
    occasion = f"{pair.id}:{status.value}:{request_key}"
    messages = [
        Outgoing(f"partnership:{occasion}:partner:{user}", user, notices[member])
        for member, user in ((m, session.get_one(Member, m).slack_user_id) for m in members)
    ]
    enqueue_many(session, cohort.workspace_id, messages, now, now)
    return True


def set_status(pair: Partnership, status: PartnershipStatus, now: datetime) -> None:
    """Give the pair its new status, its pause's span opened or closed with it: no check-in reaches a paused
    pair, so that time is never held against it (circles.domain.health.paused)."""
    paused = PartnershipStatus.PAUSED
    if pair.status is status:
        return
    if status is paused:
        # A pair's pause has no date: it runs until resumed.
        pair.pauses = started(pair.pauses, now, running=False, ran_out_at=None)
    elif pair.status is paused and status is PartnershipStatus.ACTIVE:
        pair.pauses = ended(pair.pauses, now)
    # An ending leaves a pause's span open: an ended pair's health is never read again.
    pair.status = status


def drop_planned_starters(session: Session, pair: Partnership) -> None:
    """A paused pair gets no conversation starter already planned for it (as an ended one); after a resume
    the planner brings the next one."""
    supersede(session, planned_pair_prompts(session, [pair.id]))
