"""A coaching cohort lived through five weeks, with every figure of its report known in advance.

Weeks start on Mondays (`start`); the report is taken on the Wednesday of week 5 at noon. Another
workspace holds a cohort with the same slug and rows that must never be counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from circles.domain.vocabulary import (
    EndReason,
    EscalationStatus,
    MemberStatus,
    OutboxStatus,
    PairingMode,
    PartnershipHealthState,
    PartnershipKind,
    PartnershipStatus,
    Role,
)
from circles.persistence.db import Database
from circles.persistence.models import (
    CheckIn,
    Circle,
    CircleMembership,
    Cohort,
    Escalation,
    HealthRecord,
    Member,
    OutboxMessage,
    Partnership,
    Workspace,
)
from circles.queries.members import add_member
from tests import factories

START = datetime(2027, 1, 4, tzinfo=UTC)  # a Monday
FACILITATOR, OTHER_FACILITATOR, MEMBER = "U0FAC", "U0FAC2", "U0L1"
SHARED_NOTE = "Thank you for making the time"
PRIVATE_NOTE = "I would rather not say this to anyone"
REASON_TEXT = "ratings dropped by 3 since the last check-in"
PEOPLE = {  # user: (role, status, joined day, left day)
    "U0C1": (Role.COACH, MemberStatus.ACTIVE, 0, None),
    "U0C2": (Role.COACH, MemberStatus.ACTIVE, 0, None),
    "U0L1": (Role.LEARNER, MemberStatus.ACTIVE, 1, None),
    "U0L2": (Role.LEARNER, MemberStatus.PAUSED, 2, None),
    "U0L3": (Role.LEARNER, MemberStatus.LEFT, 8, 22),
    "U0L4": (Role.LEARNER, MemberStatus.ACTIVE, 16, None),
}


def seal(text: str) -> bytes:
    """A stand-in for the notes key: unreadable as stored, opened only by `unseal`."""
    return b"sealed:" + text[::-1].encode()


def unseal(token: bytes) -> str:
    return token.decode().removeprefix("sealed:")[::-1]


@dataclass(frozen=True)
class World:
    start: datetime
    workspace_id: int
    cohort_id: int
    pairs: dict[str, int]  # "P1"… to partnership ids

    @property
    def now(self) -> datetime:
        return self.start + timedelta(weeks=4, days=2, hours=12)

    def week(self, number: int) -> date:
        return (self.start + timedelta(weeks=number - 1)).date()


class Days:
    """Instants counted from the cohort's first Monday: `on(10)` is day 10 at 09:00 UTC."""

    def __init__(self, start: datetime) -> None:
        self.start = start

    def on(self, days: float, hours: float = 9) -> datetime:
        return self.start + timedelta(days=days, hours=hours)


def stored(db: Database) -> World:
    """The world built and committed in `db`."""
    with db.unit_of_work() as uow:
        built = build(uow.session)
        uow.commit()
    return built


def build(
    session: Session, start: datetime = START, team_id: str = "T0001", sealer: Callable[[str], bytes] = seal
) -> World:
    ws = factories.workspace(session, team_id)
    cohort = factories.cohort(session, ws, "pgy1", "PGY-1 residents")
    cohort.pairing_mode, cohort.starts_on = PairingMode.COACH_LEARNER, start.date()
    factories.facilitator(session, cohort, FACILITATOR)
    other = factories.cohort(session, ws, "other", "Another cohort")
    factories.facilitator(session, other, OTHER_FACILITATOR)
    days = Days(start)
    members = {}
    for user, (role, member_status, joined, left) in PEOPLE.items():
        member = add_member(session, cohort, user, role, member_status, days.on(joined, 10))
        member.left_at = days.on(left) if left is not None else None
        members[user] = member
    session.flush()  # everyone at once, then their pairs at once
    pairings = {}
    for name, coach, learner, started, status, ended, reason in (
        ("P1", "U0C1", "U0L1", 3, PartnershipStatus.ACTIVE, None, None),
        ("P2", "U0C2", "U0L2", 3, PartnershipStatus.PAUSED, None, None),
        ("P3", "U0C1", "U0L3", 10, PartnershipStatus.ENDED, 22, EndReason.MEMBER_LEFT),
        ("P4", "U0C2", "U0L4", 17, PartnershipStatus.ENDED, 24, EndReason.REMATCHED),
        ("P5", "U0C1", "U0L4", 24, PartnershipStatus.ENDED, 29, EndReason.COMPLETED),
    ):
        pairings[name] = Partnership(
            workspace_id=ws.id,
            cohort_id=cohort.id,
            kind=PartnershipKind.COACH_LEARNER,
            first_member_id=members[coach].id,
            second_member_id=members[learner].id,
            status=status,
            started_at=days.on(started),
            ended_at=days.on(ended) if ended is not None else None,
            end_reason=reason,
            health_due_at=factories.NOW,  # as paired by factories.pair, which dates the pair then
        )
    session.add_all(pairings.values())
    session.flush()
    pairs = {name: pair.id for name, pair in pairings.items()}
    _checkins(session, ws, members, pairs, days, sealer)
    _health(session, cohort, pairs, days)
    _escalations(session, cohort, pairs, days)
    circle_ids = _circles(session, cohort, members, days)
    _elsewhere(session, start, circle_ids)
    session.flush()
    return World(start, ws.id, cohort.id, pairs)


