"""Planning the coaches' digests, and opening one coach's full list, ask the same few questions however
many coaches, cohorts and learners there are, and whatever became of the pairs (paused, ended, a learner
away, one who left)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.messages import render
from bot.views.digest import digest_modal
from circles.domain.availability import AbsenceKind
from circles.domain.vocabulary import EndReason, MemberStatus, PartnershipKind, PartnershipStatus, Role
from circles.persistence.base import Base
from circles.persistence.db import Database
from circles.persistence.models import (
    AwayBlock,
    CheckIn,
    Cohort,
    Facilitator,
    Member,
    OutboxMessage,
    Partnership,
    Profile,
    Workspace,
)
from circles.services.nudges.digests import digest_now, plan_nudges
from tests import factories
from tests.integration.test_statements_at_scale import statements
from tests.slack_limits import assert_within_limits

NOW = factories.NOW
MORNING = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)  # 09:30 in Chicago, the coaches' zone
ZONES = ("America/New_York", "Europe/London", "Asia/Kolkata")


def programme(db: Database, team: str, coaches: int, learners: int) -> None:
    """`coaches` coaches of `team`, each with `learners` learners spread over three cohorts in three zones:
    every fourth pair paused, every fifth ended, every third learner on rotation, every seventh gone.
    Each coach also facilitates the third cohort and coaches a mentor of the first in the second."""
    with db.unit_of_work() as uow:
        session = uow.session
        ws = factories.workspace(session, team)
        cohorts = []
        for n, zone in enumerate(ZONES):
            co = factories.cohort(session, ws, f"c{n}", f"Cohort {n}")
            co.timezone = zone
            cohorts.append(co)
        # Each table's rows go in together, in the order adding them one by one would give them ids.
        people: list[dict[str, Any]] = []
        pairs: list[tuple[int, int, PartnershipStatus, int | None]] = []  # guide, partner (places in
        # people), status, and the learner's number (None: the mentor)
        for c in range(coaches):
            coach, mentor, first = f"U{team}C{c}", f"U{team}M{c}", len(people)
            people += [membership(co, coach, Role.COACH) for co in cohorts]
            people += [membership(cohorts[0], mentor, Role.MENTOR), membership(cohorts[1], mentor)]
            pairs.append((first + 1, first + 4, PartnershipStatus.ACTIVE, None))
            for n in range(learners):
                gone = n % 7 == 6
                people.append(membership(cohorts[n % 3], f"{coach}L{n}", left=gone))
                status = PartnershipStatus.PAUSED if n % 4 == 3 else PartnershipStatus.ACTIVE
                status = PartnershipStatus.ENDED if gone or n % 5 == 4 else status
                pairs.append((first + n % 3, len(people) - 1, status, n))
        ids = inserted(session, Member, people)
        coaching = [f"U{team}C{c}" for c in range(coaches)]
        session.execute(insert(Profile), [profile(ws, coach) for coach in coaching])
        session.execute(insert(Facilitator), [facilitating(cohorts[2], coach) for coach in coaching])
        pair_ids = inserted(
            session,
            Partnership,
            [partnership(people[g], ids[g], ids[p], status) for g, p, status, _ in pairs],
        )
        checkins, away = [], []
        for pair_id, (guide, partner, _, number) in zip(pair_ids, pairs, strict=True):
            if number is None:
                continue
            for weeks in (0, 2):
                checkins.append(checkin(people[guide], pair_id, ids[guide], NOW + timedelta(weeks=weeks)))
            if number % 3 == 2:
                away.append(rotation(people[partner]))
        session.execute(insert(CheckIn), checkins)
        session.execute(insert(AwayBlock), away)
        uow.commit()


def inserted(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows of a workspace that has none in the table yet, all at once; their ids, in order."""
    session.execute(insert(model), rows)
    table = model.__table__
    workspace = {row["workspace_id"] for row in rows}
    return list(session.scalars(select(table.c.id).where(table.c.workspace_id.in_(workspace)).order_by("id")))


def membership(co: Cohort, user: str, role: Role = Role.LEARNER, *, left: bool = False) -> dict[str, Any]:
    status = MemberStatus.LEFT if left else MemberStatus.ACTIVE
    return {"workspace_id": co.workspace_id, "cohort_id": co.id, "slack_user_id": user, "role": role} | {
        "status": status,
        "joined_at": NOW,
    }


def profile(ws: Workspace, user: str) -> dict[str, Any]:
    return {"workspace_id": ws.id, "slack_user_id": user, "timezone": "America/Chicago", "updated_at": NOW}


def facilitating(co: Cohort, user: str) -> dict[str, Any]:
    return {"workspace_id": co.workspace_id, "cohort_id": co.id, "slack_user_id": user, "added_at": NOW}


