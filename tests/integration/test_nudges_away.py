"""A coach's digest never counts time a partner was away (a rotation, leave, `/circles away`) as days
without a meeting, as the pair's health does not: nobody was asked to check in then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.availability import AbsenceKind
from circles.domain.nudges import Nudge, NudgeKind
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, Member, OutboxMessage
from circles.services.nudges.digests import digest_now, plan_nudges
from tests import factories

MORNING = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)  # 15:30 UTC: the cohort's 09:00 prompt has passed
STARTED = factories.NOW  # 2026-11-02 09:00, asked to check in at once
BACK = datetime(2026, 12, 14, tzinfo=UTC)


def away(ws_id: int, user: str, since: datetime, back: datetime) -> AwayBlock:
    return AwayBlock(
        workspace_id=ws_id,
        slack_user_id=user,
        starts_at=since,
        ends_at=back,
        kind=AbsenceKind.ROTATION,
        created_by="U0FAC",
        created_at=since - timedelta(days=7),
    )


def seeded(db: Database, *, away_user: str = "U0ROTA", after: timedelta = timedelta(days=7)) -> None:
    """A coach with two learners who never reported a meeting; one of the three is on rotation from a
    week (or `after`) after the start until mid-December."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.member(uow.session, co, "U0COACH", Role.COACH)
        for user in ("U0ROTA", "U0HERE"):
            factories.member(uow.session, co, user, Role.LEARNER)
            pair = factories.partnership(uow.session, "U0COACH", user)
            learner = uow.session.scalars(select(Member).where(Member.slack_user_id == user)).one()
            uow.session.add(factories.checkin(pair, learner.id, STARTED, rating=3, met=False))
        uow.session.add(away(ws.id, away_user, STARTED + after, BACK))
        uow.commit()


def test_a_learner_on_rotation_is_not_a_pair_without_meetings(db: Database) -> None:
    seeded(db)
    [section] = digest_now(db.unit_of_work(), "T0001", "U0COACH", MORNING)
    # U0ROTA was there for 7 of the 28 days: under the 21; U0HERE was there all along.
    assert section.nudges == (Nudge(NudgeKind.NO_MEETING, "U0HERE", 28),)


def test_the_days_away_are_left_out_of_the_planned_digest_and_counted_again_once_back(db: Database) -> None:
    seeded(db)
    with db.unit_of_work() as uow:
        plan_nudges(uow.session, MORNING)
        uow.commit()
    with db.unit_of_work() as uow:
        [row] = uow.session.scalars(select(OutboxMessage)).all()
    [section] = row.payload["args"]["sections"]
    assert [n["partner"] for n in section["nudges"]] == ["U0HERE"]
    # Back on 14 December with 7 days counted already: 21 days reached on the 28th.
    [later] = digest_now(db.unit_of_work(), "T0001", "U0COACH", datetime(2026, 12, 28, 15, 30, tzinfo=UTC))
    assert Nudge(NudgeKind.NO_MEETING, "U0ROTA", 21) in later.nudges


def test_time_the_coach_was_away_counts_for_none_of_their_pairs(db: Database) -> None:
    seeded(db, away_user="U0COACH")
    assert digest_now(db.unit_of_work(), "T0001", "U0COACH", MORNING) == []


def test_a_learner_away_now_is_not_named_however_long_before_and_is_named_again_once_back(
    db: Database,
) -> None:
    seeded(db, after=timedelta(days=25))  # 25 days without a meeting, then the rotation
    [section] = digest_now(db.unit_of_work(), "T0001", "U0COACH", MORNING)
    assert section.nudges == (Nudge(NudgeKind.NO_MEETING, "U0HERE", 28),)
    [later] = digest_now(db.unit_of_work(), "T0001", "U0COACH", BACK + timedelta(hours=15, minutes=30))
    assert Nudge(NudgeKind.NO_MEETING, "U0ROTA", 25) in later.nudges
