"""What planning reads of the cohorts due: their latest circles and active pairs, with everyone's presence,
time zone and away blocks, in a fixed handful of queries whatever their number."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from circles.domain.availability.absence import BLOCKS
from circles.domain.planning import CircleIn, PairIn, Person, zone_for
from circles.domain.vocabulary import RUNNING_PARTNERSHIP, PartnershipKind, PartnershipStatus
from circles.persistence.models import (
    AwayBlock,
    Circle,
    CircleMembership,
    Cohort,
    Member,
    Partnership,
    Profile,
)
from circles.queries.circles import seated_since_joining

GUIDED = (PartnershipKind.COACH_LEARNER, PartnershipKind.MENTOR_LEARNER)
# The away blocks planning reads: the earliest end by cohort, and the latest start (plan_due.blocks_read).
Reads = tuple[Mapping[int, datetime], datetime]

# Made once: SQLAlchemy adapts an alias's columns at first use and keeps them, and a tick asks these
# questions every minute (new aliases at each call took half of planning's time in a small programme).
_BLOCK = aliased(AwayBlock)
_FIRST, _SECOND = aliased(Member), aliased(Member)
_FIRST_PROFILE, _SECOND_PROFILE = aliased(Profile), aliased(Profile)
_FIRST_BLOCK, _SECOND_BLOCK = aliased(AwayBlock), aliased(AwayBlock)


def latest_circles(session: Session, reads: Reads) -> tuple[dict[int, list[CircleIn]], dict[int, datetime]]:
    """The latest round's circles of these cohorts that have a conversation, with their members' presence
    and the away blocks their cohort `reads`; and for each cohort whose latest circles still await theirs,
    when the newest of those was made."""
    cohort_ids = sorted(reads[0])
    # The latest round of each cohort, grouped once: a subquery per circle is slow on PostgreSQL.
    latest = (
        select(Circle.cohort_id, func.max(Circle.round).label("round"))
        .where(Circle.cohort_id.in_(cohort_ids))  # a dissolved circle leaves its round the latest
        .group_by(Circle.cohort_id)
        .subquery()
    )
    block = _BLOCK
    rows = session.execute(
        select(
            Circle.id,
            Member.id,
            Circle.cohort_id,
            Circle.conversation_id,
            Circle.created_at,
            *_columns(Member),
            block.starts_at,
            block.ends_at,
        )
        .join(latest, and_(latest.c.cohort_id == Circle.cohort_id, latest.c.round == Circle.round))
        .join(CircleMembership, CircleMembership.circle_id == Circle.id)
        .join(
            Member, and_(Member.id == CircleMembership.member_id, Member.workspace_id == Circle.workspace_id)
        )
        .outerjoin(block, _blocks_of(block, Member, _read(reads, Circle.cohort_id)))
        # Someone who left and came back is out of the circle they left until a re-match seats them again.
        .where(Circle.dissolved_at.is_(None), seated_since_joining())
        .order_by(Circle.id, Member.id)
    ).all()
    heads: dict[int, tuple[int, str, datetime]] = {}
    people: dict[int, list[Person]] = defaultdict(list)
    awaiting: dict[int, datetime] = {}
    # One row per member and away block of theirs (one with no block): each member is read once.
    for (circle_id, _), group in groupby(rows, key=lambda row: (row[0], row[1])):
        found = list(group)
        cohort_id, conversation_id, created_at, *member = found[0][2:9]
        if conversation_id is None:  # not created in Slack yet: nowhere to post its prompts
            awaiting[cohort_id] = max(created_at, awaiting.get(cohort_id, created_at))
            continue
        heads[circle_id] = (cohort_id, conversation_id, created_at)
        people[circle_id].append(_person(member, None, "UTC", _spans(row[9:11] for row in found)))
    circles: dict[int, list[CircleIn]] = defaultdict(list)
    for circle_id, (cohort_id, conversation_id, created_at) in heads.items():
        circles[cohort_id].append(CircleIn(circle_id, conversation_id, created_at, tuple(people[circle_id])))
    return circles, awaiting


def active_pairs(session: Session, reads: Reads) -> dict[int, list[PairIn]]:
    """Active partnerships of these cohorts with both partners, the time zone Slack gave each of them, the
    away blocks their cohort `reads` (joined: a window holds few), and for a guided pair when its guide's
    first running pair began."""
    cohort_ids = sorted(reads[0])
    read = _read(reads, Partnership.cohort_id)
    guiding = _guiding_since(cohort_ids)
    first, second = _FIRST, _SECOND
    first_profile, second_profile = _FIRST_PROFILE, _SECOND_PROFILE
    first_block, second_block = _FIRST_BLOCK, _SECOND_BLOCK
    rows = session.execute(
        select(
            Partnership.id,
            Partnership.cohort_id,
            Partnership.kind,
            Partnership.conversation_id,
            Partnership.started_at,
            guiding.c.since,
            Cohort.timezone,
            first_profile.timezone,
            second_profile.timezone,
            *_columns(first),
            *_columns(second),
            first_block.starts_at,
            first_block.ends_at,
            second_block.starts_at,
            second_block.ends_at,
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
        .outerjoin(guiding, guiding.c.member_id == Partnership.first_member_id)
        .outerjoin(first_profile, _profile_of(first_profile, first))
        .outerjoin(second_profile, _profile_of(second_profile, second))
        .outerjoin(first_block, _blocks_of(first_block, first, read))
        .outerjoin(second_block, _blocks_of(second_block, second, read))
        .where(
            Partnership.cohort_id.in_(cohort_ids),
            Partnership.status == PartnershipStatus.ACTIVE,
        )
        .order_by(Partnership.id)
    ).all()
    found: dict[int, list[PairIn]] = defaultdict(list)
    for _, group in groupby(rows, key=lambda row: row[0]):
        of_pair = list(group)
        pair_id, cohort_id, kind, conversation_id, started_at, since = of_pair[0][:6]
        cohort_zone, one_zone, other_zone = of_pair[0][6:9]
        one, other = of_pair[0][9:13], of_pair[0][13:17]
        found[cohort_id].append(
            PairIn(
                partnership_id=pair_id,
                guided=kind in GUIDED,
                conversation_id=conversation_id,
                started_at=started_at,
                first=_person(one, one_zone, cohort_zone, _spans(row[17:19] for row in of_pair)),
                second=_person(other, other_zone, cohort_zone, _spans(row[19:21] for row in of_pair)),
                guiding_since=since if kind in GUIDED else None,
            )
        )
    return found


def _guiding_since(cohort_ids: Sequence[int]) -> Subquery:
    """When each coach's or mentor's earliest running pair (active or paused) in these cohorts began, by
    their membership: their session ideas run on from it, through a later round's new learner too."""
    return (
        select(
            Partnership.first_member_id.label("member_id"),
            func.min(Partnership.started_at).label("since"),
        )
        .where(
            Partnership.cohort_id.in_(cohort_ids),
            Partnership.kind.in_(GUIDED),
            Partnership.status.in_(RUNNING_PARTNERSHIP),
        )
        .group_by(Partnership.first_member_id)
        .subquery()
    )


