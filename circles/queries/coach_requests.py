"""Requests to work with a coach or mentor: the open one of a learner, and moving open ones on once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import MemberStatus, PairingMode, Role
from circles.persistence.models import CoachRequest, Cohort, Member
from circles.queries.members.person import taking_part_at
from circles.queries.partnerships.pairs import guided


def open_request_of(session: Session, learner_member_id: int) -> CoachRequest | None:
    query = select(CoachRequest).where(
        CoachRequest.learner_member_id == learner_member_id, CoachRequest.status == RequestStatus.OPEN
    )
    return session.scalars(query).first()


def add_if_none_open(session: Session, request: CoachRequest) -> bool:
    """Add an open request; False when the learner's open one (unique in the database) got there first."""
    try:
        with session.begin_nested():
            session.add(request)
    except IntegrityError:  # a second click raced the caller's check
        return False
    return True


def answer_open(session: Session, request_id: int, status: RequestStatus, now: datetime) -> bool:
    """Move an open request on; compare-and-set, so of two answers at once only one is True."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(CoachRequest)
        .where(CoachRequest.id == request_id, CoachRequest.status == RequestStatus.OPEN)
        .values(status=status, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


@dataclass(frozen=True, order=True)
class AskedBy:
    """An open request a coach or mentor was asked: the learner who asked it, and whom they asked."""

    request_id: int
    learner_user_id: str
    guide_user_id: str


@dataclass(frozen=True, order=True)
class GuideCopy:
    """Where the coach's or mentor's copy of a request was posted, and whose request it was: to redraw it as
    closed when it closes without their answer."""

    request_id: int
    learner_user_id: str
    channel: str
    ts: str


@dataclass(frozen=True)
class Withdrawn:
    """What a withdrawal closed: the learners to tell (`asked`), and the coaches' copies to redraw."""

    asked: list[AskedBy]
    copies: list[GuideCopy]


def withdraw_open_requests(session: Session, member_ids: Collection[int], now: datetime) -> Withdrawn:
    """Withdraw every open request these members asked or were asked. `asked`: those they were asked by a
    learner still in the cohort, whom to tell; `copies`: the coaches' copies of the others, to redraw (a
    coach who goes has nothing left to redraw). Only what this call withdrew: an answer that got there first
    (another replica) stands, and its learner heard that answer. Three statements for any number."""
    members = set(member_ids)
    ids = sorted(members)
    if not ids:
        return Withdrawn([], [])
    withdrawn = session.execute(
        update(CoachRequest)
        .where(
            CoachRequest.status == RequestStatus.OPEN,
            CoachRequest.learner_member_id.in_(ids) | CoachRequest.coach_member_id.in_(ids),
        )
        .values(status=RequestStatus.WITHDRAWN, answered_at=now)
        .returning(
            CoachRequest.id,
            CoachRequest.learner_member_id,
            CoachRequest.coach_member_id,
            CoachRequest.guide_channel,
            CoachRequest.guide_ts,
        )
        .execution_options(synchronize_session=False)
    ).all()
    asked = [row for row in withdrawn if row.coach_member_id in members]
    posted = [
        row for row in withdrawn if row.coach_member_id not in members and row.guide_channel and row.guide_ts
    ]
    if not asked and not posted:
        return Withdrawn([], [])
    people = sorted(
        {member for row in asked for member in (row.learner_member_id, row.coach_member_id)}
        | {row.learner_member_id for row in posted}
    )
    found = session.execute(
        select(Member.id, Member.slack_user_id, Member.status).where(Member.id.in_(people))
    )
    users = {member: (user, status) for member, user, status in found}
    return Withdrawn(
        sorted(
            AskedBy(row.id, users[row.learner_member_id][0], users[row.coach_member_id][0])
            for row in asked
            if users[row.learner_member_id][1] is not MemberStatus.LEFT
        ),
        sorted(
            GuideCopy(row.id, users[row.learner_member_id][0], str(row.guide_channel), str(row.guide_ts))
            for row in posted
        ),
    )


def hold_request(session: Session, request_id: int) -> CoachRequest | None:
    """The request, locked until the caller commits and read as committed: where its coach's copy went and
    whether it closed are read together, whoever writes the other at the same moment."""
    held = select(CoachRequest).where(CoachRequest.id == request_id).with_for_update(key_share=True)
    return session.scalars(held.execution_options(populate_existing=True)).one_or_none()


def remember_guide_copy(session: Session, request_id: int, channel: str, ts: str) -> None:
    """Where the coach's or mentor's copy of the request went."""
    session.execute(
        update(CoachRequest)
        .where(CoachRequest.id == request_id)
        .values(guide_channel=channel, guide_ts=ts)
        .execution_options(synchronize_session=False)
    )


def answerable(learner: type[Member], now: datetime) -> ColumnElement[bool]:
    """Whether a guide can answer the request of this learner now: a learner who paused is not looking
    meanwhile (accepting would be refused), and is again once back; one who has a coach or mentor there
    (paused pairs too) is not looking at all; nor is anyone in a cohort that no longer pairs learners with
    coaches or mentors (circles only, peers: the request closes when answered), until it does again."""
    return and_(
        learner.role == Role.LEARNER,
        taking_part_at(learner, now),
        ~guided(learner.id),
        pairs_guides(learner.cohort_id),
    )


def pairs_guides(cohort_id: ColumnElement[int] | InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """Whether this cohort pairs learners with coaches or mentors (`PairingMode.guided`)."""
    cohort = aliased(Cohort)  # its own name: never the cohort of a query this is part of
    modes = sorted(mode for mode in PairingMode if mode.guided)
    return select(cohort.id).where(cohort.id == cohort_id, cohort.pairing_mode.in_(modes)).exists()


def open_requests(session: Session, guide_ids: Collection[int], now: datetime) -> dict[int, int]:
    """How many requests to work with each guide await an answer they can give now (`answerable`)."""
    if not guide_ids:
        return {}
    rows = session.execute(
        select(CoachRequest.coach_member_id, func.count())
        .join(Member, Member.id == CoachRequest.learner_member_id)
        .where(
            CoachRequest.coach_member_id.in_(sorted(guide_ids)),
            CoachRequest.status == RequestStatus.OPEN,
            answerable(Member, now),
        )
        .group_by(CoachRequest.coach_member_id)
    ).all()
    return {member_id: int(count) for member_id, count in rows}
