"""Questions about cohorts and their facilitators (which cohort a slug names, who runs it, what one runs),
which cohorts planning looks at and when each is next due, and setting that due at once."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, bindparam, delete, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from circles.domain.planning import zone_for
from circles.domain.schedule import day_over
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import Cohort, Facilitator, Member, Partnership, Workspace
from circles.queries.inserts import table_of


def live_cohort(session: Session, workspace_id: int, slug: str) -> Cohort | None:
    """The workspace's cohort with this slug, unless it is archived."""
    query = select(Cohort).where(
        Cohort.workspace_id == workspace_id, Cohort.slug == slug, Cohort.archived_at.is_(None)
    )
    return session.scalars(query).one_or_none()


def hold_for_change(session: Session, cohort: Cohort) -> None:
    """Lock the cohort's memberships, in id order, then its row, until the transaction ends, and read it
    again: a change that waited for another sees what that one saved (PostgreSQL; SQLite's writing
    transactions take turns already).

    Members before the cohort, as a leave or a pause takes them (the change goes on to its members'
    digests); FOR NO KEY UPDATE, as a round's confirmation holds the cohort: rows that point at them (a
    watch's alert about one of its pairs, a pair formed) can still be added meanwhile.
    """
    members = select(Member.id).where(Member.cohort_id == cohort.id).order_by(Member.id)
    session.execute(members.with_for_update(key_share=True)).all()
    session.refresh(cohort, with_for_update={"key_share": True})


def hold_cohort(session: Session, cohort_id: int) -> None:
    """Hold the cohort's row until the caller commits, and read it again: confirmations of its rounds queue
    behind each other, and one that waited for a settings save checks its preview against what was saved."""
    # FOR NO KEY UPDATE: rows that point at the cohort can still be added meanwhile.
    held = select(Cohort).where(Cohort.id == cohort_id).with_for_update(key_share=True)
    session.execute(held.execution_options(populate_existing=True)).all()


def live_cohorts(session: Session, workspace_id: int, slugs: Collection[str]) -> dict[str, Cohort]:
    """The workspace's cohorts with these slugs that are not archived, by slug: one query for any number."""
    query = select(Cohort).where(
        Cohort.workspace_id == workspace_id, Cohort.slug.in_(sorted(set(slugs))), Cohort.archived_at.is_(None)
    )
    return {cohort.slug: cohort for cohort in session.scalars(query)}


def add_cohort_once(session: Session, cohort: Cohort) -> bool:
    """Insert a new cohort; False when another transaction just took its slug (two replicas at once)."""
    try:
        with session.begin_nested():
            session.add(cohort)
    except IntegrityError:
        return False
    return True


def live_slugs(session: Session, workspace_id: int) -> list[str]:
    """The slugs of the workspace's cohorts that are not archived."""
    query = select(Cohort.slug).where(Cohort.workspace_id == workspace_id, Cohort.archived_at.is_(None))
    return list(session.scalars(query))


def slug_taken(session: Session, workspace_id: int, slug: str) -> bool:
    """Whether any cohort of the workspace has this slug; archived cohorts keep theirs."""
    query = select(Cohort.id).where(Cohort.workspace_id == workspace_id, Cohort.slug == slug)
    return session.scalars(query).first() is not None


def facilitator_ids(session: Session, cohort_id: int) -> list[str]:
    """The Slack user IDs of the cohort's facilitators, sorted."""
    query = select(Facilitator.slack_user_id).where(Facilitator.cohort_id == cohort_id)
    return sorted(session.scalars(query))


def is_facilitator(session: Session, cohort_id: int, user_id: str) -> bool:
    """Whether this person facilitates the cohort (being a workspace admin is the caller's to weigh)."""
    query = select(exists().where(Facilitator.cohort_id == cohort_id, Facilitator.slack_user_id == user_id))
    return bool(session.scalar(query))


def facilitated_cohorts(
    session: Session, workspace_id: int, user_id: str, *, first: int = 0, limit: int | None = None
) -> list[Cohort]:
    """The workspace's cohorts, not archived, that this person facilitates, by name (`limit` of them from
    the `first`, when given)."""
    query = (
        select(Cohort)
        .join(Facilitator, Facilitator.cohort_id == Cohort.id)
        .where(*_facilitated(workspace_id, user_id))
        .order_by(Cohort.name, Cohort.id)
    )
    if limit is not None:
        query = query.offset(first).limit(limit)
    return list(session.scalars(query))