def _checkins(
    session: Session,
    ws: Workspace,
    members: dict[str, Member],
    pairs: dict[str, int],
    days: Days,
    sealer: Callable[[str], bytes],
) -> None:
    # (pair, user, due day, answered?, rating, note, shared)
    for pair, user, due, answered, rating, note, shared in (
        ("P1", "U0C1", 10, True, 4, None, False),
        ("P1", "U0L1", 10, True, 5, SHARED_NOTE, True),
        ("P2", "U0C2", 10, True, 3, None, False),
        ("P2", "U0L2", 10, False, None, None, False),
        ("P3", "U0L3", 17, True, 4, None, False),
        ("P1", "U0C1", 24, True, 2, PRIVATE_NOTE, False),
        ("P1", "U0L1", 24, False, None, None, False),
        ("P2", "U0C2", 24, False, None, None, False),
        ("P1", "U0C1", 38, False, None, None, False),  # not due yet when the report is taken
    ):
        session.add(
            CheckIn(
                workspace_id=ws.id,
                partnership_id=pairs[pair],
                member_id=members[user].id,
                due_at=days.on(due),
                answered_at=days.on(due, 15) if answered else None,
                rating=rating,
                met=True if answered else None,
                note_encrypted=sealer(note) if note else None,
                note_shared=shared,
            )
        )


def _health(session: Session, cohort: Cohort, pairs: dict[str, int], days: Days) -> None:
    s = PartnershipHealthState
    for pair, day, state in (
        ("P1", 4, s.STEADY),
        ("P1", 11, s.THRIVING),
        ("P1", 25, s.NEEDS_ATTENTION),
        ("P2", 4, s.STEADY),
        ("P2", 18, s.STRUGGLING),
        ("P3", 11, s.STEADY),
        ("P5", 25, s.THRIVING),
    ):
        reasons = (
            [{"rule": "dropped", "who": "first", "text": REASON_TEXT}] if state is s.NEEDS_ATTENTION else []
        )
        session.add(health_record(cohort, pairs[pair], days.on(day, 6), state, reasons))


def health_record(
    cohort: Cohort,
    pair_id: int,
    at: datetime,
    state: PartnershipHealthState,
    reasons: list[Any] | None = None,
) -> HealthRecord:
    """A stored change of a partnership's health: from `at` on it was in `state`."""
    return HealthRecord(
        workspace_id=cohort.workspace_id,
        cohort_id=cohort.id,
        partnership_id=pair_id,
        computed_at=at,
        state=state,
        reasons=reasons or [],
        reason_keys="",
        signals={},
        attention_streak=0,
    )


def _escalations(session: Session, cohort: Cohort, pairs: dict[str, int], days: Days) -> None:
    # (pair, opened, claimed, resolved) as (day, hour): first responses of 2 h, 30 h and 1 h.
    for pair, opened, claimed, resolved in (
        ("P2", (18, 10), (18, 12), (21, 9)),
        ("P1", (25, 10), (26, 16), None),
        ("P2", (29, 8), (29, 9), None),
    ):
        done = days.on(*resolved) if resolved else None
        session.add(claimed_escalation(cohort, pairs[pair], days.on(*opened), days.on(*claimed), done))


