"""What a person's place in each cohort looks like now, and what comes next."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from circles.domain.cohort_rules import roles_for, slug_problem
from circles.domain.planning.ahead import Hold, Next
from circles.domain.presence import status_now
from circles.domain.requests import cohort_over
from circles.domain.vocabulary import MemberStatus, PairingMode, Role
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Member
from circles.queries.cohorts import count_facilitated, facilitated_cohorts
from circles.queries.members import head_counts
from circles.queries.members.standing import AskedOf, Standing, current_standing
from circles.queries.pair_states import with_ended_partnerships
from circles.services.cohorts.named import NamedCohort
from circles.services.intake.workspaces import find_workspace
from circles.services.partnerships.running import (
    CircleStatus,
    PartnerStatus,
    current_circles,
    running_partners,
)
from circles.services.people.next_dates import next_dates


@dataclass(frozen=True)
class CohortStatus(NamedCohort):
    """A person's place in one cohort: every current circle, every running partnership, what comes next."""

    role: Role
    status: MemberStatus
    paused_until: datetime | None
    circles: tuple[CircleStatus, ...] = ()
    partners: tuple[PartnerStatus, ...] = ()
    next_prompt: datetime | None = None
    next_checkin: datetime | None = None
    # How the cohort pairs this member (NONE: it does not, e.g. circles only, or the cohort is over).
    pairing: PairingMode = PairingMode.NONE
    # A partnership of theirs ended and none runs now.
    partnership_ended: bool = False
    # A learner with no partner: the coach or mentor they asked, who has not answered yet.
    asked: AskedOf | None = None
    # A coach or mentor: how many learners' requests they can answer now.
    requests_to_answer: int = 0
    # ... while they have no room for another learner (capacity taken), so accepting needs more room first.
    no_room: bool = False
    # What held back the occurrences before the next (or all of them, when there is none); None: nothing.
    prompt_held: Hold | None = None
    checkin_held: Hold | None = None


@dataclass(frozen=True)
class RunCohort(NamedCohort):
    """A cohort someone facilitates, with head counts by role and status."""

    counts: Counter[tuple[Role, MemberStatus]] = field(default_factory=Counter)

    def active(self, role: Role) -> int:
        return self.counts[(role, MemberStatus.ACTIVE)]


def my_status(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime, *, slug: str | None = None
) -> list[CohortStatus]:
    """Every cohort the person has not left (or only `slug`), with their circles, partners and next dates.

    Three queries whatever the number of cohorts, circles, partnerships, away blocks and requests waiting for
    an answer, and a fourth when some membership of a cohort that pairs people has no partner now (did one
    end?).
    """
    if slug is not None and slug_problem(slug):  # a button's value is hostile input: no cohort is named so
        return []
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return []
        standing, own_zone = current_standing(uow.session, workspace.id, user_id, now, cohort_slug=slug)
        ids = [each.member.id for each in standing]
        partners = running_partners(uow.session, ids, now)
        circles = current_circles(uow.session, ids)
        pairing = {each.member.id: _pairing(each.member, each.cohort, now) for each in standing}
        alone = [id_ for id_ in ids if pairing[id_] is not PairingMode.NONE and id_ not in partners]
        ended = with_ended_partnerships(uow.session, alone)
        return [
            replace(
                _status(
                    each, circles.get(each.member.id, []), partners.get(each.member.id, []), own_zone, now
                ),
                pairing=pairing[each.member.id],
                partnership_ended=each.member.id in ended,
            )
            for each in standing
        ]


def cohorts_run_by(uow: UnitOfWork, team_id: str, user_id: str, now: datetime) -> list[RunCohort]:
    """The cohorts this person facilitates, with their members counted in one grouped query."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return []
        return run_cohorts(uow.session, facilitated_cohorts(uow.session, workspace.id, user_id), now)


def runs_count(uow: UnitOfWork, team_id: str, user_id: str) -> int:
    """How many cohorts this person facilitates: one count, whatever the number."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        return count_facilitated(uow.session, workspace.id, user_id) if workspace else 0


def run_cohorts(session: Session, cohorts: list[Cohort], now: datetime) -> list[RunCohort]:
    """These cohorts, in this order, with their members counted at `now` in one grouped query."""
    counts = head_counts(session, [cohort.id for cohort in cohorts], now)
    return [RunCohort(cohort.slug, cohort.name, counts.get(cohort.id, Counter())) for cohort in cohorts]


def _pairing(member: Member, cohort: Cohort, now: datetime) -> PairingMode:
    """How the cohort pairs this member: NONE when it forms no partnerships for their role, or is over."""
    mode = cohort.pairing_mode
    if mode is PairingMode.NONE or member.role not in roles_for(mode):
        return PairingMode.NONE
    if cohort_over(cohort.ends_on, cohort.timezone, now):
        return PairingMode.NONE
    return mode


def _status(
    standing: Standing,
    circles: list[CircleStatus],
    partners: list[PartnerStatus],
    own_zone: str | None,
    now: datetime,
) -> CohortStatus:
    """Circle prompts come at the cohort's time in its zone, into their circles (none while they are in
    none); check-ins at that time in the member's own; each as the planner sends them (`next_dates`). A
    learner's request shows while they have no partner, are not paused (it waits for their return), the
    cohort is not over and still pairs learners with coaches or mentors."""
    member, cohort = standing.member, standing.cohort
    status = status_now(member.status, member.paused_until, now)  # a dated pause ends at its date
    active = status is MemberStatus.ACTIVE
    # While paused, their status says until when; the dates that follow it are for when they are back.
    # `circles` are those of the round that gets prompts, read already: whether they have one costs nothing.
    # A circle its others all left gets no prompts (the one left was told): no date is promised for it.
    meets = any(circle.meets for circle in circles)
    dates = (
        next_dates(standing, partners, own_zone, now, seated=bool(circles), meets=meets) if active else None
    )
    prompt, checkin = dates or (Next(None), Next(None))
    over = cohort_over(cohort.ends_on, cohort.timezone, now)  # its requests can no longer be accepted
    # Nor can they where the cohort no longer pairs learners with coaches (as `answerable` counts them).
    guided = cohort.pairing_mode.guided
    looking = active and member.role is Role.LEARNER and not partners and not over and guided
    return CohortStatus(
        slug=cohort.slug,
        name=cohort.name,
        role=member.role,
        status=status,
        paused_until=member.paused_until if status is MemberStatus.PAUSED else None,
        circles=tuple(circles),
        partners=tuple(partners),
        next_prompt=prompt.at,
        next_checkin=checkin.at,
        prompt_held=prompt.held,
        checkin_held=checkin.held,
        asked=standing.asked if looking else None,
        requests_to_answer=standing.to_answer,
        no_room=standing.full and standing.to_answer > 0,
    )
