"""Cohorts: which ones a person facilitates, and setting their planning due at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from circles.persistence.models import Cohort, Facilitator, Member

# Planned at the next pass, over the whole look-back: the change may reach into occurrences already past.
PLAN_AT_ONCE = {"plan_due_at": None, "planned_until": None}


@dataclass(frozen=True)
class CohortName:
    """A cohort as a list of them shows it."""

    id: int
    slug: str
    name: str


def facilitated_cohorts(session: Session, workspace_id: int, user_id: str) -> list[CohortName]:
    """The live cohorts of the workspace this person facilitates, by name."""
    rows = session.execute(
        select(Cohort.id, Cohort.slug, Cohort.name)
        .join(Facilitator, Facilitator.cohort_id == Cohort.id)
        .where(
            Cohort.workspace_id == workspace_id,
            Facilitator.slack_user_id == user_id,
            Cohort.archived_at.is_(None),
        )
        .order_by(Cohort.name)
    ).all()
    return [CohortName(cohort_id, slug, name) for cohort_id, slug, name in rows]


def plan_at_once(session: Session, cohort_ids: Sequence[int]) -> None:
    """Plan these cohorts at the next pass."""
    _plan_at_once(session, Cohort.id.in_(cohort_ids))


def plan_person_cohorts_at_once(session: Session, workspace_id: int, user_id: str) -> None:
    """Plan every cohort this person is a member of at the next pass."""
    theirs = select(Member.cohort_id).where(
        Member.workspace_id == workspace_id, Member.slack_user_id == user_id
    )
    _plan_at_once(session, Cohort.id.in_(theirs))


def plan_workspace_at_once(session: Session, workspace_id: int) -> None:
    """Plan every cohort of the workspace at the next pass."""
    _plan_at_once(session, Cohort.workspace_id == workspace_id)


def _plan_at_once(session: Session, which: ColumnElement[bool]) -> None:
    # Rows of the session keep their own values: the due times are the planner's, read fresh by it.
    session.execute(
        update(Cohort).where(which).values(PLAN_AT_ONCE).execution_options(synchronize_session=False)
    )
