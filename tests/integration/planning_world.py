"""Rows for planning tests: a cohort with a rhythm, circles with conversations, partnerships, time zones."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.models import (
    CheckIn,
    Circle,
    Cohort,
    Member,
    OutboxMessage,
    Profile,
    Workspace,
)
from tests import factories

LONG_AGO = datetime(2026, 1, 5, tzinfo=UTC)
GRACE = timedelta(hours=6)


def workspace(session: Session, team_id: str = "T0001") -> Workspace:
    row = Workspace(team_id=team_id, name=team_id, created_at=LONG_AGO)
    session.add(row)
    session.flush()
    return row


def cohort(
    session: Session,
    ws: Workspace,
    slug: str = "pgy1",
    *,
    timezone: str = "America/New_York",
    weekday: int = 0,
    at: time = time(9, 0),
    checkin_every_weeks: int = 1,
    starts_on: date | None = date(2026, 3, 2),
    ends_on: date | None = None,
    track: str = "default",
) -> Cohort:
    row = factories.cohort(session, ws, slug, f"Cohort {slug}", at=LONG_AGO)
    row.prompt_weekday, row.prompt_local_time, row.checkin_every_weeks = weekday, at, checkin_every_weeks
    row.prompt_track, row.timezone, row.starts_on, row.ends_on = track, timezone, starts_on, ends_on
    session.flush()
    return row


def member(
    session: Session,
    co: Cohort,
    user_id: str,
    role: Role = Role.LEARNER,
    *,
    status: MemberStatus = MemberStatus.ACTIVE,
    paused_until: datetime | None = None,
    timezone: str | None = None,
    flush: bool = True,
) -> Member:
    """A membership long ago, with a profile in `timezone`; flush=False leaves both for the next flush."""
    row = factories.member(session, co, user_id, role, status, at=LONG_AGO, flush=False)
    row.paused_until = paused_until
    if timezone is not None:
        session.add(
            Profile(
                workspace_id=co.workspace_id, slack_user_id=user_id, timezone=timezone, updated_at=LONG_AGO
            )
        )
    if flush:
        session.flush()
    return row


def circle(
    session: Session,
    co: Cohort,
    members: list[Member],
    conversation_id: str | None = "C0CIRCLE1",
    *,
    round_number: int = 1,
    created_at: datetime = LONG_AGO,
) -> Circle:
    name = f"circle-{co.slug}-{round_number}"
    return factories.circle(
        session, co, members, name, conversation_id, round_number=round_number, at=created_at
    )


# A planned pair has its conversation and started long before the weeks a test plans.
pair = functools.partial(factories.pair, conversation_id="G0PAIR1", started_at=LONG_AGO)


def outbox(session: Session) -> list[OutboxMessage]:
    return list(
        session.scalars(select(OutboxMessage).order_by(OutboxMessage.due_at, OutboxMessage.idempotency_key))
    )


def keys(session: Session, status: str | None = None) -> list[str]:
    return sorted(row.idempotency_key for row in outbox(session) if status is None or row.status == status)


def checkins(session: Session) -> list[CheckIn]:
    return list(session.scalars(select(CheckIn).order_by(CheckIn.due_at, CheckIn.member_id)))
