"""Whether a learner and a coach or mentor may still become partners through a request, read again when
the coach answers: either may have changed since it was asked."""

from __future__ import annotations

from datetime import datetime

from circles.domain.presence import taking_part
from circles.domain.requests import cohort_over
from circles.domain.vocabulary import MemberStatus, Role
from circles.errors import RequestLapsed
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Member
from circles.queries.partnerships import has_running_guide
from circles.services.matching.ended_pairs import partnership_history


def lapsed_request(
    session: Session, cohort: Cohort, coach: Member, learner: Member | None, now: datetime
) -> RequestLapsed | None:
    """Why the request can no longer be accepted, if so: the coach is no longer a coach or mentor there (a
    cohort file can change that), or the learner stopped looking (paused, left, erased, no longer a learner,
    partnered meanwhile), the two are kept apart, or the cohort is over."""
    if coach.status is MemberStatus.LEFT or not coach.role.guides:
        return RequestLapsed(yours=True)
    if (
        learner is None
        or learner.role is not Role.LEARNER
        or not taking_part(learner.status, learner.paused_until, now)
        or has_guide(session, learner.id)
        or kept_apart(session, cohort, learner.id, coach.id)
        or cohort_over(cohort.ends_on, cohort.timezone, now)
    ):
        return RequestLapsed()
    return None


def has_guide(session: Session, learner_member_id: int) -> bool:
    """Whether the learner already has a coach or mentor (paused pairs count: they come back)."""
    return has_running_guide(session, learner_member_id)


def kept_apart(session: Session, cohort: Cohort, learner_id: int, coach_id: int) -> bool:
    """An ended pair stays apart unless a facilitator allowed it again, as in matching."""
    history = partnership_history(session, cohort, pair=(learner_id, coach_id))  # the two, not the cohort
    return frozenset((learner_id, coach_id)) in history.ended.forbidden
