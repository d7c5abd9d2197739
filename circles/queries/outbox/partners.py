"""Who a held message's person is partnered with now, asked for a whole batch at once when it is claimed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from circles.domain.availability.told import PAIRS_TOLD
from circles.domain.vocabulary import MemberStatus
from circles.persistence.models import Cohort, Member, Partnership
from circles.queries.coach_requests import open_requests

Person = tuple[int, str]  # (workspace_id, Slack user ID)


# Made once: an alias adapts its columns at first use and keeps them; a new one at each call cost most of
# the statement's building.
_ME, _OTHER = aliased(Member), aliased(Member)


@dataclass
class Standing:
    """One active membership of a person: its cohort's name, their partners in its running pairs, the
    requests waiting."""

    member_id: int
    cohort_name: str
    partners: set[str] = field(default_factory=set)
    requests: int = 0


def standings(
    session: Session, people: Collection[Person], now: datetime
) -> dict[Person, dict[int, Standing]]:
    """Each person's active (not paused, not left) memberships by id (two cohorts may share a name), with
    the partners (Slack user IDs, still in the cohort) of their active pairs and the requests to work with
    them awaiting an answer they can give now. Two statements however many people."""
    wanted = sorted(set(people))
    if not wanted:
        return {}
    as_first = and_(Partnership.first_member_id == _ME.id, Partnership.second_member_id == _OTHER.id)
    as_second = and_(Partnership.second_member_id == _ME.id, Partnership.first_member_id == _OTHER.id)
    rows = session.execute(
        select(_ME.workspace_id, _ME.slack_user_id, _ME.id, Cohort.name, _OTHER.slack_user_id)
        .select_from(_ME)
        .join(Cohort, Cohort.id == _ME.cohort_id)
        .outerjoin(
            Partnership,
            and_(
                or_(Partnership.first_member_id == _ME.id, Partnership.second_member_id == _ME.id),
                Partnership.status.in_(PAIRS_TOLD),
            ),
        )
        .outerjoin(_OTHER, and_(or_(as_first, as_second), _OTHER.status != MemberStatus.LEFT))
        .where(tuple_(_ME.workspace_id, _ME.slack_user_id).in_(wanted), _ME.status == MemberStatus.ACTIVE)
    ).all()
    found: dict[Person, dict[int, Standing]] = {}
    for workspace_id, user_id, member_id, cohort_name, partner in rows:
        theirs = found.setdefault((workspace_id, user_id), {})
        standing = theirs.setdefault(member_id, Standing(member_id, cohort_name))
        if partner is not None and partner != user_id:
            standing.partners.add(partner)
    by_member = {s.member_id: s for theirs in found.values() for s in theirs.values()}
    for member_id, count in open_requests(session, by_member, now).items():
        by_member[member_id].requests = count
    return found