def _profile_of(profile: Any, member: Any) -> Any:
    return and_(profile.workspace_id == member.workspace_id, profile.slack_user_id == member.slack_user_id)


def _read(reads: Reads, cohort_id: Any) -> tuple[Any, datetime]:
    """The earliest end and latest start of the blocks read, for the cohort in `cohort_id`: one earliest
    end for every cohort when they agree (the usual pass), else chosen by cohort in the statement."""
    ends, until = reads
    bounds = sorted(set(ends.values()))
    if len(bounds) == 1:
        return bounds[0], until
    by_bound = {bound: sorted(c for c, b in ends.items() if b == bound) for bound in bounds}
    return case(*((cohort_id.in_(ids), literal(bound)) for bound, ids in by_bound.items())), until


def _blocks_of(block: Any, member: Any, read: tuple[Any, datetime]) -> ColumnElement[bool]:
    """A member's away blocks (away, rotation, leave; a block is theirs in every cohort) that end from the
    first bound of `read` and start before its second."""
    since, until = read
    return and_(
        block.workspace_id == member.workspace_id,
        block.slack_user_id == member.slack_user_id,
        block.kind.in_(sorted(BLOCKS)),
        block.ends_at >= since,
        block.starts_at < until,
        block.starts_at < block.ends_at,
    )


def _spans(found: Iterable[Sequence[Any]]) -> tuple[tuple[datetime, datetime], ...]:
    """The distinct blocks the joins found, earliest first."""
    return tuple(sorted({(since, back) for since, back in found if since is not None}))


def _columns(member: Any) -> tuple[Any, ...]:
    """What planning needs of a member, read as plain columns (much cheaper than whole rows)."""
    return (member.id, member.slack_user_id, member.status, member.paused_until)


def _person(
    member: Sequence[Any], own_zone: str | None, cohort_zone: str, away: tuple[tuple[datetime, datetime], ...]
) -> Person:
    member_id, user_id, status, paused_until = member
    return Person(member_id, user_id, status, paused_until, zone_for(own_zone, cohort_zone), away)
