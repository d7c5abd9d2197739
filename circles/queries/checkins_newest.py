"""Each person's newest check-in in a partnership among those asked of them: the one that is open, which
an older one gives way to (`services.checkins.answers` refuses it) and `/circles checkin` offers.

A check-in written ahead by the planner (up to its horizon before it is due), or claimed and held for its
person's working hours or an absence, has not been asked yet: it replaces nothing until its question goes,
so the question the person does hold still takes its answer meanwhile (one rule: `asked_by`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, select
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
    rows = _first_of_each(
        session,
        keys,
        (CheckIn.due_at.desc(), CheckIn.id.desc()),
        (CheckIn.id, CheckIn.due_at, CheckIn.answered_at),
        asked_by(now),
    )
    return {
        (pair, member): Newest(id_, due_at, answered is not None)
        for pair, member, id_, due_at, answered in rows
    }


def next_unasked(
    session: Session, keys: Collection[tuple[int, int]], now: datetime
) -> dict[tuple[int, int], int]:
    """The earliest unanswered check-in not asked yet by `now` of each (partnership, member): the next one
    written (planned ahead, or held for its person's hours), in one query; a key without any is left out."""
    rows = _first_of_each(
        session,
        keys,
        (CheckIn.due_at, CheckIn.id),
        (CheckIn.id,),
        CheckIn.answered_at.is_(None),
        ~asked_by(now),
    )
    return {(pair, member): id_ for pair, member, id_ in rows}


def _first_of_each(
    session: Session,
    keys: Collection[tuple[int, int]],
    order_by: tuple[Any, ...],
    columns: tuple[Any, ...],
    *conditions: ColumnElement[bool],
) -> list[tuple[Any, ...]]:
    """Of the check-ins meeting `conditions`, the first in `order_by` of each (partnership, member) among
    `keys`: its partnership, member and `columns`, in one query."""
    if not keys:
        return []
    first = (
        func.row_number()
        .over(partition_by=(CheckIn.partnership_id, CheckIn.member_id), order_by=order_by)
        .label("first")
    )
    ranked = (
        select(CheckIn.partnership_id, CheckIn.member_id, *columns, first)
        .where(
            CheckIn.partnership_id.in_(sorted({pair for pair, _ in keys})),
            CheckIn.member_id.in_(sorted({member for _, member in keys})),
            *conditions,
        )
        .subquery()
    )
    rows = session.execute(select(*(c for c in ranked.c if c.name != "first")).where(ranked.c.first == 1))
    return [tuple(row) for row in rows if (row[0], row[1]) in keys]
