"""Rows with sensible defaults, for tests that need a cohort with people in it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import (
    EndReason,
    MemberStatus,
    PartnershipKind,
    PartnershipStatus,
    Role,
    SurveyPhase,
)
from circles.persistence.models import (
    CheckIn,
    Circle,
    Cohort,
    Facilitator,
    Member,
    Partnership,
    Profile,
    SurveyAnswer,
    SurveyRequest,
    Workspace,
)
from circles.queries.circles import add_circle, seat
from circles.queries.members import add_member

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def workspace(session: Session, team_id: str = "T0001", *, at: datetime = NOW) -> Workspace:
    row = Workspace(team_id=team_id, name=f"Team {team_id}", created_at=at)
    session.add(row)
    session.flush()
    return row


def cohort(
    session: Session,
    ws: Workspace,
    slug: str = "pgy1-spring",
    name: str = "PGY-1 spring",
    *,
    created_by: str = "U0ADMIN",
    at: datetime = NOW,
) -> Cohort:
    row = Cohort(workspace_id=ws.id, slug=slug, name=name, created_by=created_by, created_at=at)
    session.add(row)
    session.flush()
    return row


def member(
    session: Session,
    co: Cohort,
    user_id: str,
    role: Role = Role.LEARNER,
    status: MemberStatus = MemberStatus.ACTIVE,
    *,
    at: datetime = NOW,
    flush: bool = True,
) -> Member:
    """A membership; flush=False leaves it for the caller's next flush, one INSERT for many rows."""
    row = add_member(session, co, user_id, role, status, at)
    if flush:
        session.flush()
    return row


def facilitator(
    session: Session, co: Cohort, user_id: str, *, at: datetime = NOW, flush: bool = True
) -> Facilitator:
    row = Facilitator(workspace_id=co.workspace_id, cohort_id=co.id, slack_user_id=user_id, added_at=at)
    session.add(row)
    if flush:
        session.flush()
    return row


def profile(
    session: Session, ws: Workspace, user_id: str, timezone: str | None = None, *, flush: bool = True
) -> Profile:
    row = Profile(workspace_id=ws.id, slack_user_id=user_id, timezone=timezone, updated_at=NOW)
    session.add(row)
    if flush:
        session.flush()
    return row


def pair(
    session: Session,
    guide: Member,
    learner: Member,
    *,
    kind: PartnershipKind = PartnershipKind.COACH_LEARNER,
    status: PartnershipStatus = PartnershipStatus.ACTIVE,
    end_reason: EndReason | None = None,
    conversation_id: str | None = None,
    started_at: datetime = NOW,
    flush: bool = True,
) -> Partnership:
    """Pair two members of one cohort; with an end reason, the pair ended when it started."""
    if guide.id is None or learner.id is None:
        session.flush()  # members added with flush=False get their ids
    row = Partnership(
        workspace_id=guide.workspace_id,
        cohort_id=guide.cohort_id,
        kind=kind,
        first_member_id=guide.id,
        second_member_id=learner.id,
        status=status,
        conversation_id=conversation_id,
        started_at=started_at,
    )
    if end_reason is not None:
        row.end_reason, row.ended_at = end_reason, started_at
    session.add(row)
    if flush:
        session.flush()
    return row


def partnership(
    session: Session,
    guide_user: str,
    learner_user: str,
    kind: PartnershipKind = PartnershipKind.COACH_LEARNER,
) -> Partnership:
    """Pair two existing members of the same cohort, found by their Slack IDs (one membership each)."""
    found = session.scalars(select(Member).where(Member.slack_user_id.in_((guide_user, learner_user)))).all()
    guide, learner = (
        _only([row for row in found if row.slack_user_id == user], user)
        for user in (guide_user, learner_user)
    )
    return pair(session, guide, learner, kind=kind)


def _only(rows: list[Member], user: str) -> Member:
    if len(rows) != 1:
        raise LookupError(f"{len(rows)} memberships of {user}, where a partnership names one")
    return rows[0]


def circle(
    session: Session,
    co: Cohort,
    members: list[Member],
    name: str,
    conversation_id: str | None,
    *,
    round_number: int = 1,
    at: datetime = NOW,
) -> Circle:
    """A circle of the cohort's round with its members, all joined when it was made."""
    row = add_circle(session, co, round_number, name, at)
    row.conversation_id = conversation_id
    for person in members:
        seat(session, co.workspace_id, row.id, person.id, at)
    session.flush()
    return row


def checkin(
    pairing: Partnership,
    member_id: int,
    due_at: datetime,
    rating: int | None = None,
    *,
    after: timedelta = timedelta(hours=3),
    met: bool | None = None,
    note: bytes | None = None,
    shared: bool = False,
) -> CheckIn:
    """A partner's check-in, not added; with a rating, answered `after` it fell due, met unless rated 1."""
    return CheckIn(
        workspace_id=pairing.workspace_id,
        partnership_id=pairing.id,
        member_id=member_id,
        due_at=due_at,
        answered_at=None if rating is None else due_at + after,
        rating=rating,
        met=None if rating is None else (rating > 1 if met is None else met),
        note_encrypted=note,
        note_shared=shared,
    )


def answered_survey(
    session: Session,
    person: Member,
    answers: dict[str, int],
    at: datetime,
    instrument: str = "belonging",
    *,
    phase: SurveyPhase = SurveyPhase.BASELINE,
    superseded_at: datetime | None = None,
) -> SurveyRequest:
    """The person's survey of `phase` (the baseline unless said), answered at `at` with these item values
    (added and flushed); `superseded_at`: asked again since, after the cohort's dates moved."""
    request = SurveyRequest(
        workspace_id=person.workspace_id,
        cohort_id=person.cohort_id,
        member_id=person.id,
        instrument=instrument,
        instrument_version=1,
        phase=phase,
        due_at=at,
        sent_at=at,
        answered_at=at,
        superseded_at=superseded_at,
    )
    session.add(request)
    session.flush()
    session.add_all(
        SurveyAnswer(workspace_id=person.workspace_id, request_id=request.id, item_id=item, value=value)
        for item, value in answers.items()
    )
    session.flush()
    return request


def coached_checkin(session: Session) -> int:
    """Ada coaches Lee in a cohort run by Fay; Lee's check-in is due. Returns its id (not committed)."""
    co = cohort(session, workspace(session))
    facilitator(session, co, "U0FAY")
    member(session, co, "U0ADA", Role.COACH)
    member(session, co, "U0LEE")
    made = partnership(session, "U0ADA", "U0LEE")
    row = checkin(made, made.second_member_id, NOW)
    session.add(row)
    session.flush()
    return row.id


_requests = itertools.count(1)


def request_key() -> str:
    """A new request's name, as the listener gives a service (each Slack request has its own)."""
    return f"test-request:{next(_requests)}"
