"""Each person's newest check-in in a partnership among those asked of them: the one that is open, which
an older one gives way to (`services.checkins.answers` refuses it) and `/circles checkin` offers.

A check-in written ahead by the planner (up to its horizon before it is due), or claimed and held for its
person's working hours or an absence, has not been asked yet: it replaces nothing until its question goes,
so the question the person does hold still takes its answer meanwhile (one rule: `asked_by`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from circles.persistence.models import CheckIn
from circles.queries.checkins import asked_by


class Newest(NamedTuple):
    """A member's latest check-in asked in a partnership: which, when due, whether answered."""

    checkin_id: int
    due_at: datetime
    answered: bool


def newest_checkins(
    session: Session, keys: Collection[tuple[int, int]], now: datetime
) -> dict[tuple[int, int], Newest]:
    """The latest check-in asked by `now`, answered or not, of each (partnership, member), in one query; a
    key without any is left out."""
    if not keys:
        return {}
    latest = (
        func.row_number()
        .over(
            partition_by=(CheckIn.partnership_id, CheckIn.member_id),
            order_by=(CheckIn.due_at.desc(), CheckIn.id.desc()),
        )
        .label("latest")
    )
    ranked = (
        select(
            CheckIn.partnership_id, CheckIn.member_id, CheckIn.id, CheckIn.due_at, CheckIn.answered_at, latest
        )
        .where(
            CheckIn.partnership_id.in_(sorted({pair for pair, _ in keys})),
            CheckIn.member_id.in_(sorted({member for _, member in keys})),
            asked_by(now),
        )
        .subquery()
    )
    rows = session.execute(
        select(
            ranked.c.partnership_id, ranked.c.member_id, ranked.c.id, ranked.c.due_at, ranked.c.answered_at
        ).where(ranked.c.latest == 1)
    )
    return {
        (pair, member): Newest(id_, due_at, answered_at is not None)
        for pair, member, id_, due_at, answered_at in rows
        if (pair, member) in keys
    }


def next_unasked(
    session: Session, keys: Collection[tuple[int, int]], now: datetime
) -> dict[tuple[int, int], int]:
    """The earliest unanswered check-in not asked yet by `now` of each (partnership, member): the next one
    written (planned ahead, or held for its person's hours), in one query; a key without any is left out."""
    if not keys:
        return {}
    earliest = (
        func.row_number()
        .over(
            partition_by=(CheckIn.partnership_id, CheckIn.member_id),
            order_by=(CheckIn.due_at, CheckIn.id),
        )
        .label("earliest")
    )
    ranked = (
        select(CheckIn.partnership_id, CheckIn.member_id, CheckIn.id, earliest)
        .where(
            CheckIn.partnership_id.in_(sorted({pair for pair, _ in keys})),
            CheckIn.member_id.in_(sorted({member for _, member in keys})),
            CheckIn.answered_at.is_(None),
            ~asked_by(now),
        )
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.partnership_id, ranked.c.member_id, ranked.c.id).where(ranked.c.earliest == 1)
    )
    return {(pair, member): id_ for pair, member, id_ in rows if (pair, member) in keys}
