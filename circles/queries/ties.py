"""What a person's memberships were tied to, ended and closed ones included: their pairs, with whom, and the
requests for a coach or mentor they asked or were asked. For an erasure, to find the messages to others
that named them by their keys (`circles.services.people.erasure_names`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from circles.persistence.models import CoachRequest, Member, Partnership
from circles.queries.ids import chunks


@dataclass(frozen=True)
class Ties:
    pairs: frozenset[int]  # their partnerships' ids
    partners: frozenset[str]  # the Slack IDs of whom they were paired with
    requests: frozenset[int]  # the ids of the requests they asked or were asked


def ties_of(session: Session, member_ids: Collection[int]) -> Ties:
    """These memberships' pairs, partners and requests: two statements per CHUNK of memberships, each side
    of a pair or request read through its own index."""
    pairs: set[int] = set()
    partners: set[str] = set()
    requests: set[int] = set()
    for ids in chunks(sorted(set(member_ids))):
        sides = [
            select(Partnership.id, Member.slack_user_id)
            .join(Member, Member.id == theirs)
            .where(mine.in_(ids))
            for mine, theirs in (
                (Partnership.first_member_id, Partnership.second_member_id),
                (Partnership.second_member_id, Partnership.first_member_id),
            )
        ]
        for pair_id, partner in session.execute(union_all(*sides)):
            pairs.add(pair_id)
            partners.add(partner)
        asked = [
            select(CoachRequest.id).where(side.in_(ids))
            for side in (CoachRequest.learner_member_id, CoachRequest.coach_member_id)
        ]
        requests.update(session.scalars(union_all(*asked)))
    return Ties(frozenset(pairs), frozenset(partners), frozenset(requests))
