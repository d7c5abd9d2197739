"""Questions about matching runs (rounds): their stored proposals and confirmation, and the creation steps
that make their circles and pairs in Slack."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from circles.domain.circle_size import still_meets
from circles.domain.match_vocabulary import RunStatus, StepKind, StepStatus
from circles.domain.tenants import TenantKind, meeting_place_for
from circles.domain.vocabulary import MeetingPlace, MemberStatus, PartnershipStatus
from circles.persistence.models import (
    Circle,
    CircleMembership,
    Cohort,
    CreationStep,
    MatchRun,
    Member,
    Partnership,
    Profile,
    Workspace,
)
from circles.queries.aliases import FIRST_PARTNER, SECOND_PARTNER
from circles.queries.circles import seated_since_joining


def supersede_previews(session: Session, cohort_id: int) -> None:
    """Mark the cohort's unconfirmed proposals as replaced, so none of them can be confirmed any more."""
    session.execute(
        update(MatchRun)
        .where(MatchRun.cohort_id == cohort_id, MatchRun.status == RunStatus.PREVIEWED)
        .values(status=RunStatus.SUPERSEDED)
    )


def latest_rounds(session: Session, cohort_id: int) -> tuple[int, int]:
    """The cohort's latest round, whether or not it formed circles (a re-match joins the round it follows),
    and the latest that formed circles; 0 before the first. Circles count for rounds from before runs."""
    made = (RunStatus.CONFIRMED, RunStatus.COMPLETE)
    runs = select(func.max(MatchRun.round)).where(
        MatchRun.cohort_id == cohort_id, MatchRun.status.in_(made), MatchRun.rematch.is_(False)
    )
    circles = select(func.max(Circle.round)).where(Circle.cohort_id == cohort_id)
    latest_run, latest_circle = session.execute(
        select(runs.scalar_subquery(), circles.scalar_subquery())
    ).one()
    return max(latest_run or 0, latest_circle or 0), latest_circle or 0


def confirmed_run(session: Session, cohort_id: int) -> MatchRun | None:
    """A run of the cohort confirmed and not yet fully created in Slack, if there is one."""
    query = select(MatchRun).where(MatchRun.cohort_id == cohort_id, MatchRun.status == RunStatus.CONFIRMED)
    return session.scalars(query).first()


def locked_run(session: Session, run_id: int) -> MatchRun:
    """The run, read fresh and locked until the caller commits."""
    # On PostgreSQL the row lock queues recorders of one run; SQLite's write lock already does.
    locked = select(MatchRun).where(MatchRun.id == run_id).with_for_update()
    return session.scalars(locked.execution_options(populate_existing=True)).one()


def locked_run_of_step(session: Session, step_id: int) -> MatchRun:
    """The run of this creation step, read fresh and locked until the caller commits: one statement."""
    locked = (
        select(MatchRun)
        .join(CreationStep, CreationStep.run_id == MatchRun.id)
        .where(CreationStep.id == step_id)
        .with_for_update(of=MatchRun)
    )
    return session.scalars(locked.execution_options(populate_existing=True)).one()


def step_in_place(session: Session, step_id: int) -> tuple[CreationStep, Cohort, MeetingPlace] | None:
    """A creation step with its cohort and where the cohort's circles meet, given its tenant: one
    statement; None when there is no such step."""
    found = session.execute(
        select(CreationStep, Cohort, Workspace.kind)
        .join(MatchRun, MatchRun.id == CreationStep.run_id)
        .join(Cohort, Cohort.id == MatchRun.cohort_id)
        .join(Workspace, Workspace.id == Cohort.workspace_id)
        .where(CreationStep.id == step_id)
    ).first()
    if found is None:
        return None
    step, cohort, kind = found
    return step, cohort, meeting_place_for(cohort.meeting_place, kind == TenantKind.ORGANISATION.value)


def set_conversation(session: Session, pair: bool, target_id: int, conversation_id: str) -> None:
    """Keep the Slack conversation made for a pair or circle, without loading it first."""
    target = Partnership if pair else Circle
    session.execute(update(target).where(target.id == target_id).values(conversation_id=conversation_id))


