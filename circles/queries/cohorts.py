"""Questions about cohorts and their facilitators: which cohort a slug names, who runs it, what one runs."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from circles.persistence.models import Cohort, Facilitator


def live_cohort(session: Session, workspace_id: int, slug: str) -> Cohort | None:
    """The workspace's cohort with this slug, unless it is archived."""
    query = select(Cohort).where(
        Cohort.workspace_id == workspace_id, Cohort.slug == slug, Cohort.archived_at.is_(None)
    )
    return session.scalars(query).one_or_none()


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


def facilitated_cohorts(session: Session, workspace_id: int, user_id: str) -> list[Cohort]:
    """The workspace's cohorts, not archived, that this person facilitates, by name."""
    query = (
        select(Cohort)
        .join(Facilitator, Facilitator.cohort_id == Cohort.id)
        .where(
            Cohort.workspace_id == workspace_id,
            Facilitator.slack_user_id == user_id,
            Cohort.archived_at.is_(None),
        )
        .order_by(Cohort.name, Cohort.id)
    )
    return list(session.scalars(query))


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
