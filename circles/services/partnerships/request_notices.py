"""Telling a learner that their request to work with a coach or mentor closed before it was accepted: nobody
waits for an answer that cannot come."""

from __future__ import annotations

from datetime import datetime

from circles.domain.requests import takes_partners
from circles.domain.vocabulary import MemberStatus
from circles.errors import RequestLapsed
from circles.messages import RequestClosedBecause, RequestClosedNotice
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Member
from circles.queries.coach_requests import AskedBy
from circles.services.outbox.enqueue import Outgoing, enqueue_many


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
    """Why the learner is told their request closed: their coach no longer takes partners there, or they
    are on a pause (and may ask again once back). Not when they left, found a partner meanwhile, or the
    cohort ended: then nobody waits for the answer."""
    if learner is None or learner.status is MemberStatus.LEFT:
        return None
    if lapsed is not None and lapsed.yours:
        return RequestClosedBecause.GUIDE_GONE
    if not takes_partners(learner.status, learner.paused_until, now):  # a dated pause not yet over
        return RequestClosedBecause.LEARNER_PAUSED
    return None
