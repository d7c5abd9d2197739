"""Rows with sensible defaults, for tests that need a cohort with people in it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus, PartnershipKind, Role
from circles.persistence.models import CheckIn, Cohort, Facilitator, Member, Partnership, Profile, Workspace

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def workspace(session: Session, team_id: str = "T0001") -> Workspace:
    row = Workspace(team_id=team_id, name=f"Team {team_id}", created_at=NOW)
    session.add(row)
    session.flush()
    return row


def cohort(session: Session, ws: Workspace, slug: str = "pgy1-spring", name: str = "PGY-1 spring") -> Cohort:
    row = Cohort(workspace_id=ws.id, slug=slug, name=name, created_by="U0ADMIN", created_at=NOW)
    session.add(row)
    session.flush()
    return row


def member(
    session: Session,
    co: Cohort,
    user_id: str,
    role: Role = Role.LEARNER,
    status: MemberStatus = MemberStatus.ACTIVE,
) -> Member:
    row = Member(
        workspace_id=co.workspace_id,
        cohort_id=co.id,
        slack_user_id=user_id,
        role=role,
        status=status,
        joined_at=NOW,
    )
    session.add(row)
    session.flush()
    return row


def facilitator(session: Session, co: Cohort, user_id: str) -> Facilitator:
    row = Facilitator(workspace_id=co.workspace_id, cohort_id=co.id, slack_user_id=user_id, added_at=NOW)
    session.add(row)
    session.flush()
    return row


def profile(session: Session, ws: Workspace, user_id: str, timezone: str | None = None) -> Profile:
    row = Profile(workspace_id=ws.id, slack_user_id=user_id, timezone=timezone, updated_at=NOW)
    session.add(row)
    session.flush()
    return row


def partnership(
    session: Session,
    guide_user: str,
    learner_user: str,
    kind: PartnershipKind = PartnershipKind.COACH_LEARNER,
) -> Partnership:
    """Pair two existing members of the same cohort, found by their Slack IDs."""
    guide, learner = (
        session.scalars(select(Member).where(Member.slack_user_id == user)).one()
        for user in (guide_user, learner_user)
    )
    row = Partnership(
        workspace_id=guide.workspace_id,
        cohort_id=guide.cohort_id,
        kind=kind,
        first_member_id=guide.id,
        second_member_id=learner.id,
        started_at=NOW,
    )
    session.add(row)
    session.flush()
    return row


def coached_checkin(session: Session) -> int:
    """Ada coaches Lee in a cohort run by Fay; Lee's check-in is due. Returns its id (not committed)."""
    co = cohort(session, workspace(session))
    facilitator(session, co, "U0FAY")
    member(session, co, "U0ADA", Role.COACH)
    member(session, co, "U0LEE")
    pair = partnership(session, "U0ADA", "U0LEE")
    row = CheckIn(
        workspace_id=pair.workspace_id,
        partnership_id=pair.id,
        member_id=pair.second_member_id,
        due_at=NOW,
    )
    session.add(row)
    session.flush()
    return row.id


_requests = itertools.count(1)


def request_key() -> str:
    """A new request's name, as the listener gives a service (each Slack request has its own)."""
    return f"test-request:{next(_requests)}"
