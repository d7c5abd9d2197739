"""Stored plans of matching runs that name some members, for their erasure: the proposals never confirmed,
and the rounds made."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from circles.domain.match_vocabulary import RunStatus
from circles.persistence.models import MatchRun, Member

UNCONFIRMED = (RunStatus.PREVIEWED, RunStatus.SUPERSEDED)
MADE = (RunStatus.CONFIRMED, RunStatus.COMPLETE)


def previews_naming(session: Session, member_ids: Collection[int]) -> dict[int, dict[str, Any] | None]:
    """The unconfirmed proposals naming any of these members, by run, each with whom its re-match was for
    (None for a whole round): one statement, reading no plan whole."""
    if not member_ids:
        return {}
    rematches = select(MatchRun.id, MatchRun.plan["rematch"])
    rows = session.execute(rematches.where(_naming(member_ids), MatchRun.status.in_(UNCONFIRMED)))
    return {run_id: rematch or None for run_id, rematch in rows}


def retire_previews(session: Session, plans: Mapping[int, dict[str, Any]]) -> None:
    """Mark these proposals replaced, so none is confirmed or shown again, each with the plan given in place
    of its own: one statement however many."""
    if plans:
        rows = [{"id": run, "status": RunStatus.SUPERSEDED, "plan": plan} for run, plan in plans.items()]
        session.execute(update(MatchRun), rows)  # by primary key: one executemany


def made_runs_naming(session: Session, member_ids: Collection[int]) -> list[MatchRun]:
    """The confirmed rounds and re-matches whose plans name any of these members: one statement."""
    if not member_ids:
        return []
    return list(session.scalars(select(MatchRun).where(_naming(member_ids), MatchRun.status.in_(MADE))))


def _naming(member_ids: Collection[int]) -> ColumnElement[bool]:
    """A run of these members' cohorts whose plan names one of them: a plan's `users` holds whoever it
    places, leaves out or mentions, keyed by member."""
    cohorts = select(Member.cohort_id).where(Member.id.in_(sorted(member_ids)))
    named = (MatchRun.plan[("users", str(member))].as_string().is_not(None) for member in sorted(member_ids))
    return MatchRun.cohort_id.in_(cohorts) & or_(*named)
