"""A coach whose cohorts keep different time zones, and whose own zone Slack never gave, still gets their
digest each working morning: the window the planner waits for is the one the digest is checked against."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.nudges.digests import plan_nudges
from tests import factories

MONDAY = datetime(2026, 11, 30, tzinfo=UTC)


def seeded(db: Database, *, first: str, starts_on: date | None, ends_on: date | None) -> None:
    """The coach's first membership is in a cohort not running now (`first` zone); the second, running in
    Chicago, has a learner with no meeting for four weeks. No profile: no zone of their own."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        other = factories.cohort(uow.session, ws, "other", "Other round")
        other.timezone, other.starts_on, other.ends_on = first, starts_on, ends_on
        factories.member(uow.session, other, "U0COACH", Role.COACH)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.timezone, co.prompt_local_time = "America/Chicago", time(9)
        coach = factories.member(uow.session, co, "U0COACH", Role.COACH)
        factories.pair(uow.session, coach, factories.member(uow.session, co, "U0LEARN", Role.LEARNER))
        uow.commit()


def hourly(db: Database, since: datetime, hours: int) -> list[str]:
    for hour in range(hours):
        with db.unit_of_work() as uow:
            plan_nudges(uow.session, since + timedelta(hours=hour))
            uow.commit()
    with db.unit_of_work() as uow:
        return sorted(uow.session.scalars(select(OutboxMessage.idempotency_key)))


def test_an_earlier_round_over_in_london_does_not_keep_the_chicago_digest_away(db: Database) -> None:
    seeded(db, first="Europe/London", starts_on=date(2026, 5, 1), ends_on=date(2026, 11, 15))
    assert hourly(db, MONDAY, 48) == ["digest:U0COACH:2026-11-30", "digest:U0COACH:2026-12-01"]


def test_a_cohort_starting_later_in_tokyo_does_not_keep_the_chicago_digest_away(db: Database) -> None:
    seeded(db, first="Asia/Tokyo", starts_on=date(2027, 1, 4), ends_on=None)
    assert hourly(db, MONDAY, 48) == ["digest:U0COACH:2026-11-30", "digest:U0COACH:2026-12-01"]
