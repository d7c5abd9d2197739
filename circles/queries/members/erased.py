"""Who is shown as erased: a member who asked to be erased, in what they had begun by then."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from circles.persistence.models import Member
from circles.queries.ids import CHUNK


def shown_erased(member: Any, began: Any) -> ColumnElement[bool]:
    """Whether `member` (the model or an alias of it) is shown as erased in something that began at `began`
    (a column or an instant): they were erased, and it began before `erased_before` or they have not joined
    again since (an archived cohort's member, who never left, was erased in all of it)."""
    since = member.erased_before
    return and_(since.is_not(None), or_(since > began, member.joined_at <= since))


def erased_among(session: Session, cohort_id: int, user_ids: Collection[str], began: datetime) -> set[str]:
    """Of these people, those shown as erased in something of the cohort that began at `began`: one
    statement per CHUNK of people."""
    people, found = sorted(set(user_ids)), set[str]()
    for start in range(0, len(people), CHUNK):
        found.update(
            session.scalars(
                select(Member.slack_user_id).where(
                    Member.cohort_id == cohort_id,
                    Member.slack_user_id.in_(people[start : start + CHUNK]),
                    shown_erased(Member, began),
                )
            )
        )
    return found
