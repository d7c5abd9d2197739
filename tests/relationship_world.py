"""A coach with several learners in two cohorts: running, paused and ended partnerships, circles by round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.orm import Session

from circles.domain.vocabulary import EndReason, PairingMode, PartnershipStatus, Role
from circles.persistence.models import Circle, Cohort, Member, Partnership, Workspace
from tests import factories
from tests.e2e.days import years_ahead

COACH = "U0COACH"
# The cohorts' first Monday, 09:00 in Chicago: the dates the tests give are written for it. A test that also
# reaches the app over HTTP, which dates what it is told by the real clock, moves the world by whole years.
WRITTEN_FOR = datetime(2027, 1, 4, 15, tzinfo=UTC)
YEARS_ON = years_ahead(WRITTEN_FOR)


@dataclass(frozen=True)
class World:
    """Ids a test needs: the partnerships by learner, and the cohorts by slug."""

    partnerships: dict[str, int]
    cohorts: dict[str, int]


def cohort(
    session: Session, ws: Workspace, slug: str, name: str, years_on: timedelta = timedelta(0)
) -> Cohort:
    row = factories.cohort(session, ws, slug, name)
    row.pairing_mode = PairingMode.COACH_LEARNER
    row.timezone, row.prompt_weekday, row.prompt_local_time = "America/Chicago", 0, time(9)
    row.starts_on, row.checkin_every_weeks = WRITTEN_FOR.date() + years_on, 1
    factories.facilitator(session, row, "U0FAC")
    return row


def pair(
    session: Session,
    guide: Member,
    learner: Member,
    status: PartnershipStatus = PartnershipStatus.ACTIVE,
    *,
    flush: bool = True,
) -> Partnership:
    """Pair a guide and a learner; an ended pair ended at no one's fault."""
    reason = EndReason.NO_FAULT if status is PartnershipStatus.ENDED else None
    return factories.pair(session, guide, learner, status=status, end_reason=reason, flush=flush)


def circle(session: Session, co: Cohort, round_number: int, members: list[Member]) -> Circle:
    conversation = f"C0{co.slug.upper()}{round_number}"
    return factories.circle(
        session, co, members, f"{co.slug}-r{round_number}", conversation, round_number=round_number
    )


def coach_with_learners(session: Session, years_on: timedelta = timedelta(0)) -> World:
    """Alpha: U0L1 and U0L2 active, U0L4 paused, U0L5 ended; beta: U0L3 active; alpha had two rounds."""
    ws = factories.workspace(session)
    alpha = cohort(session, ws, "alpha", "Alpha residents", years_on)
    beta = cohort(session, ws, "beta", "Beta & faculty", years_on)
    coach_alpha = factories.member(session, alpha, COACH, Role.COACH, flush=False)
    coach_beta = factories.member(session, beta, COACH, Role.COACH, flush=False)
    learners = {
        user: factories.member(session, alpha, user, flush=False) for user in ("U0L1", "U0L2", "U0L4", "U0L5")
    }
    learners["U0L3"] = factories.member(session, beta, "U0L3", flush=False)
    session.flush()
    statuses = {"U0L4": PartnershipStatus.PAUSED, "U0L5": PartnershipStatus.ENDED}
    made = {}
    for user, learner in sorted(learners.items()):
        guide = coach_beta if user == "U0L3" else coach_alpha
        made[user] = pair(session, guide, learner, statuses.get(user, PartnershipStatus.ACTIVE), flush=False)
    session.flush()
    ids = {user: row.id for user, row in made.items()}
    circle(session, alpha, 1, [coach_alpha, learners["U0L1"]])
    circle(session, alpha, 2, [coach_alpha, learners["U0L2"]])
    circle(session, beta, 1, [coach_beta, learners["U0L3"]])
    return World(ids, {"alpha": alpha.id, "beta": beta.id})
