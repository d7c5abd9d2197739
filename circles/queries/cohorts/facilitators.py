"""Who facilitates a cohort, and which cohorts a person facilitates."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from circles.persistence.models import Cohort, Facilitator, GoneAccount
from circles.queries.on_hold import away_now


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


def places_among_facilitated(
    session: Session, workspace_id: int, user_id: str, slugs: Collection[str]
) -> dict[str, int]:
    """Where each of these cohorts comes (from 0) among those `facilitated_cohorts` lists, by slug; one it
    does not list (archived since, say, or not theirs) is left out. One query per cohort found."""
    query = select(Cohort).join(Facilitator, Facilitator.cohort_id == Cohort.id)
    found = list(
        session.scalars(query.where(*_facilitated(workspace_id, user_id), Cohort.slug.in_(set(slugs))))
    )
    count = select(func.count()).select_from(Cohort).join(Facilitator, Facilitator.cohort_id == Cohort.id)
    return {
        cohort.slug: session.scalar(
            count.where(
                *_facilitated(workspace_id, user_id),
                or_(Cohort.name < cohort.name, and_(Cohort.name == cohort.name, Cohort.id < cohort.id)),
            )
        )
        or 0
        for cohort in found
    }


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


def reachable_facilitators(
    session: Session, cohort_ids: Collection[int], now: datetime
) -> dict[int, list[str]]:
    """Each cohort's facilitators who can be told something that must be read now, sorted, in one query: the
    one place deciding it for support requests, alerts and their follow-ups, reports of an ending, and
    what a circle's facilitators are told (`facilitators_or_admins`).
    Left out: whoever Slack said has left (deactivated: Slack still takes messages to them, and nobody
    reads them) and whoever is away now (their own `/circles away`, or an imported rotation or leave). A
    cohort with none is left out, so that whoever is told instead (other facilitators, the admins) hears.
    Who may hear of a given pair or person is then the caller's to narrow (`who_may_hear`)."""
    found: dict[int, list[str]] = {}
    if not cohort_ids:
        return found
    gone = exists().where(
        GoneAccount.workspace_id == Facilitator.workspace_id,
        GoneAccount.slack_user_id == Facilitator.slack_user_id,
    )
    rows = session.execute(
        select(Facilitator.cohort_id, Facilitator.slack_user_id)
        .where(Facilitator.cohort_id.in_(sorted(cohort_ids)), ~gone, ~away_now(Facilitator, now))
        .order_by(Facilitator.slack_user_id)
    )
    for cohort_id, user_id in rows:
        found.setdefault(cohort_id, []).append(user_id)
    return found


def facilitators_or_admins(
    session: Session, cohort_id: int, now: datetime, admins: Collection[str]
) -> tuple[list[str], bool]:
    """Who is told what the cohort's facilitators must read (a circle left short, its conversation lost or
    restricted, someone still in its channel), sorted, and whether they are its facilitators: those
    `reachable_facilitators` keeps, or, when none is, the `admins` (of its workspace), as a support
    request or an alert goes; nobody when neither is (a member's own notice then points to `/circles
    support`)."""
    present = reachable_facilitators(session, [cohort_id], now).get(cohort_id, [])
    return (present, True) if present else (sorted(admins), False)