def claimed_escalation(
    cohort: Cohort, pair_id: int, opened: datetime, claimed: datetime, resolved: datetime | None = None
) -> Escalation:
    """An escalation a facilitator took up, resolved when `resolved` is given."""
    return Escalation(
        workspace_id=cohort.workspace_id,
        cohort_id=cohort.id,
        partnership_id=pair_id,
        status=EscalationStatus.RESOLVED if resolved else EscalationStatus.CLAIMED,
        reasons=["worrying"],
        opened_at=opened,
        claimed_by=FACILITATOR,
        claimed_at=claimed,
        resolved_at=resolved,
    )


def _circles(session: Session, cohort: Cohort, members: dict[str, Member], days: Days) -> list[int]:
    ids = []
    for name, conversation, people, prompts in (
        ("circle-pgy1-r1-1", "C0A", ("U0C1", "U0L1", "U0L3"), ("sent", "sent", "missed", "sent", "pending")),
        ("circle-pgy1-r1-2", "C0B", ("U0C2", "U0L2", "U0L4"), ("sent", "failed", None, "pending", None)),
    ):
        circle = Circle(
            workspace_id=cohort.workspace_id,
            cohort_id=cohort.id,
            round=1,
            name=name,
            conversation_id=conversation,
            created_at=days.on(3),
        )
        session.add(circle)
        session.flush()
        ids.append(circle.id)
        for user in people:
            session.add(
                CircleMembership(
                    workspace_id=cohort.workspace_id,
                    circle_id=circle.id,
                    member_id=members[user].id,
                    joined_at=days.on(3),
                )
            )
        # A prompt each Monday from week 2; the fifth week's comes after the report is taken.
        for week, status in enumerate(prompts, start=1):
            if status is not None:
                due = days.on(7 * week) if week < 5 else days.on(7 * week + 1)
                _outbox(
                    session,
                    cohort.workspace_id,
                    f"circle_prompt:{circle.id}:{due.date()}",
                    conversation,
                    due,
                    status,
                )
        _outbox(session, cohort.workspace_id, f"kickoff:{circle.id}", conversation, days.on(3), "sent")
    return ids


def _outbox(session: Session, workspace_id: int, key: str, channel: str, due: datetime, status: str) -> None:
    session.add(
        OutboxMessage(
            workspace_id=workspace_id,
            idempotency_key=key,
            method="chat.postMessage",
            channel=channel,
            payload={"template": key.split(":")[0], "args": {}},
            status=OutboxStatus(status),
            due_at=due,
            created_at=due,
        )
    )


def _elsewhere(session: Session, start: datetime, circle_ids: list[int]) -> None:
    """Another workspace's cohort with the same slug, and rows keyed like ours: none of it may count."""
    ws = factories.workspace(session, "T0OTHER")
    cohort = factories.cohort(session, ws, "pgy1", "Elsewhere")
    days = Days(start)
    members = [factories.member(session, cohort, user, Role.PEER) for user in ("U0X1", "U0X2")]
    for member in members:
        member.joined_at = days.on(1)
    pair = factories.partnership(session, "U0X1", "U0X2", PartnershipKind.PEER)
    pair.started_at = days.on(2)
    for member in members:
        session.add(
            CheckIn(
                workspace_id=ws.id,
                partnership_id=pair.id,
                member_id=member.id,
                due_at=days.on(10),
                answered_at=days.on(10, 12),
                rating=1,
                note_encrypted=seal("someone else's note"),
                note_shared=True,
            )
        )
    session.add(health_record(cohort, pair.id, days.on(11), PartnershipHealthState.STRUGGLING))
    session.add(
        Escalation(
            workspace_id=ws.id,
            cohort_id=cohort.id,
            partnership_id=pair.id,
            reasons=[],
            opened_at=days.on(11),
        )
    )
    for circle_id in circle_ids:  # our circles' keys and conversations, in their outbox
        _outbox(session, ws.id, f"circle_prompt:{circle_id}:{days.on(7).date()}", "C0A", days.on(7), "sent")
