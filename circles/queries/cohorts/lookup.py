"""Which cohort a slug names, taking a new slug once, and holding a cohort while it changes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from circles.persistence.models import Cohort
from circles.queries.members.person import hold_people


def live_cohort(session: Session, workspace_id: int, slug: str) -> Cohort | None:
    """The workspace's cohort with this slug, unless it is archived."""
    query = select(Cohort).where(
        Cohort.workspace_id == workspace_id, Cohort.slug == slug, Cohort.archived_at.is_(None)
    )
    return session.scalars(query).one_or_none()


def hold_for_change(session: Session, cohort: Cohort, people: Collection[str] = ()) -> None:
    """Lock the cohort's memberships, in id order, then its row, until the transaction ends, and read it
    again: a change that waited for another sees what that one saved (PostgreSQL; SQLite's writing
    transactions take turns already). With `people` (a cohort file's), their memberships of other cohorts
    too, in the same statement and the same id order (`hold_people`), as their erasure or join takes them.

    Members before the cohort, as a leave or a pause takes them (the change goes on to its members'
    digests); FOR NO KEY UPDATE, as a round's confirmation holds the cohort: rows that point at them (a
    watch's alert about one of its pairs, a pair formed) can still be added meanwhile.
    """
    hold_people(session, cohort.workspace_id, people, cohort_id=cohort.id)
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


@dataclass(frozen=True)
class CohortRef:
    """A cohort as people name it: its slug and its name."""

    slug: str
    name: str
