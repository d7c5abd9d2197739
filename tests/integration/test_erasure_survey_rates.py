"""Erasing a former member keeps the cohort's survey response rates (an aggregate) as they were, and keeps
nothing of theirs: no answer, and no request that names them. On SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from circles.persistence.db import Database
from circles.persistence.models import SurveyAnswer, SurveyRequest
from circles.queries.surveys import Rate, response_rates
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from circles.services.surveys.answers import GivenSurvey, answer_survey
from tests.integration.test_survey_planning import START, deliver_invitations, first_request

LEE = "U0PGY10"


def rates(db: Database) -> list[Rate]:
    with db.reading() as reading:
        request = reading.session.scalars(select(SurveyRequest)).first()
        assert request is not None
        return response_rates(reading.session, request.workspace_id, request.cohort_id)


def test_an_erased_members_answered_survey_still_counts_and_nothing_of_it_names_them(db: Database) -> None:
    request_id = first_request(db, 5)  # five members asked the baseline
    deliver_invitations(db)
    answer_survey(db.unit_of_work(), "T0001", LEE, request_id, GivenSurvey({"fit_in": 4}), START, cipher=None)
    before = rates(db)
    assert [(rate.sent, rate.answered) for rate in before] == [(5, 1)]

    leave(db.unit_of_work(), "T0001", "pgy1", LEE, START)
    assert erase_personal_data(db.unit_of_work(), "T0001", LEE, START)

    assert rates(db) == before
    with db.reading() as reading:
        kept = reading.session.get(SurveyRequest, request_id)
        assert kept is not None
        assert kept.member_id is None
        assert (
            reading.session.scalars(select(SurveyAnswer).where(SurveyAnswer.request_id == request_id)).all()
            == []
        )
