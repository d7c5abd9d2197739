"""One cohort's report from the facts read for it: pure counting, nothing read here."""

from __future__ import annotations

from datetime import datetime, time
from typing import NamedTuple

from circles.domain.vocabulary import MemberStatus, OutboxStatus
from circles.persistence.models import Cohort
from circles.queries import reports as facts
from circles.services.reports.figures import Report, standing_now
from circles.services.reports.outcomes import endings, escalation_figures, states_by_week
from circles.services.reports.people import mean_rating, members_by_role, participation, responses
from circles.services.reports.rows import CircleRow, PartnershipRow
from circles.services.reports.trends import trends
from circles.services.reports.weeks import calendar, local_day, zone


class CohortFacts(NamedTuple):
    """What one cohort's report counts, its viewer's own pairs left out."""

    members: list[facts.MemberFact]
    pairs: list[facts.PartnershipFact]
    checkins: list[facts.CheckInFact]
    health: list[facts.HealthFact]  # stored, then worked out as of now
    escalations: list[facts.EscalationFact]
    circles: list[facts.CircleFact]


def assemble(
    cohort: Cohort, now: datetime, read: CohortFacts, rows: tuple[PartnershipRow, ...] | None, left_out: int
) -> Report:
    weeks = calendar(_first_instant(cohort, read.members, read.pairs), now, cohort.timezone)
    return Report(
        slug=cohort.slug,
        cohort_name=cohort.name,
        timezone=cohort.timezone,
        generated_at=now,
        members=members_by_role(read.members),
        participation=participation(weeks, read.members, now),
        checkins=responses(weeks, read.checkins, now),
        states=states_by_week(weeks, read.pairs, read.health, now),
        escalations=escalation_figures(weeks, read.escalations, now),
        endings=endings(read.pairs),
        circles=tuple(_circle_row(circle, cohort.timezone) for circle in read.circles),
        individual=rows,
        trends=trends(weeks, read.checkins, read.escalations, now),
        left_out=left_out,
        mean_rating=mean_rating(read.checkins, now),
        seated_now=_seated_now(read.circles),
    )


def _seated_now(circles: list[facts.CircleFact]) -> int:
    """Members active in the cohort's circles now, each once however many of them they sit in."""
    standing = standing_now([(circle.round, circle.dissolved_at is not None) for circle in circles])
    seated = [circle.active_members for circle, now in zip(circles, standing, strict=True) if now]
    return len(frozenset[int]().union(*seated))


def _first_instant(
    cohort: Cohort, members: list[facts.MemberFact], pairs: list[facts.PartnershipFact]
) -> datetime:
    """Where the weeks begin: the cohort's start, or the first join (a stint before the latest one
    included) or pairing when that came earlier."""
    start = (
        datetime.combine(cohort.starts_on, time(0), tzinfo=zone(cohort.timezone))
        if cohort.starts_on
        else cohort.created_at
    )
    joins = (joined for member in members for joined in member.joins())
    return min([start, *joins, *(pair.started_at for pair in pairs)])


def _circle_row(circle: facts.CircleFact, timezone: str) -> CircleRow:
    waiting = circle.prompts[OutboxStatus.PENDING] + circle.prompts[OutboxStatus.CLAIMED]
    return CircleRow(
        name=circle.name,
        round=circle.round,
        formed_on=local_day(circle.created_at, timezone),
        dissolved_on=local_day(circle.dissolved_at, timezone) if circle.dissolved_at else None,
        members=sum(circle.members.values()),
        active=circle.members[MemberStatus.ACTIVE],
        paused=circle.members[MemberStatus.PAUSED],
        left=circle.members[MemberStatus.LEFT],
        prompts_sent=circle.prompts[OutboxStatus.SENT],
        prompts_missed=circle.prompts[OutboxStatus.MISSED],
        prompts_failed=circle.prompts[OutboxStatus.FAILED],
        prompts_waiting=waiting,
    )
