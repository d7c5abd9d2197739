"""What planning reads of the cohorts due: their latest circles and active pairs, with everyone's presence,
time zone and away blocks, in a fixed handful of queries whatever their number."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, tuple_
from sqlalchemy.orm import Session, aliased

from circles.domain.availability.absence import BLOCKS
from circles.domain.planning import CircleIn, PairIn, Person, zone_for
from circles.domain.vocabulary import PartnershipKind, PartnershipStatus
from circles.persistence.models import (
    AwayBlock,
    Circle,
    CircleMembership,
    Cohort,
    Member,
    Partnership,
    Profile,
)

GUIDED = (PartnershipKind.COACH_LEARNER, PartnershipKind.MENTOR_LEARNER)

Spans = tuple[tuple[datetime, datetime], ...]
Away = dict[tuple[int, str], Spans]  # (workspace_id, Slack user ID) -> away blocks, earliest first


def away_blocks(session: Session, cohort_ids: list[int], since: datetime) -> Away:
    """The away blocks (away, rotation, leave) not over by `since` of everyone in these cohorts, in one
    query: a block is the person's in every cohort of theirs."""
    people = select(Member.workspace_id, Member.slack_user_id).where(Member.cohort_id.in_(cohort_ids))
    rows = session.execute(
        select(AwayBlock.workspace_id, AwayBlock.slack_user_id, AwayBlock.starts_at, AwayBlock.ends_at)
        .where(
            AwayBlock.kind.in_(sorted(BLOCKS)),
            AwayBlock.ends_at >= since,
            AwayBlock.starts_at < AwayBlock.ends_at,
            tuple_(AwayBlock.workspace_id, AwayBlock.slack_user_id).in_(people),
        )
        .order_by(AwayBlock.workspace_id, AwayBlock.slack_user_id, AwayBlock.starts_at)
    ).all()
    found: dict[tuple[int, str], Spans] = {}
    for workspace_id, user_id, starts_at, ends_at in rows:
        key = (workspace_id, user_id)
        found[key] = (*found.get(key, ()), (starts_at, ends_at))
    return found


def latest_circles(
    session: Session, cohort_ids: list[int], away: Away | None = None
) -> tuple[dict[int, list[CircleIn]], dict[int, datetime]]:
    """The latest round's circles that have a conversation, with their members' presence; and for each
    cohort whose latest circles still await theirs, when the newest of those was made."""
    # The latest round of each cohort, grouped once: a subquery per circle is slow on PostgreSQL.
    latest = (
        select(Circle.cohort_id, func.max(Circle.round).label("round"))
        .where(Circle.cohort_id.in_(cohort_ids), Circle.dissolved_at.is_(None))
        .group_by(Circle.cohort_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Circle.cohort_id,
            Circle.id,
            Circle.conversation_id,
            Circle.created_at,
            Circle.workspace_id,
            *_columns(Member),
        )
        .join(latest, and_(latest.c.cohort_id == Circle.cohort_id, latest.c.round == Circle.round))
        .join(CircleMembership, CircleMembership.circle_id == Circle.id)
        .join(
            Member, and_(Member.id == CircleMembership.member_id, Member.workspace_id == Circle.workspace_id)
        )
        .where(Circle.dissolved_at.is_(None))
        .order_by(Circle.id, Member.id)
    ).all()
    heads: dict[int, tuple[int, str, datetime]] = {}
    people: dict[int, list[Person]] = defaultdict(list)
    awaiting: dict[int, datetime] = {}
    for cohort_id, circle_id, conversation_id, created_at, workspace_id, *member in rows:
        if conversation_id is None:  # not created in Slack yet: nowhere to post its prompts
            awaiting[cohort_id] = max(created_at, awaiting.get(cohort_id, created_at))
            continue
        heads[circle_id] = (cohort_id, conversation_id, created_at)
        people[circle_id].append(_person(member, None, "UTC", away, workspace_id))
    found: dict[int, list[CircleIn]] = defaultdict(list)
    for circle_id, (cohort_id, conversation_id, created_at) in heads.items():
        found[cohort_id].append(CircleIn(circle_id, conversation_id, created_at, tuple(people[circle_id])))
    return found, awaiting


def active_pairs(
    session: Session, cohort_ids: list[int], away: Away | None = None
) -> dict[int, list[PairIn]]:
    """Active partnerships with both partners and the time zone Slack gave each of them."""
    first, second = aliased(Member), aliased(Member)
    first_profile, second_profile = aliased(Profile), aliased(Profile)
    rows = session.execute(
        select(
            Partnership.cohort_id,
            Partnership.id,
            Partnership.kind,
            Partnership.conversation_id,
            Partnership.started_at,
            Partnership.workspace_id,
            Cohort.timezone,
            first_profile.timezone,
            second_profile.timezone,
            *_columns(first),
            *_columns(second),
        )
        .join(Cohort, Cohort.id == Partnership.cohort_id)
        .join(
            first,
            and_(first.id == Partnership.first_member_id, first.workspace_id == Partnership.workspace_id),
        )
        .join(
            second,
            and_(second.id == Partnership.second_member_id, second.workspace_id == Partnership.workspace_id),
        )
        .outerjoin(first_profile, _profile_of(first_profile, first))
        .outerjoin(second_profile, _profile_of(second_profile, second))
        .where(
            Partnership.cohort_id.in_(cohort_ids),
            Partnership.status == PartnershipStatus.ACTIVE,
        )
        .order_by(Partnership.id)
    ).all()
    found: dict[int, list[PairIn]] = defaultdict(list)
    for (
        cohort_id,
        pair_id,
        kind,
        conversation_id,
        started_at,
        workspace_id,
        cohort_zone,
        one_zone,
        other_zone,
        *both,
    ) in rows:
        found[cohort_id].append(
            PairIn(
                partnership_id=pair_id,
                guided=kind in GUIDED,
                conversation_id=conversation_id,
                started_at=started_at,
                first=_person(both[:4], one_zone, cohort_zone, away, workspace_id),
                second=_person(both[4:], other_zone, cohort_zone, away, workspace_id),
            )
        )
    return found


def _profile_of(profile: Any, member: Any) -> Any:
    return and_(profile.workspace_id == member.workspace_id, profile.slack_user_id == member.slack_user_id)


def _columns(member: Any) -> tuple[Any, ...]:
    """What planning needs of a member, read as plain columns (much cheaper than whole rows)."""
    return (member.id, member.slack_user_id, member.status, member.paused_until)


def _person(
    member: Sequence[Any], own_zone: str | None, cohort_zone: str, away: Away | None, workspace_id: int
) -> Person:
    member_id, user_id, status, paused_until = member
    blocks = away.get((workspace_id, user_id), ()) if away else ()
    return Person(member_id, user_id, status, paused_until, zone_for(own_zone, cohort_zone), blocks)
