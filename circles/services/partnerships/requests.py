"""A learner asks a coach or mentor to partner with them; only that coach answers, privately."""

from __future__ import annotations

from datetime import datetime

from circles.domain.presence import taking_part
from circles.domain.requests import RequestStatus, cohort_over, partnership_kind
from circles.domain.vocabulary import MemberStatus, PartnershipStatus, Role
from circles.errors import (
    AlreadyPartnered,
    CohortOver,
    GuideFull,
    GuideNotAvailable,
    GuidePaused,
    NotALearnerThere,
    NotPairingGuides,
    PartneredBefore,
    RequestAlreadyOpen,
    RequestClosed,
    RequestLapsed,
    RequestNotForYou,
)
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import CoachRequest, Cohort, Member, Partnership
from circles.queries.coach_requests import add_if_none_open, answer_open, open_request_of
from circles.queries.cohorts import hold_cohort
from circles.queries.members import member_in
from circles.queries.rounds import hold_guides, latest_rounds
from circles.services.cohorts.lookup import require_cohort
from circles.services.intake.workspaces import find_workspace
from circles.services.partnerships.request_checks import close_if_lapsed, has_guide, kept_apart, never_paired
from circles.services.partnerships.request_view import RequestView, request_view
from circles.services.people.directory import places_opened, room
from circles.services.planning.replan import redigest_person, replan


def request_guide(
    uow: UnitOfWork, team_id: str, learner_id: str, slug: str, coach_id: str, now: datetime
) -> RequestView:
    """Ask a coach or mentor of the cohort, while it pairs learners with them (not archived, nor over, nor
    circles only or peers); one open request per learner per cohort."""
    with uow:
        session = uow.session
        cohort = require_cohort(session, team_id, slug)
        # The coach's profile, then the cohort, as an answer and a round's confirmation hold them: a leave or
        # a round pairing the learner at this moment is waited for, and what it saved is read below.
        hold_guides(session, cohort.workspace_id, [coach_id])
        hold_cohort(session, cohort.id)
        learner, coach = member_in(session, cohort.id, learner_id), member_in(session, cohort.id, coach_id)
        if learner is None or not _taking_part(learner, now) or learner.role is not Role.LEARNER:
            raise NotALearnerThere(slug)
        if coach is None or not _taking_part(coach, now) or not coach.role.guides:
            raise GuideNotAvailable(slug)
        if never_paired(session, learner, coach):  # said as for anyone not available: nobody learns of it
            raise GuideNotAvailable(slug)
        if cohort_over(cohort.ends_on, cohort.timezone, now):  # an archived one is not found at all
            raise CohortOver(slug)
        if not cohort.pairing_mode.guided:  # circles only, or peers: a directory shown before it changed
            raise NotPairingGuides(slug)
        if open_request_of(session, learner.id) is not None:
            raise RequestAlreadyOpen(slug)
        if has_guide(session, learner.id):
            raise AlreadyPartnered(slug)
        if kept_apart(session, cohort, learner.id, coach.id):
            raise PartneredBefore(slug)
        if room(session, cohort.workspace_id, coach_id) <= 0:
            raise GuideFull(unopened=not places_opened(session, cohort.workspace_id, coach_id))
        request = CoachRequest(
            workspace_id=cohort.workspace_id,
            cohort_id=cohort.id,
            learner_member_id=learner.id,
            coach_member_id=coach.id,
            status=RequestStatus.OPEN,
            created_at=now,
        )
        if not add_if_none_open(session, request):  # a second click raced this one past the check above
            raise RequestAlreadyOpen(slug)
        redigest_person(session, cohort.workspace_id, coach_id)  # a request waits for their answer
        found = request_view(session, request)
        uow.commit()
        return found


