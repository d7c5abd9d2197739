"""A learner withdrawing their own request for a coach or mentor, to ask someone else: nobody waits on a
coach who does not answer."""

from __future__ import annotations

from datetime import datetime

from circles.domain.requests import RequestStatus
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Member
from circles.queries.coach_requests import GuideCopy, answer_open, hold_request, open_request_of
from circles.queries.members import member_in
from circles.services.cohorts.lookup import require_cohort
from circles.services.partnerships.request_notices import redraw_copies


def withdraw_own_request(uow: UnitOfWork, team_id: str, user_id: str, slug: str, now: datetime) -> str | None:
    """Withdraw the person's open request in that cohort; the Slack ID of the coach or mentor it asked, or
    None when none was open (answered or withdrawn meanwhile, or never asked). The coach is not told: their
    copy of the request is redrawn as closed, without its buttons."""
    with uow:
        session = uow.session
        cohort = require_cohort(session, team_id, slug.lower())
        learner = member_in(session, cohort.id, user_id)
        request = open_request_of(session, learner.id) if learner is not None else None
        # Compare-and-set: of a withdrawal and the coach's answer at once, only one closes the request.
        if request is None or not answer_open(session, request.id, RequestStatus.WITHDRAWN, now):
            return None
        # Read again once closed (and so held): a copy remembered by a commit this one waited for is redrawn.
        request = hold_request(session, request.id) or request
        if request.guide_channel and request.guide_ts:  # its buttons in the coach's DM can no longer work
            copy = GuideCopy(request.id, user_id, request.guide_channel, request.guide_ts)
            redraw_copies(session, cohort, [copy], now)
        coach = session.get_one(Member, request.coach_member_id).slack_user_id
        uow.commit()
        return coach
