"""Requests to work with a coach or mentor that close before they are accepted: the learner is told, so that
nobody waits for an answer that cannot come; and the coach's copy, when the learner's side closed it, is
redrawn as closed, so that nobody presses a button that can no longer work."""

from __future__ import annotations

from datetime import datetime

from circles.domain.presence import taking_part
from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import MemberStatus
from circles.errors import RequestLapsed
from circles.messages import UNNAMED, RequestClosedBecause, RequestClosedNotice, RequestCopyClosed, stored
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Member
from circles.queries.coach_requests import (
    AskedBy,
    GuideCopy,
    hold_request,
    remember_guide_copy,
    withdraw_open_requests,
)
from circles.queries.outbox.rows import NewMessage, add_new
from circles.services.intake.workspaces import find_workspace
from circles.services.outbox.enqueue import Outgoing, enqueue_many


def close_requests_of(session: Session, cohort: Cohort, member_ids: list[int], now: datetime) -> None:
    """Withdraw every open request these members of the cohort asked or were asked (they left, stopped
    guiding there, or were given a partner): each learner who waited on one of them is told the coach no
    longer takes partners there, and each coach's copy of a learner's request is redrawn as closed."""
    withdrawn = withdraw_open_requests(session, member_ids, now)
    tell_learners(session, cohort, withdrawn.asked, RequestClosedBecause.GUIDE_GONE, now)
    redraw_copies(session, cohort, withdrawn.copies, now)


def tell_learners(
    session: Session, cohort: Cohort, asked: list[AskedBy], because: RequestClosedBecause, now: datetime
) -> None:
    """Each learner's notice, through the outbox in the caller's transaction: keyed on the request, which
    closes once, so a change retried or raced on another replica tells nobody twice."""
    messages = [
        Outgoing(
            f"request:{a.request_id}:closed",
            a.learner_user_id,
            RequestClosedNotice(cohort.name, a.guide_user_id, because),
        )
        for a in asked
    ]
    enqueue_many(session, cohort.workspace_id, messages, now, now)


def learner_told_because(
    learner: Member | None, lapsed: RequestLapsed | None, now: datetime
) -> RequestClosedBecause | None:
    """Why the learner is told their request closed: their coach no longer takes partners there (nor does
    anyone: the cohort no longer pairs learners with coaches or mentors), or they are on a pause (and may
    ask again once back). Not when they left, found a partner meanwhile, or the cohort ended: then nobody
    waits for the answer."""
    if learner is None or learner.status is MemberStatus.LEFT:
        return None
    if lapsed is not None and (lapsed.yours or lapsed.unpaired):
        return RequestClosedBecause.GUIDE_GONE
    if not taking_part(learner.status, learner.paused_until, now):  # a dated pause not yet over
        return RequestClosedBecause.LEARNER_PAUSED
    return None


def redraw_copies(session: Session, cohort: Cohort, copies: list[GuideCopy], now: datetime) -> None:
    """Each coach's copy of a request that closed without their answer, redrawn through the outbox in the
    caller's transaction, at once (an edit wakes nobody); keyed on the request, which closes once."""
    redraws = []
    for copy in copies:
        row = stored(RequestCopyClosed(cohort.name, copy.learner_user_id))
        row["args"]["ts"] = copy.ts  # the message chat.update replaces
        key = f"request:{copy.request_id}:copy-closed"
        redraws.append(NewMessage(cohort.workspace_id, key, "chat.update", copy.channel, row, now))
    add_new(session, redraws, now)


def remember_copy(
    uow: UnitOfWork, team_id: str, request_id: int, channel: str, ts: str, now: datetime
) -> None:
    """Where the coach's or mentor's copy of the request was posted, to redraw it once the learner's side
    closes it; redrawn at once when that happened while it was being posted (the learner withdrew it, or
    left, naming nobody when they were erased meanwhile)."""
    with uow:
        session = uow.session
        workspace = find_workspace(session, team_id)
        # Held: a withdrawal at this moment either closed it already (redrawn here) or waits, then finds the
        # copy remembered and redraws it itself.
        request = hold_request(session, request_id)
        if workspace is None or request is None or request.workspace_id != workspace.id or not ts:
            return  # not theirs, or Slack named no message to redraw
        remember_guide_copy(session, request.id, channel, ts)
        if request.status is RequestStatus.WITHDRAWN:
            learner = session.get_one(Member, request.learner_member_id)
            cohort = session.get_one(Cohort, request.cohort_id)
            named = UNNAMED if learner.erased_before is not None else learner.slack_user_id  # left and erased
            redraw_copies(session, cohort, [GuideCopy(request.id, named, channel, ts)], now)
        uow.commit()
