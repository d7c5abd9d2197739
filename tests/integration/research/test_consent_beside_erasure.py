"""A member's consent decision beside their leaving and erasure: nothing of it outlives the erasure, and on
their return they have not agreed until they agree again (rules 3 and 8). Races on one PostgreSQL with two
replicas; what the erasure must leave counting, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from circles.domain.research.consent import Decision
from circles.domain.vocabulary import PairingMode, Role
from circles.errors import NotAMember
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Consent, Member
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership.joining import join
from circles.services.people.membership.leaving import leave
from circles.services.research.consent import consent_status, decide
from tests.databases import meanwhile, postgres  # noqa: F401  (fixture)
from tests.integration.research.test_export import NOW, START, export, seed

LEARNER = "U0L000000"
LEFT = START + timedelta(weeks=3, hours=1)
BACK = START + timedelta(weeks=4)


def leave_and_erase(db: Database) -> bool:
    leave(db.unit_of_work(), "T0001", "pgy1", LEARNER, LEFT)
    return erase_personal_data(db.unit_of_work(), "T0001", LEARNER, LEFT + timedelta(minutes=1))


def decisions(db: Database) -> list[tuple[Decision, object]]:
    with db.reading() as uow:
        rows = uow.session.scalars(select(Consent).where(Consent.slack_user_id == LEARNER))
        return [(row.decision, row.decided_at) for row in rows]


def come_back(db: Database) -> None:
    with db.unit_of_work() as uow:  # the seeded pairs are coaches' and learners'
        uow.session.execute(update(Cohort).values(pairing_mode=PairingMode.COACH_LEARNER))
        uow.commit()
    join(db.unit_of_work(), "T0001", "pgy1", LEARNER, Role.LEARNER, BACK)


def test_an_agreement_reaching_its_write_as_the_member_leaves_and_is_erased_is_erased_with_them(
    postgres: Database,  # noqa: F811
) -> None:
    db = postgres
    seed(db, 3)
    decide(db.unit_of_work(), "T0001", LEARNER, "pgy1", False, START + timedelta(hours=1))
    with meanwhile(db, "INSERT INTO consents", lambda: leave_and_erase(db)) as outcome:
        decide(db.unit_of_work(), "T0001", LEARNER, "pgy1", True, LEFT - timedelta(seconds=1))
    assert outcome == [True]  # the leave and erasure waited for the agreement, then went through
    assert decisions(db) == []
    come_back(db)
    [status] = consent_status(db.reading(), "T0001", LEARNER, BACK)
    assert status.latest is None
    assert export(db, NOW).included == 5


def test_an_agreement_pressed_as_the_member_leaves_and_is_erased_first_is_refused(
    postgres: Database,  # noqa: F811
) -> None:
    db = postgres
    seed(db, 3)
    decide(db.unit_of_work(), "T0001", LEARNER, "pgy1", False, START + timedelta(hours=1))
    with (
        meanwhile(db, "SELECT members", lambda: leave_and_erase(db)) as outcome,
        pytest.raises(NotAMember),
    ):
        decide(db.unit_of_work(), "T0001", LEARNER, "pgy1", True, LEFT - timedelta(seconds=1))
    assert outcome == [True]
    assert decisions(db) == []


def a_decision_left_by_the_erasure(db: Database) -> None:
    """The learner leaves and is erased; an agreement dated before the erasure is there after it (as one
    written beside it by a replica that held nothing would be)."""
    seed(db, 3)
    assert leave_and_erase(db) is True
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        row = Consent(workspace_id=cohort.workspace_id, cohort_id=cohort.id, slack_user_id=LEARNER)
        row.decision, row.statement_version, row.decided_at = Decision.GIVEN, "1", LEFT - timedelta(seconds=1)
        uow.session.add(row)
        uow.commit()


def test_a_decision_from_before_an_erasure_counts_for_nobody_who_comes_back(db: Database) -> None:
    a_decision_left_by_the_erasure(db)
    come_back(db)
    [status] = consent_status(db.reading(), "T0001", LEARNER, BACK)
    assert status.latest is None  # Home and /circles consent ask them, as someone who never agreed
    assert export(db, NOW).included == 5
    again = decide(db.unit_of_work(), "T0001", LEARNER, "pgy1", True, BACK + timedelta(hours=1))
    assert again.changed  # their agreement now is recorded, not taken for the one before
    assert export(db, NOW).included == 6


def test_a_cohort_left_and_erased_is_not_shown_and_takes_no_decision(db: Database) -> None:
    a_decision_left_by_the_erasure(db)
    assert consent_status(db.reading(), "T0001", LEARNER, BACK) == []
    with pytest.raises(NotAMember):
        decide(db.unit_of_work(), "T0001", LEARNER, "pgy1", False, BACK)
    assert [decision for decision, _ in decisions(db)] == [Decision.GIVEN]  # nothing more of theirs


def test_a_member_who_left_without_erasure_may_still_withdraw(db: Database) -> None:
    seed(db, 3)
    leave(db.unit_of_work(), "T0001", "pgy1", LEARNER, LEFT)
    withdrawn = decide(db.unit_of_work(), "T0001", LEARNER, "pgy1", False, BACK)
    assert withdrawn.changed
    with db.reading() as uow:
        assert uow.session.scalars(select(Member.erased_before)).all() == [None] * 6
