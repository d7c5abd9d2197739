"""Which cohorts planning looks at and when each is next due, setting that due at once, and the cohorts
whose end date is over."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, case, exists, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.schedule import over_everywhere
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import Cohort, Member, Partnership, Workspace
from circles.queries.inserts import table_of

# Planned at the next pass, over the whole look-back: the change may reach into occurrences already past.
# The instant of the latest change that moved its occurrences (`moved_at`) is kept while the cohort is still
# to be planned from scratch (it is read only then), and forgotten when a change starts such a wait anew.
PLAN_AT_ONCE = {
    "plan_due_at": None,
    "planned_until": None,
    "replanned_at": case((Cohort.planned_until.is_(None), Cohort.replanned_at), else_=None),
}


def past_end_date(session: Session, now: datetime) -> list[int]:
    """The cohorts with partnerships still running whose end date is over in every time zone, locked until
    the caller commits; one another transaction holds (a settings save or an import moving its end) is
    skipped, for the next pass to look at again as then saved."""
    running = exists().where(
        Partnership.cohort_id == Cohort.id, Partnership.status != PartnershipStatus.ENDED
    )
    query = select(Cohort.id, Cohort.ends_on).where(
        Cohort.ends_on.is_not(None), Cohort.ends_on < now.date(), running
    )
    # FOR NO KEY UPDATE, as `hold_for_change` takes a cohort to change it. Read unlocked, the end a save is
    # moving later would go unseen until it commits, and its pairs be completed just after the save let them
    # carry on; a save that comes second waits, and then finds them completed. A row locked here is read as
    # last committed (PostgreSQL; SQLite, which drops the clause, has one writer at a time).
    held = query.order_by(Cohort.id).with_for_update(of=Cohort, skip_locked=True, key_share=True)
    rows = session.execute(held)
    return [id_ for id_, ends_on in rows if ends_on and over_everywhere(ends_on, now)]


def plan_at_once(session: Session, cohort_ids: Sequence[int], moved_at: datetime | None = None) -> None:
    """Plan these cohorts at the next pass; `moved_at`: when a change moved their occurrences."""
    _plan_at_once(session, Cohort.id.in_(cohort_ids), moved_at)


def plan_people_cohorts_at_once(
    session: Session, workspace_id: int, user_ids: Collection[str], moved_at: datetime | None = None
) -> None:
    """Plan every cohort these people are members of at the next pass. Their memberships are locked
    first, in id order: memberships before cohorts, as a leave or a settings save takes them (their
    digests, worked out again next, are on those memberships)."""
    mine = (Member.workspace_id == workspace_id) & Member.slack_user_id.in_(sorted(user_ids))
    session.execute(select(Member.id).where(mine).order_by(Member.id).with_for_update(key_share=True)).all()
    _plan_at_once(session, Cohort.id.in_(select(Member.cohort_id).where(mine)), moved_at)


def plan_workspace_at_once(session: Session, workspace_id: int) -> None:
    """Plan every cohort of the workspace at the next pass."""
    _plan_at_once(session, Cohort.workspace_id == workspace_id)


def _plan_at_once(session: Session, which: ColumnElement[bool], moved_at: datetime | None = None) -> None:
    values = PLAN_AT_ONCE if moved_at is None else {**PLAN_AT_ONCE, "replanned_at": moved_at}
    # Rows of the session keep their own values: the due times are the planner's, read fresh by it.
    session.execute(update(Cohort).where(which).values(values).execution_options(synchronize_session=False))


def lock_due_cohorts(session: Session, until: datetime, limit: int) -> list[tuple[Cohort, datetime | None]]:
    """Up to `limit` cohorts due by `until` (or at once), by id, each with when its workspace uninstalled
    the app; locked until the caller commits, skipping those another transaction holds."""
    rows = session.execute(
        select(Cohort, Workspace.uninstalled_at)
        .join(Workspace, Workspace.id == Cohort.workspace_id)
        .where(or_(Cohort.plan_due_at.is_(None), Cohort.plan_due_at <= until))
        .limit(limit)
        .with_for_update(of=Cohort, skip_locked=True, key_share=True)
    ).all()  # unordered: an ORDER BY would make SQLite scan the table instead of the due-time index
    return sorted(((cohort, uninstalled) for cohort, uninstalled in rows), key=lambda row: row[0].id)


def store_plan_due(session: Session, due: Mapping[int, tuple[datetime, datetime | None]]) -> None:
    """Keep each cohort's next instant and how far it is planned, in one statement."""
    if not due:
        return
    table = table_of(Cohort)
    instant = table.c.plan_due_at.type
    session.execute(
        update(table)
        .where(table.c.id == bindparam("cohort_id"))
        .values(
            plan_due_at=bindparam("due_at", type_=instant), planned_until=bindparam("until", type_=instant)
        ),
        [
            {"cohort_id": cohort_id, "due_at": at, "until": until}
            for cohort_id, (at, until) in sorted(due.items())
        ],
    )
