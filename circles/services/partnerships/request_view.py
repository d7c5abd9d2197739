"""One coach request as both people may see it: who, where, and the learner's shareable words."""

from __future__ import annotations

from dataclasses import dataclass

from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import Role
from circles.persistence.db import Session
from circles.persistence.models import CoachRequest, Cohort, Member
from circles.queries.profiles import find_profile
from circles.services.people.profiles import ProfileFields


@dataclass(frozen=True)
class RequestView:
    """One request as both people may see it: who, where, and the learner's shareable words."""

    request_id: int
    cohort_slug: str
    cohort_name: str
    learner_id: str
    coach_id: str
    role: Role  # the coach's or mentor's role
    learner: ProfileFields
    status: RequestStatus


def request_view(session: Session, request: CoachRequest, status: RequestStatus | None = None) -> RequestView:
    cohort = session.get_one(Cohort, request.cohort_id)
    learner = session.get_one(Member, request.learner_member_id)
    coach = session.get_one(Member, request.coach_member_id)
    profile = find_profile(session, cohort.workspace_id, learner.slack_user_id)
    shared = (
        ProfileFields(
            interests=profile.interests,
            aspirations=profile.aspirations,
            department=profile.department,
            seniority=profile.seniority,
        )
        if profile
        else ProfileFields()
    )
    return RequestView(
        request.id,
        cohort.slug,
        cohort.name,
        learner.slack_user_id,
        coach.slack_user_id,
        coach.role,
        shared,
        status or request.status,
    )
