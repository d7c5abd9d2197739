"""A coach's daily digest held back past its own day (a day off) is dropped when the next day's comes later
that day, never sent an hour before it; but when that one would be held in turn (their hours never include
the hour digests are made), the held one goes. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from circles.domain.availability import AbsenceKind, WorkPattern, parse_shift
from circles.domain.vocabulary import OutboxStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, OutboxMessage
from circles.services.nudges.digests import plan_nudges
from circles.services.outbox.queue import claim_due
from tests import factories

WEDNESDAY_9 = datetime(2027, 1, 13, 9, tzinfo=UTC)
THURSDAY_8 = datetime(2027, 1, 14, 8, tzinfo=UTC)
THURSDAY_9 = datetime(2027, 1, 14, 9, tzinfo=UTC)
DAY_SHIFT = WorkPattern(parse_shift("Mon-Fri 08:00-17:00")).to_json()
COACH = "U0COACH"


def coach_off_on_wednesday(
    db: Database, *, off_until: datetime = THURSDAY_8, next_digest: datetime | None = THURSDAY_9
) -> int:
    """A Mon–Fri 08:00–17:00 coach with Wednesday off on their rota, whose next digest is worked out at
    `next_digest`; returns the workspace id."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws)
        factories.member(uow.session, cohort, COACH, Role.COACH).digest_due_at = next_digest
        factories.profile(uow.session, ws, COACH, "UTC").work_pattern = DAY_SHIFT
        uow.session.add(
            AwayBlock(
                workspace_id=ws.id,
                slack_user_id=COACH,
                starts_at=WEDNESDAY_9.replace(hour=0),
                ends_at=off_until,
                kind=AbsenceKind.ROTATION,
                created_by="U0FAC",
                created_at=WEDNESDAY_9 - timedelta(days=7),
            )
        )
        uow.commit()
        return ws.id


def digest(db: Database, ws_id: int, at: datetime) -> str:
    key = f"digest:{COACH}:{at.date().isoformat()}"
    with db.unit_of_work() as uow:
        uow.session.add(
            OutboxMessage(
                workspace_id=ws_id,
                idempotency_key=key,
                method="chat.postMessage",
                channel=COACH,
                payload={"template": "coach_digest", "args": {}},
                due_at=at,
                created_at=at,
            )
        )
        uow.commit()
    return key


def claim(db: Database, at: datetime) -> list[str]:
    return [row.key for row in claim_due(db.unit_of_work(), at, limit=50, claim_for=timedelta(minutes=5))]


def status(db: Database, key: str) -> OutboxStatus:
    with db.unit_of_work() as uow:
        return uow.session.scalars(
            select(OutboxMessage.status).where(OutboxMessage.idempotency_key == key)
        ).one()


def test_a_digest_held_over_a_day_off_is_dropped_and_only_the_next_days_goes(db: Database) -> None:
    ws_id = coach_off_on_wednesday(db)
    wednesday = digest(db, ws_id, WEDNESDAY_9)
    assert claim(db, WEDNESDAY_9) == []  # held for Thursday 08:00

    assert claim(db, THURSDAY_8) == []
    assert status(db, wednesday) == OutboxStatus.SUPERSEDED

    thursday = digest(db, ws_id, THURSDAY_9)
    assert claim(db, THURSDAY_9) == [thursday]


def test_a_digest_held_for_a_few_hours_of_the_same_day_still_goes(db: Database) -> None:
    ws_id = coach_off_on_wednesday(db, off_until=WEDNESDAY_9 + timedelta(hours=3))
    wednesday = digest(db, ws_id, WEDNESDAY_9)
    assert claim(db, WEDNESDAY_9) == []

    assert claim(db, WEDNESDAY_9 + timedelta(hours=3)) == [wednesday]


def test_a_held_digest_still_goes_when_no_newer_one_comes_that_day(db: Database) -> None:
    ws_id = coach_off_on_wednesday(db, next_digest=THURSDAY_9 + timedelta(days=1))  # Friday's is next
    wednesday = digest(db, ws_id, WEDNESDAY_9)
    assert claim(db, WEDNESDAY_9) == []

    assert claim(db, THURSDAY_8) == [wednesday]


def test_a_day_shift_coach_of_a_cohort_prompted_at_six_pm_gets_each_days_digest_the_next_morning(
    db: Database,
) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws)
        cohort.prompt_local_time, cohort.timezone, cohort.quiet_hours = time(18), "UTC", "nights"
        factories.profile(uow.session, ws, COACH, "UTC").work_pattern = DAY_SHIFT
        coach = factories.member(uow.session, cohort, COACH, Role.COACH)
        factories.pair(uow.session, coach, factories.member(uow.session, cohort, "U0LEARN"))  # never met
        uow.commit()
    sent = []
    for evening in (datetime(2027, 1, 11, 18, tzinfo=UTC), datetime(2027, 1, 12, 18, tzinfo=UTC)):
        with db.unit_of_work() as uow:
            plan_nudges(uow.session, evening)
            uow.commit()
        assert claim(db, evening) == []  # made after their shift: held for the next morning
        sent += claim(db, evening + timedelta(hours=14))  # 08:00: the next one is made at 18:00, held too

    assert sent == [f"digest:{COACH}:2027-01-11", f"digest:{COACH}:2027-01-12"]  # before: none, ever
