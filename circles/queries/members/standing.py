"""A person's standing in each cohort they are in, as `/circles status` shows it: the membership and its
cohort, the time zone Slack gave them, and what waits for an answer (the request they made of a coach or
mentor; the requests made of them as one). One query, whatever the number of cohorts and requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from circles.domain.health.away import Spans
from circles.domain.requests import RequestStatus, remaining_capacity
from circles.persistence.models import AwayBlock, CoachRequest, Cohort, Member, Partnership, Profile
from circles.queries.coach_requests import answerable
from circles.queries.members.person import current_filters
from circles.queries.on_hold import holding_blocks
from circles.queries.partnerships.pairs import guidance


@dataclass(frozen=True)
class AskedOf:
    """A learner's open request: whom they asked, and when."""

    guide_user_id: str
    asked_at: datetime


@dataclass(frozen=True)
class Standing:
    """One membership of the person's, with its cohort and the requests that wait on either side of it."""

    member: Member
    cohort: Cohort
    asked: AskedOf | None  # their own open request, as a learner
    to_answer: int  # the requests they can answer now, as a coach or mentor (`answerable`)
    full: bool = False  # the person has no room for another learner, across their cohorts (`room`)
    away: Spans = ()  # the person's away blocks not over at `now` (theirs in every cohort), earliest first


def current_standing(
    session: Session, workspace_id: int, user_id: str, now: datetime, *, cohort_slug: str | None = None
) -> tuple[list[Standing], str | None]:
    """The person's memberships in cohorts still running, by cohort name (as `current_memberships`), each
    with what waits for an answer and the person's away blocks; and their time zone (None: none known)."""
    theirs = (Profile.workspace_id == workspace_id, Profile.slack_user_id == user_id)
    zone = select(Profile.timezone).where(*theirs).scalar_subquery()
    capacity = select(Profile.capacity).where(*theirs).scalar_subquery()
    self_ = aliased(Member)
    guiding = (  # as `guided_counts`: every cohort of the workspace, paused pairs holding their place
        select(func.count(Partnership.id))
        .join(self_, self_.id == Partnership.first_member_id)
        .where(self_.workspace_id == workspace_id, self_.slack_user_id == user_id, guidance())
        .scalar_subquery()
    )
    learner = aliased(Member)
    to_answer = (
        select(func.count())
        .select_from(CoachRequest)
        .join(learner, learner.id == CoachRequest.learner_member_id)
        .where(
            CoachRequest.coach_member_id == Member.id,
            CoachRequest.status == RequestStatus.OPEN,
            answerable(learner, now),
        )
        .correlate(Member)
        .scalar_subquery()
    )
    guide = aliased(Member)
    asked = and_(CoachRequest.learner_member_id == Member.id, CoachRequest.status == RequestStatus.OPEN)
    query = (
        select(Member, Cohort, zone, guide.slack_user_id, CoachRequest.created_at)
        .add_columns(to_answer, capacity, guiding, AwayBlock.starts_at, AwayBlock.ends_at)
        .join(Cohort, Cohort.id == Member.cohort_id)
        .outerjoin(CoachRequest, asked)  # at most one: a learner has one open request in a cohort
        .outerjoin(guide, guide.id == CoachRequest.coach_member_id)
        # A row per away block (a person has few), the same in every membership: read once, not per cohort.
        .outerjoin(AwayBlock, and_(holding_blocks(AwayBlock, Member), AwayBlock.ends_at >= now))
        .where(*current_filters(workspace_id, user_id, cohort_slug, False))
        .order_by(Cohort.name, Cohort.id)
    )
    rows = session.execute(query).all()
    away = tuple(sorted({(row[8], row[9]) for row in rows if row[8] is not None}))
    found = {
        member.id: Standing(
            member,
            cohort,
            AskedOf(guide_user, asked_at) if guide_user else None,
            count or 0,
            full=not remaining_capacity(offered or 0, taken or 0),
            away=away,
        )
        for member, cohort, _, guide_user, asked_at, count, offered, taken, *_ in rows
    }
    return list(found.values()), (rows[0][2] if rows else None)
