"""Slack's own signals about people, as stored: whose Do Not Disturb is due a look, and what Slack said."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.tenants import TenantKind
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import OutboxMessage, Profile, Workspace


@dataclass(frozen=True)
class Recipient:
    """Someone a due personal message is for, with their tenant's Slack identity and their own workspace."""

    workspace_id: int
    team_id: str  # the tenant's key: a workspace's T…, or an organisation's E… (org-wide install)
    enterprise_id: str | None
    user_id: str
    organisation: bool = False  # the tenant is an organisation installed org-wide
    person_team_id: str | None = None  # the person's own workspace (T…), None while unknown


def due_unchecked(
    session: Session, now: datetime, templates: Collection[str], checked_before: datetime, limit: int
) -> list[Recipient]:
    """People with a due, pending message of these templates in their DM whose Do Not Disturb was last
    looked at before `checked_before` (or never), in one query."""
    query = (
        select(
            OutboxMessage.workspace_id,
            Workspace.team_id,
            Workspace.enterprise_id,
            OutboxMessage.channel,
            Workspace.kind,
            Profile.slack_team_id,
        )
        .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
        .join(
            Profile,
            and_(
                Profile.workspace_id == OutboxMessage.workspace_id,
                Profile.slack_user_id == OutboxMessage.channel,
            ),
        )
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.due_at <= now,
            OutboxMessage.payload["template"].as_string().in_(sorted(templates)),
            or_(Profile.dnd_checked_at.is_(None), Profile.dnd_checked_at < checked_before),
            Workspace.uninstalled_at.is_(None),
        )
        .distinct()
        .order_by(OutboxMessage.workspace_id, OutboxMessage.channel)
        .limit(limit)
    )
    return [
        Recipient(ws, team, enterprise, user, kind == TenantKind.ORGANISATION, own_team)
        for ws, team, enterprise, user, kind, own_team in session.execute(query)
        if user
    ]


def store_dnd(
    session: Session, workspace_id: int, found: Mapping[str, datetime | None], now: datetime
) -> None:
    """Record, in one statement, until when each person has Do Not Disturb (None: not now) as of `now`."""
    if not found:
        return
    statement = (
        update(Profile)
        .where(Profile.workspace_id == workspace_id, Profile.slack_user_id == bindparam("user"))
        .values(dnd_until=bindparam("until"), dnd_checked_at=now)
        .execution_options(synchronize_session=False)
    )
    session.connection().execute(
        statement, [{"user": user, "until": until} for user, until in sorted(found.items())]
    )


def store_dnd_unanswered(session: Session, workspace_id: int, users: Collection[str], now: datetime) -> None:
    """Record that these people were asked about at `now` without an answer: what Slack said before stays
    (a quiet period known to run on still holds), and they are not asked again for a while."""
    if not users:
        return
    session.execute(
        update(Profile)
        .where(Profile.workspace_id == workspace_id, Profile.slack_user_id.in_(sorted(users)))
        .values(dnd_checked_at=now)
        .execution_options(synchronize_session=False)
    )


def store_status_away(
    session: Session, workspace_id: int, user_id: str, away: tuple[datetime, datetime] | None
) -> bool:
    """Record an out-of-office or leave status (since, until), or its end (None); False without a profile."""
    since, until = away if away is not None else (None, None)
    changed = session.execute(
        update(Profile)
        .where(Profile.workspace_id == workspace_id, Profile.slack_user_id == user_id)
        .values(status_away_since=since, status_away_until=until)
        .returning(Profile.id)
        .execution_options(synchronize_session=False)
    ).first()
    return changed is not None
