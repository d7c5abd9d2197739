"""Consent to research use: each decision kept with its date and version, the latest one standing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from circles.domain.research.consent import Decision
from circles.domain.vocabulary import MemberStatus
from circles.errors import ConsentWhichCohort, NotAMember
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Consent, Member
from circles.services.research.consent import DEFAULT_STATEMENT, consent_status, decide
from tests import factories

NOW = datetime(2027, 1, 13, 15, tzinfo=UTC)


def seed(db: Database, slugs: tuple[str, ...] = ("a",)) -> None:
    """Lee is a member of each cohort named."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        for slug in slugs:
            factories.member(uow.session, factories.cohort(uow.session, ws, slug), "U0LEE", flush=False)
        uow.commit()


def history(db: Database) -> list[tuple[Decision, str, datetime]]:
    with db.reading() as uow:
        rows = uow.session.scalars(select(Consent).order_by(Consent.id))
        return [(row.decision, row.statement_version, row.decided_at) for row in rows]


def test_a_member_not_asked_yet_sees_the_default_statement_and_no_decision(db: Database) -> None:
    seed(db)
    [status] = consent_status(db.reading(), "T0001", "U0LEE", NOW)
    assert (status.slug, status.statement, status.version, status.latest) == (
        "a",
        DEFAULT_STATEMENT,
        "1",
        None,
    )


def test_giving_then_withdrawing_keeps_both_decisions_and_the_latest_stands(db: Database) -> None:
    seed(db)
    given = decide(db.unit_of_work(), "T0001", "U0LEE", None, True, NOW)
    later = NOW + timedelta(days=3)
    withdrawn = decide(db.unit_of_work(), "T0001", "U0LEE", "a", False, later)
    assert given.changed
    assert withdrawn.changed
    assert history(db) == [(Decision.GIVEN, "1", NOW), (Decision.WITHDRAWN, "1", later)]
    [status] = consent_status(db.reading(), "T0001", "U0LEE", later)
    assert status.latest is not None
    assert status.latest.decision is Decision.WITHDRAWN


def test_the_same_decision_again_records_nothing_new(db: Database) -> None:
    seed(db)
    decide(db.unit_of_work(), "T0001", "U0LEE", "a", True, NOW)
    again = decide(db.unit_of_work(), "T0001", "U0LEE", "a", True, NOW + timedelta(hours=1))
    assert not again.changed
    assert again.record.at == NOW
    assert len(history(db)) == 1


def test_a_new_statement_version_is_agreed_to_again(db: Database) -> None:
    seed(db)
    decide(db.unit_of_work(), "T0001", "U0LEE", "a", True, NOW)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        cohort.research_statement, cohort.research_statement_version = "Our own words.", "2"
        uow.commit()
    [status] = consent_status(db.reading(), "T0001", "U0LEE", NOW)
    assert (status.statement, status.version) == ("Our own words.", "2")
    assert decide(db.unit_of_work(), "T0001", "U0LEE", "a", True, NOW + timedelta(days=1)).changed
    assert [version for _, version, _ in history(db)] == ["1", "2"]


def test_a_member_of_several_cohorts_names_one_and_a_stranger_is_refused(db: Database) -> None:
    seed(db, ("a", "b"))
    with pytest.raises(ConsentWhichCohort) as which:
        decide(db.unit_of_work(), "T0001", "U0LEE", None, True, NOW)
    assert which.value.slugs == ["a", "b"]
    with pytest.raises(NotAMember):
        decide(db.unit_of_work(), "T0001", "U0LEE", "zzz", True, NOW)
    decide(db.unit_of_work(), "T0001", "U0LEE", "b", True, NOW)
    statuses = consent_status(db.reading(), "T0001", "U0LEE", NOW)
    assert [(s.slug, s.latest is not None) for s in statuses] == [("a", False), ("b", True)]


def test_someone_who_left_can_still_withdraw_their_consent_and_is_offered_to_only_while_it_stands(
    db: Database,
) -> None:
    seed(db, ("a", "b"))
    decide(db.unit_of_work(), "T0001", "U0LEE", "a", True, NOW)
    with db.unit_of_work() as uow:  # Lee left both cohorts; what they answered in `a` is still exported
        for member in uow.session.scalars(select(Member).where(Member.slack_user_id == "U0LEE")):
            member.status = MemberStatus.LEFT
        uow.commit()

    assert [s.slug for s in consent_status(db.reading(), "T0001", "U0LEE", NOW)] == ["a"]
    with pytest.raises(NotAMember):  # agreeing needs a current membership
        decide(db.unit_of_work(), "T0001", "U0LEE", "b", True, NOW)
    later = NOW + timedelta(days=1)
    withdrawn = decide(db.unit_of_work(), "T0001", "U0LEE", "a", False, later)
    assert withdrawn.changed
    assert history(db)[-1] == (Decision.WITHDRAWN, "1", later)
    assert consent_status(db.reading(), "T0001", "U0LEE", later) == []
