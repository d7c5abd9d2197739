"""A member sends their survey at the moment they leave the cohort and have their data erased, on another
replica (PostgreSQL). The two take turns on the membership: an answer that comes first is kept until the
erasure deletes it (the survey still counts as answered in the cohort's rates); one that comes second is
refused as closed, and nothing of it is kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circles.errors import SurveyClosed
from circles.persistence.db import Database, UnitOfWork
from circles.persistence.models import SurveyAnswer, SurveyRequest
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from circles.services.surveys.answers import GivenSurvey, SurveyAnswered, answer_survey
from tests.integration.test_erasure_leave_during_confirm import CommitAfter
from tests.integration.test_erasure_survey_rates import LEE, rates
from tests.integration.test_survey_planning import START, deliver_invitations, first_request

GIVEN = GivenSurvey({"fit_in": 4, "myself": 3, "cared_for": 4, "connected": 2})
ON_POSTGRES = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def answering(uow: UnitOfWork, request_id: int) -> object:
    return answer_survey(uow, "T0001", LEE, request_id, GIVEN, START, cipher=None)


def leaving(uow: UnitOfWork) -> object:
    return leave(uow, "T0001", "pgy1", LEE, START)


def sent_survey(db: Database) -> int:
    """Lee's baseline survey, delivered to Lee and four others, none answered yet."""
    request_id = first_request(db, 5)
    deliver_invitations(db)
    return request_id


def answers_kept(db: Database) -> list[SurveyAnswer]:
    with db.reading() as reading:
        return list(reading.session.scalars(select(SurveyAnswer)))


def request_of(db: Database, request_id: int) -> SurveyRequest:
    with db.reading() as reading:
        return reading.session.get_one(SurveyRequest, request_id)


@pytest.mark.postgres
@ON_POSTGRES
def test_answers_sent_as_their_member_leaves_and_erases_are_kept_until_the_erasure_deletes_them(
    db: Database,
) -> None:
    request_id = sent_survey(db)

    def leaving_then_erasing() -> object:
        leaving(db.unit_of_work())
        return erase_personal_data(db.unit_of_work(), "T0001", LEE, START)

    held = CommitAfter(db, leaving_then_erasing)

    answered = answering(held, request_id)

    [erased] = held.outcome
    assert isinstance(answered, SurveyAnswered)
    assert erased is True
    assert answers_kept(db) == []
    assert request_of(db, request_id).member_id is None
    assert [(rate.sent, rate.answered) for rate in rates(db)] == [(5, 1)]  # the response still counts


@pytest.mark.postgres
@ON_POSTGRES
def test_answers_sent_while_their_member_is_leaving_are_refused_as_closed_and_not_kept(db: Database) -> None:
    request_id = sent_survey(db)
    held = CommitAfter(db, lambda: answering(db.unit_of_work(), request_id))

    leaving(held)

    [answered] = held.outcome
    assert isinstance(answered, SurveyClosed), answered
    assert answers_kept(db) == []
    assert request_of(db, request_id).answered_at is None


@pytest.mark.postgres
@ON_POSTGRES
def test_answers_sent_while_a_former_members_data_is_erased_are_refused_as_closed_and_not_kept(
    db: Database,
) -> None:
    request_id = sent_survey(db)
    leaving(db.unit_of_work())
    held = CommitAfter(db, lambda: answering(db.unit_of_work(), request_id))

    assert erase_personal_data(held, "T0001", LEE, START)

    [answered] = held.outcome
    assert isinstance(answered, SurveyClosed), answered  # as closed: the survey was theirs
    assert answers_kept(db) == []
    assert request_of(db, request_id).answered_at is None
