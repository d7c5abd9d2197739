"""A cohort's report: read its facts in a few queries, count them, and check who may see what."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from circles.domain.own_pairs import one_of_the_pair
from circles.domain.vocabulary import MemberStatus, OutboxStatus
from circles.errors import NotAFacilitator
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort
from circles.queries import reports as facts
from circles.queries.cohorts import is_facilitator
from circles.queries.members import user_ids_by_member
from circles.queries.reports import CircleFact, HealthFact, MemberFact, PartnershipFact
from circles.services.cohorts.config import require_cohort
from circles.services.reports.figures import CircleRow, Report
from circles.services.reports.health_now import changes_now
from circles.services.reports.individual import Decrypt, opened_notes, partnership_rows
from circles.services.reports.outcomes import endings, escalation_figures, states_by_week
from circles.services.reports.people import members_by_role, participation, responses
from circles.services.reports.trends import trends
from circles.services.reports.weeks import calendar, local_day, zone


def cohort_report(
    session: Session,
    cohort: Cohort,
    now: datetime,
    *,
    individual: bool = False,
    decrypt: Decrypt | None = None,
    viewer: str | None = None,
    fresh: Sequence[HealthFact] = (),
) -> Report:
    """Everything the report shows, as of `now`; per-partnership rows only with `individual`.

    `fresh` is health worked out as of now and not stored (`changes_now`): it counts after the stored history.

    Shared notes appear in those rows only when `decrypt` is given; notes their authors kept are never read.
    A `viewer` who is one of a pair (a facilitator may also be a partner) gets nothing of that pair: not its
    row, nor its health, check-ins or escalations in any count. The caller has checked that whoever sees it
    may (see `authorized_cohort`).
    """
    at = (cohort.workspace_id, cohort.id)
    members = facts.members(session, *at)
    pairs = facts.partnerships(session, *at)
    users = user_ids_by_member(session, *at) if individual or viewer is not None else {}
    theirs = {pair.id for pair in pairs if viewer is not None and _in_pair(pair, users, viewer)}
    pairs = [pair for pair in pairs if pair.id not in theirs]
    checkins = [row for row in facts.checkins(session, *at) if row.partnership_id not in theirs]
    stored = facts.health(session, *at, with_reasons=individual)
    health = [row for row in [*stored, *fresh] if row.partnership_id not in theirs]
    escalations = facts.escalations(session, *at, leaving_out=theirs)
    weeks = calendar(_first_instant(cohort, members, pairs), now, cohort.timezone)
    rows = None
    if individual:
        notes = {}
        if decrypt is not None:
            shared = [note for note in facts.shared_notes(session, *at) if note[0] not in theirs]
            notes = opened_notes(shared, users, decrypt, cohort.timezone)
        erased = facts.erased(session, *at)
        rows = partnership_rows(pairs, checkins, health, users, notes, now, cohort.timezone, erased)
    return Report(
        slug=cohort.slug,
        cohort_name=cohort.name,
        timezone=cohort.timezone,
        generated_at=now,
        members=members_by_role(members),
        participation=participation(weeks, members, now),
        checkins=responses(weeks, checkins, now),
        states=states_by_week(weeks, pairs, health, now),
        escalations=escalation_figures(weeks, escalations, now),
        endings=endings(pairs),
        circles=tuple(_circle_row(circle, cohort.timezone) for circle in facts.circles(session, *at, now)),
        individual=rows,
        trends=trends(weeks, checkins, escalations, now),
        left_out=len(theirs),
    )


def _in_pair(pair: PartnershipFact, users: dict[int, str], viewer: str) -> bool:
    return one_of_the_pair(viewer, (users.get(pair.first_member_id), users.get(pair.second_member_id)))


def _first_instant(cohort: Cohort, members: list[MemberFact], pairs: list[PartnershipFact]) -> datetime:
    """Where the weeks begin: the cohort's start, or the first join or pairing when that came earlier."""
    start = (
        datetime.combine(cohort.starts_on, time(0), tzinfo=zone(cohort.timezone))
        if cohort.starts_on
        else cohort.created_at
    )
    return min([start, *(member.joined_at for member in members), *(pair.started_at for pair in pairs)])


def _circle_row(circle: CircleFact, timezone: str) -> CircleRow:
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


def authorized_cohort(
    session: Session, team_id: str, user_id: str | None, slug: str, *, is_admin: bool, individual: bool
) -> Cohort:
    """The cohort, if this person may see its report: its facilitators, or admins (no individual rows)."""
    cohort = require_cohort(session, team_id, slug.lower())
    facilitates = user_id is not None and is_facilitator(session, cohort.id, user_id)
    if not facilitates and (individual or not is_admin):
        raise NotAFacilitator(cohort.slug)
    return cohort


def check_report_allowed(
    uow: UnitOfWork, team_id: str, user_id: str, slug: str, *, is_admin: bool, individual: bool
) -> None:
    """Refuse (NotAFacilitator, CohortNotFound) before anything is prepared for someone who may not see it."""
    with uow:
        authorized_cohort(uow.session, team_id, user_id, slug, is_admin=is_admin, individual=individual)


def report_for(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    slug: str,
    now: datetime,
    *,
    is_admin: bool,
    individual: bool,
    decrypt: Decrypt | None = None,
) -> Report:
    """The cohort's report for one person: its facilitators (individual rows only for them) and admins.

    Nothing of a pair this person is one of: it is left out, and the report says how many were. This week's
    states are worked out as of now, as the board shows them, and nothing is written: `uow` may only read.
    """
    with uow:
        session = uow.session
        cohort = authorized_cohort(session, team_id, user_id, slug, is_admin=is_admin, individual=individual)
        fresh = changes_now(session, [cohort.id], now)[cohort.id]
        return cohort_report(
            session, cohort, now, individual=individual, decrypt=decrypt, viewer=user_id, fresh=fresh
        )
