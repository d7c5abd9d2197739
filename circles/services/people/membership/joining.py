"""Joining a cohort: the roles it offers, a join of one's own, and being added by someone else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from circles.domain.cohort_rules import roles_for
from circles.domain.vocabulary import MemberStatus, Role
from circles.errors import RoleNotOffered
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Member
from circles.queries.members import add_member_once, hold_membership, member_in
from circles.queries.profiles import find_profile, hold_profiles
from circles.services.cohorts.lookup import require_cohort
from circles.services.cohorts.named import NamedCohort
from circles.services.people.profiles.fields import written
from circles.services.people.welcome import welcome_added
from circles.services.planning.replan import replan_person


def begin_again(member: Member, now: datetime) -> None:
    """Start the membership's stint now: a return after leaving keeps the time they were here before on
    record (`earlier_stints`, which reports count joins and leaves from), as a join or a cohort file's
    bringing them back does."""
    if member.left_at is not None:
        earlier = [member.joined_at.isoformat(), member.left_at.isoformat()]
        member.earlier_stints = [*(member.earlier_stints or []), earlier]
    member.joined_at, member.left_at = now, None


@dataclass(frozen=True)
class JoinChoice(NamedCohort):
    """What someone sees before joining: the cohort and the roles it offers."""

    roles: tuple[Role, ...]
    current_role: Role | None  # set when they are already an active or paused member


@dataclass(frozen=True)
class Joined(NamedCohort):
    """The cohort someone joined, in which role."""

    role: Role
    already: bool  # joining twice is harmless: nothing changed
    has_profile: bool  # something they wrote on a profile of theirs (`written`): else the form opens


def join_choice(uow: UnitOfWork, team_id: str, slug: str, user_id: str) -> JoinChoice:
    """The cohort and the roles it offers, for someone about to join; their role if they are in it."""
    with uow:
        cohort = require_cohort(uow.session, team_id, slug.lower())
        member = member_in(uow.session, cohort.id, user_id)
        current = member.role if member and member.status is not MemberStatus.LEFT else None
        return JoinChoice(cohort.slug, cohort.name, roles_for(cohort.pairing_mode), current)


def join(uow: UnitOfWork, team_id: str, slug: str, user_id: str, role: Role, now: datetime) -> Joined:
    """Add the person with this role; a second join changes nothing, a return after leaving rejoins."""
    with uow:
        joined, _ = _join(uow.session, team_id, slug, user_id, role, now)
        if not joined.already:
            uow.commit()
        return joined


def add_to_cohort(
    uow: UnitOfWork, team_id: str, slug: str, user_id: str, role: Role, now: datetime
) -> Joined:
    """Someone else adds the person, as `join` would; a membership that begins now is welcomed privately."""
    with uow:
        joined, member = _join(uow.session, team_id, slug, user_id, role, now)
        if member is not None:
            welcome_added(uow.session, uow.session.get_one(Cohort, member.cohort_id), [member], now)
            uow.commit()
        return joined


def _join(
    session: Session, team_id: str, slug: str, user_id: str, role: Role, now: datetime
) -> tuple[Joined, Member | None]:
    """Where the person stands after joining, and their membership when it begins now."""
    cohort = require_cohort(session, team_id, slug)
    offered = roles_for(cohort.pairing_mode)
    # Their profile, then their memberships, held and read again, in the order an erasure takes them: of two
    # at once the second reads what the first saved. A join after an erasure finds no profile (the form
    # follows), one before it makes the erasure refuse; of two returns (two workflow runs, a run and a join)
    # the second finds the first one's and welcomes nobody again. A first join to a cohort waits too.
    hold_profiles(session, cohort.workspace_id, [user_id])
    member = hold_membership(session, cohort, user_id)
    has_profile = written(find_profile(session, cohort.workspace_id, user_id))
    if member is not None and member.status is not MemberStatus.LEFT:
        return Joined(cohort.slug, cohort.name, member.role, already=True, has_profile=has_profile), None
    if role not in offered:
        raise RoleNotOffered(role.value, [r.value for r in offered])
    if member is None:
        member = add_member_once(session, cohort, user_id, role, MemberStatus.ACTIVE, now)
        if member is None:  # the same person's other press got there first: that join stands
            member = member_in(session, cohort.id, user_id)
            role = member.role if member is not None else role
            return Joined(cohort.slug, cohort.name, role, already=True, has_profile=has_profile), None
    begin_again(member, now)
    member.role, member.status = role, MemberStatus.ACTIVE
    member.paused_until = None
    replan_person(session, cohort.workspace_id, user_id)
    return Joined(cohort.slug, cohort.name, role, already=False, has_profile=has_profile), member
