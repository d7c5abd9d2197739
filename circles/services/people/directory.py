"""The coach and mentor directory: who guides in my cohorts, best fit first, and how much room they have."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from circles.domain.fit import Candidate, Ranked, rank, terms, wanted_terms
from circles.domain.presence import taking_part
from circles.domain.requests import cohort_over, remaining_capacity
from circles.domain.vocabulary import PartnershipKind, Role
from circles.errors import NotInAnyCohort
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Member, Profile
from circles.queries.cohorts import facilitated_cohorts
from circles.queries.match_constraints import kept_from
from circles.queries.members import current_memberships, guides_taking_part
from circles.queries.partnerships import guided_counts, running_partnerships
from circles.queries.profiles import capacity_of, find_profile
from circles.services.intake.workspaces import find_workspace


class Basis(StrEnum):
    """What the directory was ranked against."""

    TOPIC = "topic"
    PROFILE = "profile"  # the caller's own aspirations and interests
    NOTHING = "nothing"  # no topic and an empty profile: fit cannot be judged


@dataclass(frozen=True)
class Entry:
    cohort_slug: str
    cohort_name: str
    user_id: str
    role: Role
    skills: str
    offers: str
    remaining: int
    matches: tuple[str, ...]
    can_request: bool  # the caller is an active learner of this cohort
    offered: int | None = None  # the partners they said they take (0: none for now); None: not said yet

    @property
    def full(self) -> bool:
        """No place to ask for: taken, none offered, or none opened yet (as matching counts them)."""
        return self.remaining <= 0

    @property
    def unopened(self) -> bool:
        """They have not said how many partners they take yet: not full, just no places opened."""
        return self.offered is None


@dataclass(frozen=True)
class Directory:
    entries: list[Entry]
    basis: Basis
    paused: bool = False  # the caller is a paused learner somewhere: they ask once they resume
    guided: frozenset[str] = frozenset()  # the cohorts (slugs) where the caller has a coach or mentor now
    runs_only: bool = False  # the caller is in none of these cohorts, only runs some


def directory(uow: UnitOfWork, team_id: str, user_id: str, topic: str | None, *, now: datetime) -> Directory:
    """Coaches and mentors of the caller's cohorts (those they have not left, and those they run) that pair
    learners with coaches or mentors (not circles only, nor peers: those pair nobody with the coaches they
    may still have, as `/circles status` says), best fit first, full ones last; none the caller is kept
    apart from (as matching keeps them).

    The caller may ask those of the cohorts they are an active learner of (someone paused looks, and asks
    once back: a dated pause is over at its date), only while the cohort's last day is not over (its coaches
    are still listed)."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        mine = current_memberships(uow.session, workspace.id, user_id) if workspace else []
        runs = facilitated_cohorts(uow.session, workspace.id, user_id) if workspace else []
        if workspace is None or not (mine or runs):
            raise NotInAnyCohort()
        cohorts = {c.id: c for c in [*runs, *(c for _, c in mine)] if c.pairing_mode.guided}
        paired = [(m, c) for m, c in mine if c.id in cohorts]
        asking = {
            m.id: c
            for m, c in paired
            if m.role is Role.LEARNER
            and taking_part(m.status, m.paused_until, now)
            and not cohort_over(c.ends_on, c.timezone, now)
        }
        guided = _guided(uow.session, asking)  # one query: a learner with a coach or mentor asks no other
        learner_of = {c.id for id_, c in asking.items() if id_ not in guided}
        guides = guides_taking_part(uow.session, workspace.id, cohorts, now, besides=user_id)
        # Nobody matching would never pair with the caller: a facilitator's conflict, or either's own list.
        kept = kept_from(uow.session, workspace.id, user_id)
        guides = [(m, p) for m, p in guides if m.slack_user_id not in kept]
        partners = guided_counts(uow.session, workspace.id, {m.slack_user_id for m, _ in guides})
        own = find_profile(uow.session, workspace.id, user_id)
        candidates = [
            Candidate(
                item=(m, cohorts[m.cohort_id]),
                name=(p.display_name if p else None) or m.slack_user_id,
                skills=p.skills if p else "",
                offers=p.offers if p else "",
                interests=p.interests if p else "",
                remaining=remaining_capacity(places(p), partners.get(m.slack_user_id, 0)),
                tiebreak=f"{m.slack_user_id}:{m.cohort_id}",
            )
            for m, p in guides
        ]
    wanted = wanted_terms(topic, own.aspirations if own else "", own.interests if own else "")
    basis = Basis.TOPIC if terms(topic or "") else Basis.PROFILE if wanted else Basis.NOTHING
    offered = {m.slack_user_id: p.capacity if p else None for m, p in guides}
    entries = [_entry(ranked, learner_of, offered) for ranked in rank(candidates, wanted)]
    paused = any(m.role is Role.LEARNER and not taking_part(m.status, m.paused_until, now) for m, _ in paired)
    return Directory(entries, basis, paused, frozenset(asking[id_].slug for id_ in guided), not mine)


def _guided(session: Session, learners: Collection[int]) -> set[int]:
    """Which of these learner memberships has a coach or mentor now (a paused pair comes back)."""
    return {
        running.member_id
        for running in running_partnerships(session, learners)
        if running.pair.kind is not PartnershipKind.PEER
        and running.pair.second_member_id == running.member_id
    }


def _entry(
    ranked: Ranked[tuple[Member, Cohort]], learner_of: set[int], offered: dict[str, int | None]
) -> Entry:
    member, cohort = ranked.candidate.item
    return Entry(
        cohort_slug=cohort.slug,
        cohort_name=cohort.name,
        user_id=member.slack_user_id,
        role=member.role,
        skills=ranked.candidate.skills,
        offers=ranked.candidate.offers,
        remaining=ranked.candidate.remaining,
        matches=ranked.matches,
        can_request=cohort.id in learner_of,
        offered=offered.get(member.slack_user_id),
    )


def room(session: Session, workspace_id: int, user_id: str, lock: bool = False) -> int:
    """Partners this person can still take (none while they have not said how many); with lock, hold their
    profile row while the caller decides."""
    capacity = capacity_of(session, workspace_id, user_id, lock=lock) or 0
    return remaining_capacity(capacity, guided_counts(session, workspace_id, {user_id}).get(user_id, 0))


def places_opened(session: Session, workspace_id: int, user_id: str) -> bool:
    """Whether this person has said how many partners they take (0 included)."""
    return capacity_of(session, workspace_id, user_id) is not None


def places(profile: Profile | None) -> int:
    """The partners a profile offers: none while not said, as matching counts them (`offering_none`)."""
    return (profile.capacity if profile else None) or 0
