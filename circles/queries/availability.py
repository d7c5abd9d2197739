"""Questions about when people can be reached: their patterns, their cohorts' quiet hours, away blocks."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from circles.domain.availability import AbsenceKind
from circles.domain.vocabulary import MemberStatus
from circles.persistence.models import AwayBlock, Cohort, Member, Profile

Person = tuple[int, str]  # (workspace_id, Slack user ID)


@dataclass(frozen=True)
class StoredReach:
    """What the database holds about one person's reachability, before the domain reads it."""

    timezone: str | None = None
    cohort_timezone: str | None = None
    work_pattern: dict[str, Any] | None = None
    own_quiet_hours: str | None = None
    cohort_quiet_hours: tuple[str, ...] = ()
    dnd_until: datetime | None = None
    status_away: tuple[datetime, datetime] | None = None  # since, until (NEVER without expiry)
    blocks: tuple[tuple[datetime, datetime, AbsenceKind], ...] = ()
    cohort_zones: Mapping[int, str] = field(default_factory=dict)  # by cohort id: those of their memberships
    member_cohorts: Mapping[int, int] = field(default_factory=dict)  # the cohort of each membership


def stored_reach(session: Session, people: Collection[Person], now: datetime) -> dict[Person, StoredReach]:
    """Each person's stored reachability, in three queries whatever their number: profiles, the quiet
    hours and time zones of the running cohorts they belong to, and away blocks not yet over."""
    wanted = set(people)
    if not wanted:
        return {}
    workspaces, users = {w for w, _ in wanted}, {u for _, u in wanted}
    found: dict[Person, dict[str, Any]] = {person: {} for person in wanted}
    for profile in session.scalars(
        select(Profile).where(Profile.workspace_id.in_(workspaces), Profile.slack_user_id.in_(users))
    ):
        key = (profile.workspace_id, profile.slack_user_id)
        if key in found:
            found[key].update(_profile_fields(profile))
    cohorts = session.execute(
        select(
            Member.workspace_id,
            Member.slack_user_id,
            Cohort.quiet_hours,
            Cohort.timezone,
            Member.id,
            Cohort.id,
        )
        .join(Cohort, Cohort.id == Member.cohort_id)
        .where(
            Member.workspace_id.in_(workspaces),
            Member.slack_user_id.in_(users),
            Member.status != MemberStatus.LEFT,
            Cohort.archived_at.is_(None),
        )
        .order_by(Cohort.id)
    )
    for workspace_id, user_id, quiet, zone, member_id, cohort_id in cohorts:
        if (fields := found.get((workspace_id, user_id))) is not None:
            fields.setdefault("cohort_timezone", zone)
            fields["cohort_quiet_hours"] = (*fields.get("cohort_quiet_hours", ()), quiet)
            fields.setdefault("cohort_zones", {})[cohort_id] = zone
            fields.setdefault("member_cohorts", {})[member_id] = cohort_id
    blocks = session.execute(
        select(
            AwayBlock.workspace_id,
            AwayBlock.slack_user_id,
            AwayBlock.starts_at,
            AwayBlock.ends_at,
            AwayBlock.kind,
        )
        .where(
            AwayBlock.workspace_id.in_(workspaces),
            AwayBlock.slack_user_id.in_(users),
            AwayBlock.ends_at > now,
        )
        .order_by(AwayBlock.starts_at)
    )
    for workspace_id, user_id, starts_at, ends_at, kind in blocks:
        if (fields := found.get((workspace_id, user_id))) is not None:
            fields["blocks"] = (*fields.get("blocks", ()), (starts_at, ends_at, kind))
    return {person: StoredReach(**fields) for person, fields in found.items()}


def _profile_fields(profile: Profile) -> dict[str, Any]:
    status = None
    if profile.status_away_since is not None and profile.status_away_until is not None:
        status = (profile.status_away_since, profile.status_away_until)
    return {
        "timezone": profile.timezone,
        "work_pattern": profile.work_pattern,
        "own_quiet_hours": profile.quiet_hours,
        "dnd_until": profile.dnd_until,
        "status_away": status,
    }


def block_values(
    workspace_id: int,
    user_id: str,
    span: tuple[datetime, datetime],
    kind: AbsenceKind,
    *,
    by: str,
    now: datetime,
    cohort_id: int | None = None,
) -> dict[str, Any]:
    """An away block's columns, from `span[0]` until `span[1]` (the instant they are back): for one new
    row, or for many inserted at once."""
    starts_at, ends_at = span
    return {
        "workspace_id": workspace_id,
        "slack_user_id": user_id,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "kind": kind,
        "cohort_id": cohort_id,
        "created_by": by,
        "created_at": now,
    }


def away_block(*args: Any, **kwargs: Any) -> AwayBlock:
    """A new away block, as `block_values` describes it."""
    return AwayBlock(**block_values(*args, **kwargs))


def away_blocks_of(session: Session, workspace_id: int, user_id: str, since: datetime) -> list[AwayBlock]:
    """The person's away blocks not over by `since`, earliest first."""
    query = (
        select(AwayBlock)
        .where(AwayBlock.workspace_id == workspace_id, AwayBlock.slack_user_id == user_id)
        .where(AwayBlock.ends_at > since)
        .order_by(AwayBlock.starts_at)
    )
    return list(session.scalars(query))


def end_own_blocks(session: Session, workspace_id: int, user_id: str, now: datetime) -> int:
    """The person is back: their own blocks running now end now, their own later ones go; returns how many.
    Blocks a facilitator imported stay, whatever their kind: they are the programme's to change."""
    mine = (
        AwayBlock.workspace_id == workspace_id,
        AwayBlock.slack_user_id == user_id,
        AwayBlock.kind == AbsenceKind.AWAY,
        AwayBlock.created_by == user_id,  # who made it, not its kind: an import may store kind `away` too
    )
    ended = session.execute(
        update(AwayBlock)
        .where(*mine, AwayBlock.starts_at <= now, AwayBlock.ends_at > now)
        .values(ends_at=now)
        .execution_options(synchronize_session=False)
    )
    gone = session.execute(
        delete(AwayBlock).where(*mine, AwayBlock.starts_at > now).execution_options(synchronize_session=False)
    )
    return getattr(ended, "rowcount", 0) + getattr(gone, "rowcount", 0)


def lock_memberships(session: Session, workspace_id: int, user_id: str) -> list[int]:
    """The ids of the person's memberships not left, locked: two changes of their away time at once (two
    replicas) happen one after the other, the second seeing the first's block."""
    query = (
        select(Member.id)
        .where(
            Member.workspace_id == workspace_id,
            Member.slack_user_id == user_id,
            Member.status != MemberStatus.LEFT,
        )
        .order_by(Member.id)
        .with_for_update(key_share=True)  # rows that point at a membership (check-ins) are not held up
    )
    return list(session.scalars(query))


def erase_blocks(session: Session, workspace_id: int, user_id: str) -> None:
    """Forget every away block of the person, their own and imported (they asked to be erased)."""
    session.execute(
        delete(AwayBlock)
        .where(AwayBlock.workspace_id == workspace_id, AwayBlock.slack_user_id == user_id)
        .execution_options(synchronize_session=False)
    )
