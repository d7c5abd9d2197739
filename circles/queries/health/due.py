"""When each partnership's health is next looked at: the indexed due questions and the claims on due rows.

Each question is one statement (one per chunk of ids), so that a tick with nothing due asks the database
two indexed questions, however many pairs there are. On PostgreSQL the rows taken are locked until the
caller commits, and a watch running beside this one skips them (`FOR UPDATE SKIP LOCKED`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session

from circles.domain.health import CONCERNED
from circles.domain.vocabulary import PartnershipHealthState, PartnershipStatus
from circles.persistence.models import CheckIn, Member, Partnership
from circles.queries.checkins import asked_at
from circles.queries.ids import chunks
from circles.queries.locked import among_locked


def look_no_later_than(session: Session, partnership_ids: Sequence[int], now: datetime) -> None:
    """Make these partnerships due at `now`, or keep the earlier due time they have."""
    for chunk in chunks(partnership_ids):
        session.execute(
            update(Partnership)
            .where(Partnership.id.in_(chunk))
            .values(health_due_at=_no_later_than(now))
            .execution_options(synchronize_session=False)
        )


def look_at_active_of_cohort(session: Session, cohort_id: int, now: datetime) -> None:
    """Make every active pair of the cohort due at `now`, or keep the earlier due time it has."""
    session.execute(
        update(Partnership)
        .where(Partnership.cohort_id == cohort_id, Partnership.status == PartnershipStatus.ACTIVE)
        .values(health_due_at=_no_later_than(now))
        .execution_options(synchronize_session=False)
    )


def look_at_pairs_of_person(session: Session, workspace_id: int, user_id: str, now: datetime) -> None:
    """Make every active pair this person is a partner of due at `now`, or keep an earlier due time."""
    theirs = select(Member.id).where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
    session.execute(
        update(Partnership)
        .where(
            Partnership.status == PartnershipStatus.ACTIVE,
            or_(Partnership.first_member_id.in_(theirs), Partnership.second_member_id.in_(theirs)),
        )
        .values(health_due_at=_no_later_than(now))
        .execution_options(synchronize_session=False)
    )


def take_fallen_due_checkins(session: Session, now: datetime) -> list[int]:
    """The partnerships of check-ins fallen due (their question gone) since health last saw them, which
    are marked as seen.

    On PostgreSQL a watch running beside this one takes the check-ins this one has not locked.
    """
    pending = (
        select(CheckIn.id)
        .where(CheckIn.health_pending == true(), asked_at() <= now)
        .with_for_update(skip_locked=True, key_share=True)
    )
    return list(
        session.scalars(
            update(CheckIn)
            .where(among_locked(session, CheckIn.id, pending))
            .values(health_pending=False)
            .returning(CheckIn.partnership_id)
            .execution_options(synchronize_session=False)
        ).all()
    )


def take_due_partnerships(session: Session, now: datetime) -> list[int]:
    """The active partnerships due at `now`, by id; on PostgreSQL held by this pass, skipping others'."""
    # No ORDER BY: it would tempt the planner to walk every pair in id order rather than the index.
    rows = session.scalars(
        select(Partnership.id)
        .where(Partnership.status == PartnershipStatus.ACTIVE, Partnership.health_due_at <= now)
        .with_for_update(skip_locked=True, key_share=True)
    )
    return sorted(rows)


def active_partnerships(session: Session) -> list[int]:
    """Every active partnership, by id."""
    rows = session.scalars(
        select(Partnership.id).where(Partnership.status == PartnershipStatus.ACTIVE).order_by(Partnership.id)
    )
    return list(rows)


def store_looks(
    session: Session, looks: Sequence[tuple[int, PartnershipHealthState, datetime | None]]
) -> None:
    """Keep each partnership's state and next due time, (id, state, due) each, in one statement."""
    if not looks:
        return
    table = Partnership.__table__
    assert isinstance(table, Table)
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("pair"))
        .values(
            health_due_at=bindparam("due", type_=table.c.health_due_at.type),
            health_state=bindparam("state", type_=table.c.health_state.type),
        ),
        [{"pair": pair, "state": state, "due": due} for pair, state, due in looks],
    )


def stop_looking(session: Session, partnership_ids: Sequence[int]) -> None:
    """These partnerships are not looked at again until a signal marks them."""
    for chunk in chunks(partnership_ids):
        session.execute(
            update(Partnership)
            .where(Partnership.id.in_(chunk))
            .values(health_due_at=None)
            .execution_options(synchronize_session=False)
        )


def counts(session: Session) -> tuple[int, int]:
    """How many partnerships are watched (active), and how many of them need care, from stored states."""
    active = Partnership.status == PartnershipStatus.ACTIVE
    watched = select(func.count()).select_from(Partnership).where(active).scalar_subquery()
    caring = (
        select(func.count())
        .select_from(Partnership)
        .where(active, Partnership.health_state.in_(sorted(CONCERNED)))
        .scalar_subquery()
    )
    found = session.execute(select(watched, caring)).one()
    return int(found[0]), int(found[1])


def _no_later_than(now: datetime) -> ColumnElement[Any]:
    due = Partnership.health_due_at
    return case((and_(due.is_not(None), due < now), due), else_=literal(now, type_=due.type))
