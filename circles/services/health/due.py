"""When each partnership's health is next looked at, and which are due now: indexed and set-based.

A signal (an answer, a pause or resume, new cohort settings, a resolved escalation) marks its
partnership with `look_now` in the signal's own transaction. A check-in, however it was written
(planned ahead, or made by `/circles checkin`), is seen once it falls due by its `health_pending`
flag. Each look stores the pair's state and the next instant time alone may change its health, so
a tick with nothing due asks the database two indexed questions, however many pairs there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Table, and_, bindparam, case, func, literal, select, true, update
from sqlalchemy.orm import Session

from circles.domain.health import CONCERNED
from circles.domain.vocabulary import EscalationStatus, PartnershipStatus
from circles.persistence.models import CheckIn, Cohort, Escalation, Partnership

if TYPE_CHECKING:  # health reads cohorts, whose settings mark pairs due here: no import at run time
    from circles.services.health.recompute import PartnershipHealth

CHUNK = 900  # ids per IN (...) list, well under every database's limit on bound parameters


def look_now(session: Session, partnership_ids: Iterable[int], now: datetime) -> None:
    """A new signal: these partnerships' health is looked at by the first watch from `now` on."""
    ids = sorted(set(partnership_ids))
    for chunk in chunks(ids):
        session.execute(
            update(Partnership)
            .where(Partnership.id.in_(chunk))
            .values(health_due_at=_no_later_than(now))
            .execution_options(synchronize_session=False)
        )


def look_at_cohort(session: Session, cohort_id: int, now: datetime) -> None:
    """New settings: every pair of the cohort is looked at again, and its unanswered alerts' follow-ups."""
    session.execute(
        update(Partnership)
        .where(Partnership.cohort_id == cohort_id, Partnership.status == PartnershipStatus.ACTIVE)
        .values(health_due_at=_no_later_than(now))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Escalation)
        .where(Escalation.cohort_id == cohort_id, Escalation.follow_up_at.is_not(None))
        .values(follow_up_at=now)
        .execution_options(synchronize_session=False)
    )


def take_due(session: Session, now: datetime) -> list[int]:
    """The active partnerships whose health is due at `now`, by id; on PostgreSQL held by this pass.

    Check-ins that fell due since the last look first mark their partnerships. A watch running beside
    this one at the same moment skips the pairs this one holds (it will find them settled).
    """
    _see_new_checkins(session, now)
    # No ORDER BY: it would tempt the planner to walk every pair in id order rather than the index.
    rows = session.scalars(
        select(Partnership.id)
        .where(Partnership.status == PartnershipStatus.ACTIVE, Partnership.health_due_at <= now)
        .with_for_update(skip_locked=True)
    )
    return sorted(rows)


def take_all(session: Session, now: datetime) -> list[int]:
    """Every active partnership, due or not: the full recompute kept for repairs."""
    _see_new_checkins(session, now)
    rows = session.scalars(
        select(Partnership.id).where(Partnership.status == PartnershipStatus.ACTIVE).order_by(Partnership.id)
    )
    return list(rows)


def settle(
    session: Session, now: datetime, looked_at: Sequence[int], health: list[PartnershipHealth]
) -> None:
    """Store each recomputed pair's state and next due time; pairs not recomputed wait for a signal."""
    again = _recurrences(session, [h.partnership_id for h in health if h.state in CONCERNED], now)
    table = Partnership.__table__
    assert isinstance(table, Table)
    rows = [
        {"pair": pair, "state": h.state, "due": _soonest(h.next_change, again.get(pair))}
        for h, pair in ((h, h.partnership_id) for h in health)
    ]
    if rows:
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("pair"))
            .values(
                health_due_at=bindparam("due", type_=table.c.health_due_at.type),
                health_state=bindparam("state", type_=table.c.health_state.type),
            ),
            rows,
        )
    recomputed = {h.partnership_id for h in health}
    for chunk in chunks([pair for pair in looked_at if pair not in recomputed]):
        # Paused, ended, in an archived cohort, or an odd row: nothing to look at until a signal.
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


def chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _see_new_checkins(session: Session, now: datetime) -> None:
    # On PostgreSQL a watch running beside this one takes the check-ins this one has not locked.
    pending = (
        select(CheckIn.id)
        .where(CheckIn.health_pending == true(), CheckIn.due_at <= now)
        .with_for_update(skip_locked=True)
    )
    seen = session.scalars(
        update(CheckIn)
        .where(CheckIn.id.in_(pending))
        .values(health_pending=False)
        .returning(CheckIn.partnership_id)
        .execution_options(synchronize_session=False)
    ).all()
    look_now(session, seen, now)


def _recurrences(session: Session, concerned: list[int], now: datetime) -> dict[int, datetime]:
    """When a resolved concern may be raised again without new evidence, for pairs with none unresolved."""
    found: dict[int, datetime] = {}
    unresolved: set[int] = set()
    for chunk in chunks(sorted(concerned)):
        rows = session.execute(
            select(Escalation.partnership_id, Escalation.status, Escalation.resolved_at, Escalation.opened_at)
            .add_columns(Cohort.checkin_every_weeks)
            .join(Cohort, Cohort.id == Escalation.cohort_id)
            .where(Escalation.partnership_id.in_(chunk))
        )
        for pair, status, resolved_at, opened_at, every in rows:
            if status is not EscalationStatus.RESOLVED:
                unresolved.add(pair)
                continue
            again = (resolved_at or opened_at) + timedelta(weeks=every)
            if again > now and (pair not in found or again > found[pair]):
                found[pair] = again
    return {pair: at for pair, at in found.items() if pair not in unresolved}


def _soonest(*moments: datetime | None) -> datetime | None:
    return min((m for m in moments if m is not None), default=None)


def _no_later_than(now: datetime) -> ColumnElement[Any]:
    due = Partnership.health_due_at
    return case((and_(due.is_not(None), due < now), due), else_=literal(now, type_=due.type))
