"""Questions about the workspaces the database holds: found by their Slack team, recorded once whoever
sees a team first."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, distinct, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from circles.domain.tenants import TenantKind, kind_of_key, meeting_place_for
from circles.domain.vocabulary import MeetingPlace
from circles.persistence.models import Cohort, RevokedTeam, Workspace
from circles.queries.inserts import insert_ignoring_duplicates, table_of


def tenants_holding(session: Session, slugs: Collection[str]) -> list[tuple[str, bool]]:
    """Every tenant's key, sorted, and whether it has a cohort, not archived, of each of these slugs: one
    statement however many tenants there are."""
    wanted = sorted(set(slugs))
    held = (
        select(func.count(distinct(Cohort.slug)))
        .where(Cohort.workspace_id == Workspace.id, Cohort.slug.in_(wanted), Cohort.archived_at.is_(None))
        .scalar_subquery()
    )
    rows = session.execute(select(Workspace.team_id, held).order_by(Workspace.team_id))
    return [(team_id, count == len(wanted)) for team_id, count in rows]


def workspace_ids(session: Session, keys: Collection[str] | None) -> dict[str, int]:
    """Each workspace's id by its tenant key (a team's T…, an org-wide install's E…): of the workspaces with
    these keys, or of every one with None."""
    query = select(Workspace.team_id, Workspace.id)
    if keys is not None:
        query = query.where(Workspace.team_id.in_(sorted(keys)))
    return {key: workspace_id for key, workspace_id in session.execute(query)}


def workspace_of_team(session: Session, team_id: str) -> Workspace | None:
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one_or_none()


def add_workspace_once(session: Session, team_id: str, name: str | None, now: datetime) -> Workspace:
    """Record the tenant's row (a team, or an organisation by its E… key); when another transaction just did,
    return that one's row."""
    kind = kind_of_key(team_id)
    enterprise_id = team_id if kind is TenantKind.ORGANISATION else None
    workspace = Workspace(
        team_id=team_id, name=name, created_at=now, kind=kind.value, enterprise_id=enterprise_id
    )
    try:
        with session.begin_nested():  # two first requests at once: the loser reads the winner's row
            session.add(workspace)
    except IntegrityError:
        found = workspace_of_team(session, team_id)
        assert found is not None
        return found
    return workspace


def is_organisation(session: Session, workspace_id: int) -> bool:
    """Whether the tenant is an Enterprise Grid organisation installed org-wide."""
    kind = session.scalar(select(Workspace.kind).where(Workspace.id == workspace_id))
    return kind == TenantKind.ORGANISATION.value


def meeting_place_of(session: Session, cohort: Cohort) -> MeetingPlace:
    """Where the cohort's circles meet, given its tenant (see circles.domain.tenants.meeting_place_for)."""
    return meeting_place_for(cohort.meeting_place, is_organisation(session, cohort.workspace_id))


def revoke_teams(session: Session, workspace_id: int, team_ids: list[str], now: datetime) -> None:
    """Record that the organisation's app can no longer reach these workspaces of it (kept once)."""
    if team_ids:
        rows = [{"workspace_id": workspace_id, "team_id": team, "revoked_at": now} for team in team_ids]
        session.execute(insert_ignoring_duplicates(session, table_of(RevokedTeam)), rows)


def restore_teams(session: Session, workspace_id: int, team_ids: list[str]) -> None:
    """The organisation's app reaches these workspaces of it again."""
    session.execute(
        delete(RevokedTeam).where(RevokedTeam.workspace_id == workspace_id, RevokedTeam.team_id.in_(team_ids))
    )