def accept_request(
    uow: UnitOfWork, team_id: str, user_id: str, request_id: int, now: datetime
) -> RequestView:
    """The addressed coach accepts: exactly one partnership, and only while they still have room."""
    with uow:
        session = uow.session
        request = _addressed(session, team_id, user_id, request_id)
        coach = session.get_one(Member, request.coach_member_id)
        # The coach's profile, then the cohort, as a round's confirmation holds them: a round pairing this
        # learner (or a leave) waits for this answer, or this one for it and then reads what it saved.
        hold_guides(session, coach.workspace_id, [coach.slack_user_id])
        hold_cohort(session, request.cohort_id)
        coach = session.get_one(Member, request.coach_member_id, populate_existing=True)
        learner = session.get(Member, request.learner_member_id, populate_existing=True)
        cohort = session.get_one(Cohort, request.cohort_id)
        if (lapsed := close_if_lapsed(session, request, cohort, coach, learner, now)) is not None:
            uow.commit()
            raise lapsed  # said to the coach in place of the request: nothing to press
        assert learner is not None  # a request whose learner is gone has lapsed
        if not taking_part(coach.status, coach.paused_until, now):
            raise GuidePaused()  # the request waits for them to resume (or decline)
        # Claim the request (a second click finds it answered), then count the coach's partners.
        _close(session, request.id, RequestStatus.ACCEPTED, now)
        if room(session, coach.workspace_id, coach.slack_user_id) <= 0:
            raise GuideFull(answering=True)  # rolls the claim back: the request stays open
        session.add(
            Partnership(
                workspace_id=coach.workspace_id,
                cohort_id=request.cohort_id,
                kind=partnership_kind(coach.role),
                first_member_id=coach.id,
                second_member_id=learner.id,
                round=max(latest_rounds(session, cohort.id)[0], 1),  # the round running; before any, 1
                status=PartnershipStatus.ACTIVE,
                started_at=now,
            )
        )
        replan(session, [request.cohort_id])  # the new partnership's check-ins
        found = request_view(session, request, RequestStatus.ACCEPTED)
        uow.commit()
        return found


def decline_request(
    uow: UnitOfWork, team_id: str, user_id: str, request_id: int, now: datetime
) -> RequestView:
    """The addressed coach declines; nobody else learns of it. A request that can no longer be answered
    (the learner paused, left or has a partner now) closes as when accepted: the learner never hears the
    coach's answer, only that it closed, and the coach is told why instead."""
    with uow:
        session = uow.session
        request = _addressed(session, team_id, user_id, request_id)
        coach = session.get_one(Member, request.coach_member_id)
        learner = session.get(Member, request.learner_member_id)
        cohort = session.get_one(Cohort, request.cohort_id)
        if (lapsed := close_if_lapsed(session, request, cohort, coach, learner, now)) is not None:
            uow.commit()
            raise lapsed
    return _finish(uow, team_id, request_id, RequestStatus.DECLINED, now, user_id)


def withdraw_request(uow: UnitOfWork, team_id: str, request_id: int, now: datetime) -> RequestView:
    """Close a request that could not reach the coach, so the learner may ask again."""
    return _finish(uow, team_id, request_id, RequestStatus.WITHDRAWN, now, None)


def _finish(
    uow: UnitOfWork, team_id: str, request_id: int, status: RequestStatus, now: datetime, user_id: str | None
) -> RequestView:
    with uow:
        request = _addressed(uow.session, team_id, user_id, request_id)
        _close(uow.session, request.id, status, now)
        found = request_view(uow.session, request, status)
        uow.commit()
        return found


def _addressed(session: Session, team_id: str, user_id: str | None, request_id: int) -> CoachRequest:
    """The request, found only in this workspace and only for its coach (any coach when user_id is None)."""
    workspace = find_workspace(session, team_id)
    request = session.get(CoachRequest, request_id)
    if workspace is None or request is None or request.workspace_id != workspace.id:
        raise RequestNotForYou()  # another workspace's request is indistinguishable from someone else's
    coach = session.get_one(Member, request.coach_member_id)
    if user_id is not None and coach.slack_user_id != user_id:
        raise RequestNotForYou()
    if (
        request.status is RequestStatus.WITHDRAWN
    ):  # closed by a leave, or by an earlier press: why, in its place
        raise RequestLapsed(yours=coach.status is MemberStatus.LEFT or not coach.role.guides)
    if request.status is not RequestStatus.OPEN:
        raise RequestClosed()  # answered: a second press leaves the first one's answer shown
    return request


def _close(session: Session, request_id: int, status: RequestStatus, now: datetime) -> None:
    """Move an open request on; compare-and-set, so two answers at once cannot both win."""
    if not answer_open(session, request_id, status, now):
        raise RequestClosed()


def _taking_part(member: Member, now: datetime) -> bool:
    return taking_part(member.status, member.paused_until, now)
