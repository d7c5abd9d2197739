"""Coaches and mentors as their digests see them: who may get one and when each one's is next due (the
pairs a digest speaks of are in circles.queries.guide_pairs)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.vocabulary import MemberStatus, OutboxStatus, Role
from circles.persistence.models import Cohort, Member, OutboxMessage, Profile, Workspace
from circles.queries.members.person import taking_part_at
from circles.queries.outbox.keys import key_starts_with


@dataclass(frozen=True)
class Guide:
    """One coach or mentor membership, with its cohort's settings and the person's own."""

    member_id: int
    workspace_id: int
    user_id: str
    cohort_name: str
    cohort_zone: str
    prompt_time: time | None
    starts_on: date | None
    ends_on: date | None
    days_without_meeting: int
    own_zone: str | None
    working_days: str | None
    muted_until: datetime | None = None

    def running(self, now: datetime) -> bool:
        """Within the cohort's dates, in its own time zone."""
        today = now.astimezone(ZoneInfo(self.cohort_zone)).date()
        return not (self.starts_on and today < self.starts_on) and not (self.ends_on and today > self.ends_on)


def guides(
    session: Session,
    now: datetime,
    *,
    workspace_id: int | None = None,
    user_id: str | None = None,
    muted_too: bool = False,
    people: Collection[tuple[int, str]] | None = None,
) -> list[Guide]:
    """Active coach and mentor memberships of live cohorts, with digests not muted (unless `muted_too`);
    only one person's when named, or only these people's (workspace id, Slack user id). One query, ordered
    by person, then membership.
    """
    query = (
        select(
            Member.id,
            Member.workspace_id,
            Member.slack_user_id,
            Cohort.name,
            Cohort.timezone,
            Cohort.prompt_local_time,
            Cohort.starts_on,
            Cohort.ends_on,
            Cohort.health_thresholds,
            Profile.timezone,
            Profile.working_days,
            Member.nudges_muted_until,
        )
        .join(Cohort, Cohort.id == Member.cohort_id)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .outerjoin(
            Profile,
            (Profile.workspace_id == Member.workspace_id) & (Profile.slack_user_id == Member.slack_user_id),
        )
        .where(
            Member.role.in_([Role.COACH, Role.MENTOR]),
            taking_part_at(Member, now),
            Cohort.archived_at.is_(None),
            Workspace.uninstalled_at.is_(None),
        )
        .order_by(Member.workspace_id, Member.slack_user_id, Member.id)
    )
    if not muted_too:
        query = query.where(or_(Member.nudges_muted_until.is_(None), Member.nudges_muted_until <= now))
    if workspace_id is not None and user_id is not None:
        query = query.where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
    if people is not None:
        wanted = set(people)
        query = query.where(
            Member.workspace_id.in_(sorted({ws for ws, _ in wanted})),
            Member.slack_user_id.in_(sorted({user for _, user in wanted})),
        )
        found = [_guide(row) for row in session.execute(query).all()]
        return [g for g in found if (g.workspace_id, g.user_id) in wanted]
    return [_guide(row) for row in session.execute(query).all()]


def _guide(row: Any) -> Guide:
    member_id, workspace_id, user_id, name, zone, at, starts, ends, thresholds, own_zone, days, muted = row
    threshold = HealthThresholds.from_json(thresholds).days_without_meeting
    return Guide(
        member_id, workspace_id, user_id, name, zone, at, starts, ends, threshold, own_zone, days, muted
    )


def pauses_ending(
    session: Session, people: Collection[tuple[int, str]], now: datetime
) -> dict[tuple[int, str], datetime]:
    """When each of these people's first dated pause of a coach or mentor membership ends, for those
    with one: while paused they guide nobody, so their digest is looked at again then. One query."""
    if not people:
        return {}
    wanted = set(people)
    rows = session.execute(
        select(Member.workspace_id, Member.slack_user_id, Member.paused_until)
        .join(Cohort, Cohort.id == Member.cohort_id)
        .where(
            Member.workspace_id.in_(sorted({ws for ws, _ in wanted})),
            Member.slack_user_id.in_(sorted({user for _, user in wanted})),
            Member.role.in_([Role.COACH, Role.MENTOR]),
            Member.status != MemberStatus.LEFT,
            Member.paused_until > now,
            Cohort.archived_at.is_(None),
        )
    ).all()
    ends: dict[tuple[int, str], datetime] = {}
    for workspace_id, user_id, until in rows:
        person = (workspace_id, user_id)
        if person in wanted and until is not None:
            ends[person] = min(until, ends.get(person, until))
    return ends


def take_due_digests(session: Session, now: datetime, limit: int) -> list[tuple[int, int, str]]:
    """Up to `limit` memberships whose digest is due: (member id, workspace id, Slack user id), sorted.

    Locked until the caller commits, skipping those another pass is working out.
    """
    rows = session.execute(
        select(Member.id, Member.workspace_id, Member.slack_user_id)
        .where(or_(Member.digest_due_at.is_(None), Member.digest_due_at <= now))
        .limit(limit)
        .with_for_update(skip_locked=True, key_share=True)
    ).all()  # unordered: an ORDER BY would make SQLite scan the table instead of the due-time index
    return sorted((member_id, workspace_id, user_id) for member_id, workspace_id, user_id in rows)


def store_digest_due(session: Session, due: Mapping[int, datetime]) -> None:
    """Keep when each membership's digest is next worth working out, in one statement."""
    if not due:
        return
    table = Member.__table__
    assert isinstance(table, Table)
    session.execute(
        update(table)
        .where(table.c.id == bindparam("member_id"))
        .values(digest_due_at=bindparam("due_at", type_=table.c.digest_due_at.type)),
        [{"member_id": member_id, "due_at": at} for member_id, at in sorted(due.items())],
    )


def digests_at_once(
    session: Session,
    *,
    cohort_ids: Collection[int] | None = None,
    workspace_id: int | None = None,
    user_ids: Collection[str] | None = None,
) -> None:
    """Work out again at the next pass the digests of these cohorts' members, or the workspace's, or
    these people's (`workspace_id` and `user_ids`)."""
    query = update(Member)
    if cohort_ids is not None:
        query = query.where(Member.cohort_id.in_(sorted(cohort_ids)))
    if workspace_id is not None:
        query = query.where(Member.workspace_id == workspace_id)
    if user_ids is not None:
        query = query.where(Member.slack_user_id.in_(sorted(user_ids)))
    # Rows of the session keep their own values: the due times are the planner's, read fresh by it.
    session.execute(query.values(digest_due_at=None).execution_options(synchronize_session=False))


def waiting_digests(session: Session, workspace_id: int, user_id: str) -> list[int]:
    """The person's digests not yet taken by a sender (keys digest:{user}:{day}: a day's, or one held for
    their hours), locked; one a sender holds now is left to it."""
    return list(
        session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.workspace_id == workspace_id,
                OutboxMessage.status == OutboxStatus.PENDING,
                key_starts_with(f"digest:{user_id}:"),
            )
            .with_for_update(skip_locked=True, key_share=True)
        )
    )