def partnership(
    guide: dict[str, Any], guide_id: int, partner_id: int, status: PartnershipStatus
) -> dict[str, Any]:
    """A pair started at NOW, as factories.pair makes it; an ended one ended then, its learner gone."""
    ended = status is PartnershipStatus.ENDED
    return {
        "workspace_id": guide["workspace_id"],
        "cohort_id": guide["cohort_id"],
        "kind": PartnershipKind.COACH_LEARNER,
        "first_member_id": guide_id,
        "second_member_id": partner_id,
        "status": status,
        "started_at": NOW,
        "end_reason": EndReason.MEMBER_LEFT if ended else None,
        "ended_at": NOW if ended else None,
    }


def checkin(guide: dict[str, Any], pair_id: int, guide_id: int, due: datetime) -> dict[str, Any]:
    """The guide's check-in, unanswered, as factories.checkin makes it."""
    return {"workspace_id": guide["workspace_id"], "partnership_id": pair_id, "member_id": guide_id} | {
        "due_at": due,
        "note_shared": False,
    }


def rotation(learner: dict[str, Any]) -> dict[str, Any]:
    """The learner away on rotation from three days after NOW until well after MORNING."""
    return {
        "workspace_id": learner["workspace_id"],
        "slack_user_id": learner["slack_user_id"],
        "starts_at": NOW + timedelta(days=3),
        "ends_at": MORNING + timedelta(days=20),
        "kind": AbsenceKind.ROTATION,
        "created_by": "U0FAC",
        "created_at": NOW,
    }


def plan(db: Database, now: datetime) -> None:
    with db.unit_of_work() as uow:
        plan_nudges(uow.session, now)
        uow.commit()


def digests(db: Database) -> int:
    with db.unit_of_work() as uow:
        return len(uow.session.scalars(select(OutboxMessage.id)).all())


def test_planning_digests_asks_the_same_for_two_coaches_of_six_or_twenty_of_fifty(db: Database) -> None:
    programme(db, "T0001", 2, 6)
    few = statements(db, lambda: plan(db, MORNING))
    assert digests(db) == 2
    programme(db, "T0002", 20, 50)
    many = statements(db, lambda: plan(db, MORNING + timedelta(days=1)))
    assert digests(db) == 2 + 2 + 20
    assert many == few


def test_a_coachs_full_list_asks_the_same_for_six_learners_or_fifty(db: Database) -> None:
    programme(db, "T0001", 1, 6)
    programme(db, "T0002", 1, 50)
    few = statements(db, lambda: digest_now(db.unit_of_work(), "T0001", "UT0001C0", MORNING))
    many = statements(db, lambda: digest_now(db.unit_of_work(), "T0002", "UT0002C0", MORNING))
    assert many == few


def test_a_coach_of_twelve_hears_once_about_each_running_pair_that_is_there(db: Database) -> None:
    programme(db, "T0001", 1, 12)
    found = digest_now(db.unit_of_work(), "T0001", "UT0001C0", MORNING)
    named = [(s.cohort_name, n.kind.value, n.partner_user_id) for s in found for n in s.nudges]
    no_meeting = [(cohort, user) for cohort, kind, user in named if kind == "no_meeting"]
    # Learners 0, 1 and 10 run and are there; 2, 5, 8 and 11 are on rotation, 3 and 7 paused (11 too),
    # 4 and 9 ended, 6 left.
    assert no_meeting == [
        ("Cohort 0", "UT0001C0L0"),
        ("Cohort 1", "UT0001C0L1"),
        ("Cohort 1", "UT0001C0L10"),
        ("Cohort 1", "UT0001M0"),  # a mentor elsewhere, who guides nobody and gets no digest of their own
    ]
    waiting = sorted(str(user) for _, kind, user in named if kind == "checkin_waiting")
    # Their own check-ins, of the pairs whose learner is there: one on rotation holds its pair's too.
    assert waiting == sorted(f"UT0001C0L{n}" for n in (0, 1, 10))
    assert len(named) == len(set(named))
    assert digest_now(db.unit_of_work(), "T0001", "UT0001M0", MORNING) == []


def test_fifty_learners_fit_slacks_limits_in_the_digest_and_its_full_list(db: Database) -> None:
    programme(db, "T0001", 1, 50)
    plan(db, MORNING)
    with db.unit_of_work() as uow:
        [row] = uow.session.scalars(select(OutboxMessage)).all()
    assert_within_limits(render(row.payload["template"], row.payload["args"]))
    assert_within_limits(digest_modal(digest_now(db.unit_of_work(), "T0001", "UT0001C0", MORNING)))
