"""Who a held message's person is partnered with now, asked for a whole batch at once when it is claimed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.orm import Session

from circles.domain.availability.told import PAIRS_TOLD
from circles.domain.presence import taking_part
from circles.domain.vocabulary import MemberStatus
from circles.persistence.models import Cohort, Partnership
from circles.queries.aliases import OTHER_PARTNER, THIS_MEMBER
from circles.queries.coach_requests import open_requests
from circles.queries.members.person import taking_part_at
from circles.queries.on_hold import away_now

Person = tuple[int, str]  # (workspace_id, Slack user ID)


@dataclass
class Standing:
    """One active membership of a person: its cohort's name, their partners in its running pairs (and which
    of them are present), the requests waiting."""

    member_id: int
    cohort_name: str
    partners: set[str] = field(default_factory=set)
    requests: int = 0
    # Of those partners, the ones present now: neither paused nor away (else the pair is on hold, as the
    # planner and a check-in's question find it: circles.queries.checkins_closed).
    present: set[str] = field(default_factory=set)


def standings(
    session: Session, people: Collection[Person], now: datetime
) -> dict[Person, dict[int, Standing]]:
    """Each person's memberships taking part at `now` (`taking_part`) by id (two cohorts may share a name),
    with the partners (Slack user IDs, still in the cohort) of their active pairs, which of those are
    present (taking part and not away), and the requests to work with them awaiting an answer they can
    give now. Two statements however many people."""
    wanted = sorted(set(people))
    if not wanted:
        return {}
    me, other = THIS_MEMBER, OTHER_PARTNER
    as_first = and_(Partnership.first_member_id == me.id, Partnership.second_member_id == other.id)
    as_second = and_(Partnership.second_member_id == me.id, Partnership.first_member_id == other.id)
    rows = session.execute(
        select(me.workspace_id, me.slack_user_id, me.id, Cohort.name, other.slack_user_id)
        .add_columns(other.status, other.paused_until, away_now(other, now))
        .select_from(me)
        .join(Cohort, Cohort.id == me.cohort_id)
        .outerjoin(
            Partnership,
            and_(
                or_(Partnership.first_member_id == me.id, Partnership.second_member_id == me.id),
                Partnership.status.in_(PAIRS_TOLD),
            ),
        )
        .outerjoin(other, and_(or_(as_first, as_second), other.status != MemberStatus.LEFT))
        .where(tuple_(me.workspace_id, me.slack_user_id).in_(wanted), taking_part_at(me, now))
    ).all()
    found: dict[Person, dict[int, Standing]] = {}
    for workspace_id, user_id, member_id, cohort_name, partner, status, until, away in rows:
        theirs = found.setdefault((workspace_id, user_id), {})
        standing = theirs.setdefault(member_id, Standing(member_id, cohort_name))
        if partner is not None and partner != user_id:
            standing.partners.add(partner)
            if taking_part(status, until, now) and not away:
                standing.present.add(partner)
    by_member = {s.member_id: s for theirs in found.values() for s in theirs.values()}
    for member_id, count in open_requests(session, by_member, now).items():
        by_member[member_id].requests = count
    return found