def hold_guides(session: Session, workspace_id: int, user_ids: Collection[str]) -> None:
    """Hold these coaches' and mentors' profiles until the caller commits, in one order: whoever else
    hands out their places (another cohort's round, an accepted request) waits, then counts afresh."""
    if user_ids:
        session.execute(
            select(Profile.id)
            .where(Profile.workspace_id == workspace_id, Profile.slack_user_id.in_(sorted(user_ids)))
            .order_by(Profile.id)
            .with_for_update()
        )


def pending_steps(session: Session, run_id: int) -> list[CreationStep]:
    """The run's steps still to do, in order."""
    return _steps(session, run_id, StepStatus.PENDING)


def failed_steps(session: Session, run_id: int) -> list[CreationStep]:
    """The run's steps that gave up (Slack refused them for good, or retries ran out), in order."""
    return _steps(session, run_id, StepStatus.FAILED)


def _steps(session: Session, run_id: int, status: StepStatus) -> list[CreationStep]:
    query = select(CreationStep).where(CreationStep.run_id == run_id, CreationStep.status == status)
    return list(session.scalars(query.order_by(CreationStep.position)))


def pending_in_family(
    session: Session, run_id: int, target_id: int, kinds: Collection[StepKind]
) -> list[CreationStep]:
    """The steps still to do of one circle or pair (its target and the kinds of its steps), in order."""
    return list(
        session.scalars(
            select(CreationStep)
            .where(
                CreationStep.run_id == run_id,
                CreationStep.target_id == target_id,
                CreationStep.kind.in_(kinds),
                CreationStep.status == StepStatus.PENDING,
            )
            .order_by(CreationStep.position)
        )
    )


def not_added(session: Session, run_id: int, circle_id: int) -> set[str]:
    """Who Slack would not let into the circle's conversation, as its opening or invitation recorded."""
    made = (StepKind.CIRCLE_CONVERSATION, StepKind.CIRCLE_INVITE)
    results = session.scalars(
        select(CreationStep.result).where(
            CreationStep.run_id == run_id, CreationStep.target_id == circle_id, CreationStep.kind.in_(made)
        )
    )
    return {user for result in results for user in ((result or {}).get("not_invited") or {})}


def steps_of(session: Session, run_id: int) -> list[CreationStep]:
    """Every step of the run, done or not."""
    return list(session.scalars(select(CreationStep).where(CreationStep.run_id == run_id)))


def target_conversation(session: Session, pair: bool, target_id: int) -> str | None:
    """The Slack conversation of a step's pair or circle, once it has one."""
    target = Partnership if pair else Circle
    found: str | None = session.scalar(select(target.conversation_id).where(target.id == target_id))
    return found


def circle_names(session: Session, circle_ids: Collection[int]) -> dict[int, str]:
    """The names of these circles, by id: one statement however many."""
    if not circle_ids:
        return {}
    rows = session.execute(select(Circle.id, Circle.name).where(Circle.id.in_(circle_ids)))
    return {circle_id: name for circle_id, name in rows}


def pair_users(session: Session, partnership_ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """The Slack users of these pairs (the smaller member id first), by partnership: one statement."""
    if not partnership_ids:
        return {}
    first, second = FIRST_PARTNER, SECOND_PARTNER
    rows = session.execute(
        select(Partnership.id, first.slack_user_id, second.slack_user_id)
        .join(first, first.id == Partnership.first_member_id)
        .join(second, second.id == Partnership.second_member_id)
        .where(Partnership.id.in_(partnership_ids))
    )
    return {pair_id: (one, other) for pair_id, one, other in rows}


def target_running(session: Session, pair: bool, target_id: int) -> bool:
    """Whether a step's pair has not ended (a paused pair still runs), or its circle is not dissolved and
    enough of its members have not left the cohort for it to meet (`circle_size.still_meets`): one
    statement."""
    if pair:
        status = session.scalar(select(Partnership.status).where(Partnership.id == target_id))
        return status is not None and status is not PartnershipStatus.ENDED
    present = session.scalar(
        select(func.count(CircleMembership.id))
        .join(Member, Member.id == CircleMembership.member_id)
        .join(Circle, Circle.id == CircleMembership.circle_id)
        .where(
            Circle.id == target_id,
            Circle.dissolved_at.is_(None),
            Member.status != MemberStatus.LEFT,
            seated_since_joining(),  # someone back after leaving sits in it again only once re-matched
        )
    )
    return still_meets(present or 0)
