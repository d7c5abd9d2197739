"""Say that something changed, so that the next tick works out again what is due.

Planning reads only cohorts whose stored due time has come, and digests only people whose due time has
come: every change to what a cohort would plan (its settings, its rounds, circles and partnerships, its
members' presence and time zones) or to what a person's digest would hold sets those due times back to
None, "at once", in the caller's transaction. Each call is one statement, whatever it covers.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Update, select, update
from sqlalchemy.orm import Session

from circles.persistence.models import Cohort, Member

# Planned at the next pass, over the whole look-back: the change may reach into occurrences already past.
PLAN_AT_ONCE = {"plan_due_at": None, "planned_until": None}


def replan(session: Session, cohort_ids: Iterable[int], *, digests: bool = False) -> None:
    """Plan these cohorts at the next tick; with `digests`, also work out their members' digests again
    (the cohort's prompt time, time zone, dates or thresholds changed)."""
    ids = sorted(set(cohort_ids))
    if not ids:
        return
    _update(session, update(Cohort).where(Cohort.id.in_(ids)).values(PLAN_AT_ONCE))
    if digests:
        _update(session, update(Member).where(Member.cohort_id.in_(ids)).values(digest_due_at=None))


def replan_person(session: Session, workspace_id: int, user_id: str) -> None:
    """Someone's presence or time zone changed: plan every cohort of theirs and their digest again."""
    theirs = select(Member.cohort_id).where(
        Member.workspace_id == workspace_id, Member.slack_user_id == user_id
    )
    _update(session, update(Cohort).where(Cohort.id.in_(theirs)).values(PLAN_AT_ONCE))
    redigest_person(session, workspace_id, user_id)


def redigest_person(session: Session, workspace_id: int, user_id: str) -> None:
    """Something for this person's digest changed (their days, a request for them): work it out again."""
    _update(
        session,
        update(Member)
        .where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
        .values(digest_due_at=None),
    )


def replan_workspace(session: Session, workspace_id: int) -> None:
    """The workspace is installed again: every cohort of it may have messages again."""
    _update(session, update(Cohort).where(Cohort.workspace_id == workspace_id).values(PLAN_AT_ONCE))
    _update(session, update(Member).where(Member.workspace_id == workspace_id).values(digest_due_at=None))


def _update(session: Session, statement: Update) -> None:
    # Rows of the session keep their own values: the due times are the planner's, read fresh by it.
    session.execute(statement.execution_options(synchronize_session=False))
