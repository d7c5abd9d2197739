"""Coaches and mentors as their digests see them: who may get one, when each one's is next due, and the
pairs a digest speaks of."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session

from circles.domain.cohort_settings import HealthThresholds
from circles.domain.health.unasked import unasked_spans
from circles.domain.nudges import PairActivity
from circles.domain.vocabulary import MemberStatus, PartnershipStatus, Role
from circles.persistence.models import CheckIn, Cohort, Member, Partnership, Profile, Workspace
from circles.queries.checkins import asked_at


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
            Member.status == MemberStatus.ACTIVE,
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


def pair_activity(
    session: Session, guide_ids: Collection[int], now: datetime
) -> dict[int, list[PairActivity]]:
    """Each guide's active pairs: the partner, the latest meeting, the guide's own waiting check-ins, and
    the gaps in which no check-in was asked though one was due (no days without meeting, as in health)."""
    if not guide_ids:
        return {}
    rows = session.execute(
        select(
            Partnership.id,
            Partnership.first_member_id,
            Partnership.started_at,
            Member.slack_user_id,
            Cohort.checkin_every_weeks,
        )
        .join(Member, Member.id == Partnership.second_member_id)
        .join(Cohort, Cohort.id == Partnership.cohort_id)
        .where(
            Partnership.first_member_id.in_(sorted(guide_ids)),
            Partnership.status == PartnershipStatus.ACTIVE,
        )
    ).all()
    pair_ids = [pair_id for pair_id, *_ in rows]
    met = dict(
        session.execute(
            select(CheckIn.partnership_id, func.max(CheckIn.answered_at))
            .where(CheckIn.partnership_id.in_(pair_ids), CheckIn.met.is_(True))
            .group_by(CheckIn.partnership_id)
        ).all()
    )
    cutoff = now - timedelta(days=1)  # a check-in waits for an answer once a day has gone by
    asked = asked_at()  # from when its question went: one held for the guide's hours waits from then
    waiting = {
        pair_id: (int(count), soonest)
        for pair_id, count, soonest in session.execute(
            select(
                CheckIn.partnership_id,
                func.count(case((asked <= cutoff, 1))),
                func.min(case((asked > cutoff, asked))),
            )
            .join(Partnership, Partnership.id == CheckIn.partnership_id)
            .where(
                CheckIn.partnership_id.in_(pair_ids),
                CheckIn.member_id == Partnership.first_member_id,
                CheckIn.answered_at.is_(None),
            )
            .group_by(CheckIn.partnership_id)
        ).all()
    }
    instants: dict[int, list[datetime]] = defaultdict(list)  # each pair's check-ins asked, in order
    for pair_id, at in session.execute(
        select(CheckIn.partnership_id, asked)
        .where(CheckIn.partnership_id.in_(pair_ids), asked <= now)
        .distinct()
        .order_by(CheckIn.partnership_id, asked)
    ).all():
        instants[pair_id].append(at)
    found: dict[int, list[PairActivity]] = defaultdict(list)
    for pair_id, guide_id, started_at, partner, weeks in rows:
        count, soonest = waiting.get(pair_id, (0, None))
        later = None if soonest is None else soonest + timedelta(days=1)
        every = timedelta(weeks=weeks) if weeks and weeks > 0 else None
        unasked = unasked_spans(instants.get(pair_id, ()), every)
        found[guide_id].append(PairActivity(partner, started_at, met.get(pair_id), count, later, unasked))
    return dict(found)
