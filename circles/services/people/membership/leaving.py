"""Stepping back: leaving one cohort (its partnerships end without fault), and pausing every membership
for a while (resuming: `resuming`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from circles.domain.health.paused import started
from circles.domain.requests import cohort_over
from circles.domain.vocabulary import EndReason, MemberStatus
from circles.errors import CohortEnded, InvalidPause, NotAMember, WhichCohort
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Member
from circles.queries.members import hold_person, memberships_of
from circles.queries.partnerships import Running, running_partnerships
from circles.services.cohorts.lookup import require_cohort
from circles.services.cohorts.named import NamedCohort
from circles.services.escalations.sending import Admins, admins_of
from circles.services.health.due import look_at_person
from circles.services.intake.workspaces import find_workspace
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.partnerships.endings import end_partnerships
from circles.services.partnerships.notices import changed_notices
from circles.services.partnerships.request_notices import close_requests_of
from circles.services.people.circle_exit import remove_from_circles
from circles.services.people.circle_shrink import tell_circles_shrunk
from circles.services.people.welcome import withdraw_welcome
from circles.services.planning.replan import replan_person

MAX_PAUSE_WEEKS = 26


@dataclass(frozen=True)
class Left(NamedCohort):
    """The cohort someone left, and whom to tell."""

    former_partners: list[str]  # Slack user IDs of the partners told, through the outbox, that it ended


def leave(
    uow: UnitOfWork, team_id: str, slug: str | None, user_id: str, now: datetime, *, admins: Admins = ()
) -> Left:
    """Leave one cohort (the only one when no slug is given); its partnerships end without fault. The
    `admins` hear of a circle left short when none of its facilitators can (`tell_circles_shrunk`)."""
    with uow:
        # Behind a round being confirmed (another replica): its new pairs are read below and ended too; a
        # round confirmed after this leave finds its preview stale. The same leave taken twice at once finds
        # the cohort left by the first.
        member, cohort = _one_membership(uow.session, team_id, slug, user_id)
        member.status, member.left_at, member.paused_until = MemberStatus.LEFT, now, None
        running = running_partnerships(uow.session, [member.id])
        end_partnerships(uow.session, [r.pair for r in running], EndReason.MEMBER_LEFT, now)
        close_requests_of(uow.session, cohort, [member.id], now)  # nobody waits for an answer
        _tell_former_partners(uow.session, cohort, running, now)
        remove_from_circles(uow.session, cohort, member, now)  # no longer reading the circle's prompts
        runners = admins_of(admins, cohort.workspace_id)
        tell_circles_shrunk(uow.session, cohort, member, now, runners)  # those left, when few are
        withdraw_welcome(uow.session, cohort, user_id)
        replan_person(uow.session, cohort.workspace_id, user_id)
        uow.commit()
        return Left(cohort.slug, cohort.name, [r.partner.slack_user_id for r in running])


def _tell_former_partners(session: Session, cohort: Cohort, ended: list[Running], now: datetime) -> None:
    """Each former partner's notice, through the outbox like any other partnership change: keyed on the
    pair, which ends once, so a leave retried or raced on another replica tells nobody twice."""
    notices = changed_notices(session, cohort, {r.partner.id: r.pair for r in ended})
    messages = [
        Outgoing(
            f"partnership:{r.pair.id}:ended:partner",
            r.partner.slack_user_id,
            notices[r.partner.id],
        )
        for r in ended
    ]
    enqueue_many(session, cohort.workspace_id, messages, now, now)


def pause(uow: UnitOfWork, team_id: str, user_id: str, weeks: int | None, now: datetime) -> datetime | None:
    """Pause every membership not left of a cohort whose last day is not over in its own time zone, for
    some weeks or until resumed; returns when it ends. A pause asked again (to change its end, or after a
    dated one ran out) applies from now to every such cohort. With every cohort of theirs over, CohortEnded:
    nothing is paused, nobody hears of it."""
    if weeks is not None and not 1 <= weeks <= MAX_PAUSE_WEEKS:
        raise InvalidPause()
    until = now + timedelta(weeks=weeks) if weeks else None
    with uow:
        mine = held_memberships(uow.session, team_id, user_id)
        if not mine:
            raise NotAMember(None)
        current = [m for m, c in mine if not cohort_over(c.ends_on, c.timezone, now)]
        if not current:
            raise CohortEnded(sorted(cohort.slug for _, cohort in mine))
        for member in current:
            # Kept as a span: time on hold for their pairs, never counted against their health.
            ran_out = member.paused_until if member.status is MemberStatus.PAUSED else None
            member.pauses = started(member.pauses, now, _running(member, now), ran_out)
            member.status, member.paused_until = MemberStatus.PAUSED, until
        replan_person(uow.session, current[0].workspace_id, user_id)
        look_at_person(uow.session, current[0].workspace_id, user_id, now)
        uow.commit()
    return until


def _running(member: Member, now: datetime) -> bool:
    """Paused now: until resumed, or until a date still to come."""
    if member.status is not MemberStatus.PAUSED:
        return False
    return member.paused_until is None or member.paused_until > now


def _one_membership(session: Session, team_id: str, slug: str | None, user_id: str) -> tuple[Member, Cohort]:
    current = held_memberships(session, team_id, user_id)
    if slug is not None:
        named = require_cohort(session, team_id, slug.lower())
        current = [(m, c) for m, c in current if c.id == named.id]
        if not current:
            raise NotAMember(named.slug)
        return current[0]
    if not current:
        raise NotAMember(None)
    if len(current) > 1:
        raise WhichCohort(sorted(cohort.slug for _, cohort in current))
    return current[0]


def held_memberships(session: Session, team_id: str, user_id: str) -> list[tuple[Member, Cohort]]:
    """The person's memberships they have not left, of cohorts not archived (an archived cohort is nothing
    to leave, pause or resume), each with its cohort, read once they and their cohorts are locked
    (`hold_person`)."""
    workspace = find_workspace(session, team_id)
    if workspace is None:
        return []
    cohorts = hold_person(session, workspace.id, user_id)
    # A membership added since the lock (a join does not wait for it) brings its cohort with one more read.
    held = [
        (m, cohorts.get(m.cohort_id) or session.get_one(Cohort, m.cohort_id))
        for m in memberships_of(session, workspace.id, user_id)
    ]
    return [(m, c) for m, c in held if c.archived_at is None and m.status is not MemberStatus.LEFT]
