"""Everyone a person was ever paired with, in any cohort of their workspace, ended pairs included: those
who never hear of the person's support requests, nor of alerts about their partnerships."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TypeVar

from sqlalchemy import select, tuple_, union_all
from sqlalchemy.orm import Session

from circles.persistence.models import Partnership
from circles.queries.aliases import OTHER_PARTNER, THIS_MEMBER

Person = tuple[int, str]  # (workspace_id, Slack user ID)
CHUNK = 500  # people in one IN (...)
K = TypeVar("K")


def paired_with(session: Session, people: Collection[Person]) -> dict[Person, set[str]]:
    """Each of these people's former and current partners (Slack user IDs), by person; someone never
    paired is left out. One statement per CHUNK people, each side of a pair read through its own index."""
    wanted = sorted(set(people))
    found: dict[Person, set[str]] = {}
    me, other = THIS_MEMBER, OTHER_PARTNER
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        sides = [
            select(me.workspace_id, me.slack_user_id, other.slack_user_id)
            .select_from(Partnership)
            .join(me, me.id == mine)
            .join(other, other.id == theirs)
            .where(tuple_(me.workspace_id, me.slack_user_id).in_(chunk))
            for mine, theirs in (
                (Partnership.first_member_id, Partnership.second_member_id),
                (Partnership.second_member_id, Partnership.first_member_id),
            )
        ]
        for workspace_id, user_id, partner in session.execute(union_all(*sides)):
            if partner != user_id:
                found.setdefault((workspace_id, user_id), set()).add(partner)
    return found


def partners_ever(session: Session, workspace_id: int, user_id: str) -> set[str]:
    """One person's former and current partners (`paired_with`)."""
    return paired_with(session, [(workspace_id, user_id)]).get((workspace_id, user_id), set())


def kept_from_pair(session: Session, workspace_id: int, partners: Collection[str]) -> frozenset[str]:
    """Who never hears of what a pair's partners say or go through (`kept_from_pairs`, for one pair)."""
    return kept_from_pairs(session, {0: (workspace_id, partners)})[0]


def kept_from_pairs(
    session: Session, pairs: Mapping[K, tuple[int, Collection[str]]]
) -> dict[K, frozenset[str]]:
    """For each pair (its workspace and partners), who never hears of what its partners say or go through:
    the partners themselves, and everyone either was ever paired with (`paired_with`). One statement per
    CHUNK people, however many pairs."""
    ever = paired_with(session, {(ws, user) for ws, partners in pairs.values() for user in partners})
    return {
        key: frozenset(partners).union(*(ever.get((ws, user), ()) for user in partners))
        for key, (ws, partners) in pairs.items()
    }