def count_facilitated(session: Session, workspace_id: int, user_id: str) -> int:
    """How many of the workspace's cohorts, not archived, this person facilitates."""
    query = select(func.count()).select_from(Cohort).join(Facilitator, Facilitator.cohort_id == Cohort.id)
    return session.scalar(query.where(*_facilitated(workspace_id, user_id))) or 0


def _facilitated(workspace_id: int, user_id: str) -> tuple[ColumnElement[bool], ...]:
    return (
        Cohort.workspace_id == workspace_id,
        Facilitator.slack_user_id == user_id,
        Cohort.archived_at.is_(None),
    )


def remove_facilitators(session: Session, cohort_id: int, user_ids: Collection[str]) -> None:
    """Stop these people facilitating the cohort."""
    if user_ids:
        session.execute(
            delete(Facilitator).where(
                Facilitator.cohort_id == cohort_id, Facilitator.slack_user_id.in_(list(user_ids))
            )
        )


@dataclass(frozen=True)
class CohortRef:
    """A cohort as people name it: its slug and its name."""

    slug: str
    name: str


def facilitators_by_cohort(session: Session, cohort_ids: Collection[int]) -> dict[int, list[str]]:
    """Each cohort's facilitators' Slack user IDs, sorted; a cohort without any is left out."""
    found: dict[int, list[str]] = {}
    if not cohort_ids:
        return found
    rows = session.execute(
        select(Facilitator.cohort_id, Facilitator.slack_user_id)
        .where(Facilitator.cohort_id.in_(sorted(cohort_ids)))
        .order_by(Facilitator.slack_user_id)
    )
    for cohort_id, user_id in rows:
        found.setdefault(cohort_id, []).append(user_id)
    return found


# Planned at the next pass, over the whole look-back: the change may reach into occurrences already past.
PLAN_AT_ONCE = {"plan_due_at": None, "planned_until": None}


def past_end_date(session: Session, now: datetime) -> list[int]:
    """The cohorts with partnerships still running whose end date is over in the cohort's time zone."""
    furthest_ahead = (now + timedelta(hours=14)).date()  # the date at UTC+14: no zone has a later one
    running = exists().where(
        Partnership.cohort_id == Cohort.id, Partnership.status != PartnershipStatus.ENDED
    )
    query = select(Cohort.id, Cohort.ends_on, Cohort.timezone).where(
        Cohort.ends_on.is_not(None), Cohort.ends_on < furthest_ahead, running
    )
    rows = session.execute(query.order_by(Cohort.id))
    return [id_ for id_, ends_on, zone in rows if ends_on and day_over(ends_on, zone_for(None, zone), now)]


def plan_at_once(session: Session, cohort_ids: Sequence[int]) -> None:
    """Plan these cohorts at the next pass."""
    _plan_at_once(session, Cohort.id.in_(cohort_ids))


def plan_people_cohorts_at_once(session: Session, workspace_id: int, user_ids: Collection[str]) -> None:
    """Plan every cohort these people are members of at the next pass. Their memberships are locked
    first, in id order: memberships before cohorts, as a leave or a settings save takes them (their
    digests, worked out again next, are on those memberships)."""
    mine = (Member.workspace_id == workspace_id) & Member.slack_user_id.in_(sorted(user_ids))
    session.execute(select(Member.id).where(mine).order_by(Member.id).with_for_update(key_share=True)).all()
    _plan_at_once(session, Cohort.id.in_(select(Member.cohort_id).where(mine)))


def plan_workspace_at_once(session: Session, workspace_id: int) -> None:
    """Plan every cohort of the workspace at the next pass."""
    _plan_at_once(session, Cohort.workspace_id == workspace_id)


def _plan_at_once(session: Session, which: ColumnElement[bool]) -> None:
    # Rows of the session keep their own values: the due times are the planner's, read fresh by it.
    session.execute(
        update(Cohort).where(which).values(PLAN_AT_ONCE).execution_options(synchronize_session=False)
    )


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
