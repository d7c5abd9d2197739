"""Whether a learner and a coach or mentor may still become partners through a request, read again when
the coach answers: either may have changed since it was asked."""

from __future__ import annotations

from datetime import datetime

from circles.domain.presence import taking_part
from circles.domain.requests import RequestStatus, cohort_closed
from circles.domain.vocabulary import MemberStatus, Role
from circles.errors import RequestClosed, RequestLapsed
from circles.persistence.db import Session
from circles.persistence.models import CoachRequest, Cohort, Member
from circles.queries.coach_requests import AskedBy, answer_open
from circles.queries.match_constraints import kept_from
from circles.queries.partnerships import has_running_guide
from circles.services.matching.ended_pairs import partnership_history
from circles.services.partnerships.request_notices import learner_told_because, tell_learners


def lapsed_request(
    session: Session, cohort: Cohort, coach: Member, learner: Member | None, now: datetime
) -> RequestLapsed | None:
    """Why the request can no longer be accepted, if so: the coach is no longer a coach or mentor there (a
    cohort file can change that), or the learner stopped looking (paused, left, erased, no longer a learner,
    partnered meanwhile), the two are kept apart (an ended pair, a conflict), the cohort is over or archived,
    or (`unpaired`) it no longer pairs learners with coaches or mentors (its pairing mode changed)."""
    if coach.status is MemberStatus.LEFT or not coach.role.guides:
        return RequestLapsed(yours=True)
    if (
        learner is None
        or learner.role is not Role.LEARNER
        or not taking_part(learner.status, learner.paused_until, now)
        or has_guide(session, learner.id)
        or kept_apart(session, cohort, learner.id, coach.id)
        or never_paired(session, learner, coach)
        or cohort_closed(cohort.archived_at, cohort.ends_on, cohort.timezone, now)
    ):
        return RequestLapsed()
    if not cohort.pairing_mode.guided:
        return RequestLapsed(unpaired=True)
    return None


def has_guide(session: Session, learner_member_id: int) -> bool:
    """Whether the learner already has a coach or mentor (paused pairs count: they come back)."""
    return has_running_guide(session, learner_member_id)


def kept_apart(session: Session, cohort: Cohort, learner_id: int, coach_id: int) -> bool:
    """An ended pair stays apart unless a facilitator allowed it again, as in matching."""
    history = partnership_history(session, cohort, pair=(learner_id, coach_id))  # the two, not the cohort
    return frozenset((learner_id, coach_id)) in history.ended.forbidden


def never_paired(session: Session, learner: Member, coach: Member) -> bool:
    """A facilitator's conflict (one assesses the other, say) or either's own "never match me with" keeps
    the two apart through a request as in matching; neither learns which, nor that there is one."""
    return coach.slack_user_id in kept_from(session, coach.workspace_id, learner.slack_user_id)


def close_if_lapsed(
    session: Session,
    request: CoachRequest,
    cohort: Cohort,
    coach: Member,
    learner: Member | None,
    now: datetime,
) -> RequestLapsed | None:
    """When the request can no longer be answered (`lapsed_request`), close it as withdrawn and tell the
    learner that it closed, when there is something for them to hear (never what the coach answered); the
    refusal to say to the coach instead. None: it may still be answered."""
    lapsed = lapsed_request(session, cohort, coach, learner, now)
    if learner is not None and lapsed is None:
        return None
    if not answer_open(session, request.id, RequestStatus.WITHDRAWN, now):
        raise RequestClosed()
    because = learner_told_because(learner, lapsed, now)
    if learner is not None and because is not None:
        asked = [AskedBy(request.id, learner.slack_user_id, coach.slack_user_id)]
        tell_learners(session, cohort, asked, because, now)
    return lapsed or RequestLapsed()
