"""Coaches' and mentors' daily digest: at most one a day each, at the cohort's prompt time, unless muted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from circles.domain.cohort_rules import is_time_zone
from circles.domain.cohort_settings import HealthThresholds
from circles.domain.nudges import Nudge, PairActivity, nudges_for
from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import MemberStatus, PartnershipStatus, Role
from circles.errors import NotAMember
from circles.persistence.db import UnitOfWork
from circles.persistence.models import CheckIn, CoachRequest, Cohort, Member, Partnership, Profile
from circles.services.outbox import Outgoing, enqueue_many
from circles.services.workspaces import find_workspace

WINDOW = timedelta(hours=8)  # a digest missed by the morning waits for the next day, not the evening
MAX_MUTE_WEEKS = 12


@dataclass(frozen=True)
class NudgeSummary:
    digests: int
    guides_checked: int


def plan_nudges(session: Session, now: datetime) -> NudgeSummary:
    """Record today's digest for each active coach or mentor with something to act on (set-based)."""
    guides = session.execute(
        select(Member, Cohort, Profile.timezone)
        .join(Cohort, Cohort.id == Member.cohort_id)
        .outerjoin(
            Profile,
            (Profile.workspace_id == Member.workspace_id) & (Profile.slack_user_id == Member.slack_user_id),
        )
        .where(
            Member.role.in_([Role.COACH, Role.MENTOR]),
            Member.status == MemberStatus.ACTIVE,
            or_(Member.nudges_muted_until.is_(None), Member.nudges_muted_until <= now),
            Cohort.archived_at.is_(None),
        )
    ).all()
    due = [(m, c, z) for m, c, z in guides if _running(c, now) and _local_window(c, z, now) is not None]
    if not due:
        return NudgeSummary(0, len(guides))
    ids = [m.id for m, _, _ in due]
    pairs = _pairs(session, ids, now)
    requests = dict(
        session.execute(
            select(CoachRequest.coach_member_id, func.count())
            .where(CoachRequest.coach_member_id.in_(ids), CoachRequest.status == RequestStatus.OPEN)
            .group_by(CoachRequest.coach_member_id)
        ).all()
    )
    digests = 0
    for member, cohort, zone in due:
        days = HealthThresholds.from_json(cohort.health_thresholds).days_without_meeting
        items = nudges_for(pairs.get(member.id, []), int(requests.get(member.id, 0)), now, days)
        if not items:
            continue
        local_day = _local_window(cohort, zone, now)
        message = Outgoing(
            key=f"nudge:{member.id}:{local_day}",
            channel=member.slack_user_id,
            template="coach_digest",
            args={
                "member_id": member.id,
                "cohort_name": cohort.name,
                "nudges": [_plain(n) for n in items],
            },
        )
        digests += enqueue_many(session, cohort.workspace_id, [message], now, now)
    return NudgeSummary(digests, len(guides))


def mute_nudges(
    uow: UnitOfWork, team_id: str, user_id: str, member_id: int, weeks: int, now: datetime
) -> datetime:
    """Mute the person's own digest for a few weeks; returns when it starts again."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        member = uow.session.get(Member, member_id)
        theirs = workspace is not None and member is not None and member.workspace_id == workspace.id
        if not theirs or member is None or member.slack_user_id != user_id:
            raise NotAMember(None)
        member.nudges_muted_until = now + timedelta(weeks=max(1, min(weeks, MAX_MUTE_WEEKS)))
        uow.commit()
        return member.nudges_muted_until


def _pairs(session: Session, guide_ids: list[int], now: datetime) -> dict[int, list[PairActivity]]:
    rows = session.execute(
        select(Partnership, Member.slack_user_id)
        .join(Member, Member.id == Partnership.second_member_id)
        .where(Partnership.first_member_id.in_(guide_ids), Partnership.status == PartnershipStatus.ACTIVE)
    ).all()
    pair_ids = [p.id for p, _ in rows]
    met = dict(
        session.execute(
            select(CheckIn.partnership_id, func.max(CheckIn.answered_at))
            .where(CheckIn.partnership_id.in_(pair_ids), CheckIn.met.is_(True))
            .group_by(CheckIn.partnership_id)
        ).all()
    )
    waiting = dict(
        session.execute(
            select(CheckIn.partnership_id, func.count())
            .join(Partnership, Partnership.id == CheckIn.partnership_id)
            .where(
                CheckIn.partnership_id.in_(pair_ids),
                CheckIn.member_id == Partnership.first_member_id,
                CheckIn.answered_at.is_(None),
                CheckIn.due_at <= now - timedelta(days=1),
            )
            .group_by(CheckIn.partnership_id)
        ).all()
    )
    found: dict[int, list[PairActivity]] = {}
    for pair, partner in rows:
        activity = PairActivity(partner, pair.started_at, met.get(pair.id), int(waiting.get(pair.id, 0)))
        found.setdefault(pair.first_member_id, []).append(activity)
    return found


def _running(cohort: Cohort, now: datetime) -> bool:
    today = now.astimezone(ZoneInfo(cohort.timezone)).date()
    return not (cohort.starts_on and today < cohort.starts_on) and not (
        cohort.ends_on and today > cohort.ends_on
    )


def _local_window(cohort: Cohort, zone: str | None, now: datetime) -> str | None:
    """The person's local date when now falls in their digest window (from the cohort's prompt time)."""
    tz = ZoneInfo(zone if zone and is_time_zone(zone) else cohort.timezone)
    local = now.astimezone(tz)
    start = datetime.combine(local.date(), cohort.prompt_local_time or time(9), tzinfo=tz)
    return local.date().isoformat() if start <= local < start + WINDOW else None


def _plain(nudge: Nudge) -> dict[str, object]:
    return {"kind": nudge.kind.value, "partner": nudge.partner_user_id, "count": nudge.count}
