"""Planning the coaches' digests, and opening one coach's full list, ask the same few questions however
many coaches, cohorts and learners there are, and whatever became of the pairs (paused, ended, a learner
away, one who left)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.messages import render
from bot.views.digest import digest_modal
from circles.domain.availability import AbsenceKind
from circles.domain.vocabulary import EndReason, MemberStatus, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, OutboxMessage
from circles.services.nudges.digests import digest_now, plan_nudges
from tests import factories
from tests.integration.test_statements_at_scale import statements
from tests.slack_limits import assert_within_limits

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
        for c in range(coaches):
            coach = f"U{team}C{c}"
            factories.profile(session, ws, coach, "America/Chicago")
            guides = [factories.member(session, co, coach, Role.COACH) for co in cohorts]
            factories.facilitator(session, cohorts[2], coach)
            factories.member(session, cohorts[0], f"U{team}M{c}", Role.MENTOR)
            factories.pair(session, guides[1], factories.member(session, cohorts[1], f"U{team}M{c}"))
            for n in range(learners):
                user = f"U{team}C{c}L{n}"
                gone = n % 7 == 6
                status = MemberStatus.LEFT if gone else MemberStatus.ACTIVE
                learner = factories.member(session, cohorts[n % 3], user, status=status)
                pair = factories.pair(
                    session,
                    guides[n % 3],
                    learner,
                    status=PartnershipStatus.PAUSED if n % 4 == 3 else PartnershipStatus.ACTIVE,
                    end_reason=EndReason.MEMBER_LEFT if gone or n % 5 == 4 else None,
                )
                if pair.end_reason is not None:
                    pair.status = PartnershipStatus.ENDED
                for weeks in (0, 2):
                    session.add(
                        factories.checkin(pair, guides[n % 3].id, factories.NOW + timedelta(weeks=weeks))
                    )
                if n % 3 == 2:
                    session.add(
                        AwayBlock(
                            workspace_id=ws.id,
                            slack_user_id=user,
                            starts_at=factories.NOW + timedelta(days=3),
                            ends_at=MORNING + timedelta(days=20),
                            kind=AbsenceKind.ROTATION,
                            created_by="U0FAC",
                            created_at=factories.NOW,
                        )
                    )
        uow.commit()


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
    assert waiting == sorted(f"UT0001C0L{n}" for n in (0, 1, 2, 5, 8, 10))  # their own check-ins
    assert len(named) == len(set(named))
    assert digest_now(db.unit_of_work(), "T0001", "UT0001M0", MORNING) == []


def test_fifty_learners_fit_slacks_limits_in_the_digest_and_its_full_list(db: Database) -> None:
    programme(db, "T0001", 1, 50)
    plan(db, MORNING)
    with db.unit_of_work() as uow:
        [row] = uow.session.scalars(select(OutboxMessage)).all()
    assert_within_limits(render(row.payload["template"], row.payload["args"]))
    assert_within_limits(digest_modal(digest_now(db.unit_of_work(), "T0001", "UT0001C0", MORNING)))
