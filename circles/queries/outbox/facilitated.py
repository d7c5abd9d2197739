"""For an erasure: which cohorts, circles and rounds a person still facilitates, the cohorts the unsent
messages to them as a facilitator belong to. Archived cohorts count: a facilitator stays one there."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from circles.persistence.models import Circle, Cohort, Facilitator, MatchRun
from circles.queries.ids import chunks


@dataclass(frozen=True)
class Facilitated:
    """What a person facilitates in one workspace: cohorts by slug and by name, and of the circles and
    rounds asked about, those of their cohorts."""

    slugs: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    circles: frozenset[int] = frozenset()
    runs: frozenset[int] = frozenset()


def facilitated_by(
    session: Session, workspace_id: int, user_id: str, circles: Collection[int], runs: Collection[int]
) -> Facilitated:
    """The cohorts this person facilitates in the workspace, and which of these circles and rounds are in
    one of them: one statement, one more per CHUNK circles or rounds asked about."""
    theirs = select(Facilitator.cohort_id).where(
        Facilitator.workspace_id == workspace_id, Facilitator.slack_user_id == user_id
    )
    cohorts = session.execute(
        select(Cohort.slug, Cohort.name).where(Cohort.workspace_id == workspace_id, Cohort.id.in_(theirs))
    ).all()
    if not cohorts:
        return Facilitated()
    return Facilitated(
        frozenset(slug for slug, _ in cohorts),
        frozenset(name for _, name in cohorts),
        _in_cohorts(session, Circle, theirs, circles),
        _in_cohorts(session, MatchRun, theirs, runs),
    )


def _in_cohorts(
    session: Session, model: type[Circle | MatchRun], cohorts: Select[int], ids: Collection[int]
) -> frozenset[int]:
    """Which of these circles (or rounds) are in one of the cohorts."""
    found: set[int] = set()
    for chunk in chunks(sorted(set(ids))):
        query = select(model.id).where(model.id.in_(chunk), model.cohort_id.in_(cohorts))
        found.update(session.scalars(query))
    return frozenset(found)
