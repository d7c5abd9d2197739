"""A request waiting when its cohort stops pairing learners with coaches (circles only, or peers) waits on
nothing: it closes when the coach answers, and meanwhile neither the coach's status nor their digest counts
it, nor does the learner's status say it waits; it waits again if the cohort pairs coaches again. On SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.nudges import NudgeKind
from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Profile
from circles.services.nudges.digests import digest_now, plan_nudges
from circles.services.outbox.queue import claim_due
from circles.services.people.status import CohortStatus, my_status
from tests.factories import NOW
from tests.integration.test_directory import ask, seed
from tests.integration.test_requests_where_cohorts_pair_no_more import COHORT, paired_as

NOT_PAIRING_COACHES = [PairingMode.NONE, PairingMode.PEER]
AFTERNOONS = WorkPattern(parse_shift("Mon-Fri 13:00-17:00")).to_json()


def status_of(db: Database, user: str) -> CohortStatus:
    [status] = my_status(db.unit_of_work(), "T0001", user, NOW + timedelta(hours=1))
    return status


def requests_in_digest(db: Database) -> int:
    sections = digest_now(db.unit_of_work(), "T0001", "U0COACH", NOW + timedelta(hours=1))
    return sum(n.count for s in sections for n in s.nudges if n.kind is NudgeKind.REQUEST_WAITING)


def digests(db: Database) -> list[str]:
    with db.reading() as reading:
        keys = reading.session.scalars(select(OutboxMessage.idempotency_key).order_by(OutboxMessage.id))
        return [key for key in keys if key.startswith("digest:")]


@pytest.mark.parametrize("mode", NOT_PAIRING_COACHES)
def test_the_coachs_status_counts_no_request_once_the_cohort_stops_pairing_coaches(
    db: Database, mode: PairingMode
) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    ask(db, "U0LEARN", "U0COACH")
    paired_as(db, COHORT, mode)

    assert status_of(db, "U0COACH").requests_to_answer == 0  # accepting would only close it

    paired_as(db, COHORT, PairingMode.COACH_LEARNER)
    assert status_of(db, "U0COACH").requests_to_answer == 1


@pytest.mark.parametrize("mode", NOT_PAIRING_COACHES)
def test_the_learners_status_no_longer_says_their_request_waits(db: Database, mode: PairingMode) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    ask(db, "U0LEARN", "U0COACH")
    paired_as(db, COHORT, mode)

    assert status_of(db, "U0LEARN").asked is None

    paired_as(db, COHORT, PairingMode.COACH_LEARNER)
    assert status_of(db, "U0LEARN").asked is not None


@pytest.mark.parametrize("mode", NOT_PAIRING_COACHES)
def test_the_coachs_digest_counts_no_request_once_the_cohort_stops_pairing_coaches(
    db: Database, mode: PairingMode
) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    ask(db, "U0LEARN", "U0COACH")
    paired_as(db, COHORT, mode)

    assert requests_in_digest(db) == 0
    with db.unit_of_work() as uow:
        plan_nudges(uow.session, NOW + timedelta(hours=1))  # their morning: the request was all it had
        uow.commit()
    assert digests(db) == []


def test_a_digest_waiting_for_the_coachs_hours_drops_a_request_the_cohort_stopped_taking(
    db: Database,
) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    ask(db, "U0LEARN", "U0COACH")
    with db.unit_of_work() as uow:
        profile = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0COACH")).one()
        profile.work_pattern = AFTERNOONS
        plan_nudges(uow.session, NOW)  # 09:00 on a Monday: made in their morning, held until 13:00
        uow.commit()
    [key] = digests(db)
    assert claim_due(db.unit_of_work(), NOW, limit=10, claim_for=timedelta(minutes=5)) == []
    paired_as(db, COHORT, PairingMode.NONE)

    claimed = claim_due(db.unit_of_work(), NOW.replace(hour=13), limit=10, claim_for=timedelta(minutes=5))

    assert claimed == []  # nothing left to act on: dropped, not sent
    with db.reading() as reading:
        status = reading.session.scalars(
            select(OutboxMessage.status).where(OutboxMessage.idempotency_key == key)
        ).one()
    assert status == "superseded"
