"""Surveys once their cohort is over or archived: a member still paused after the last day, whom nothing can
resume, may answer the end survey while it is open (nothing is sent to them meanwhile); an archived cohort's
invitations and reminders are dropped, and its surveys take no answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.dispatch import dispatch
from circles.domain.vocabulary import OutboxStatus
from circles.errors import CohortEnded, SurveyClosed, SurveyWaitsForYou
from circles.persistence.db import Database
from circles.persistence.models import Cohort, OutboxMessage
from circles.services.people.membership import pause, resume
from circles.services.planning import plan
from circles.services.surveys.answers import GivenSurvey, answer_survey, survey_to_answer
from standin import SlackStandIn
from tests.dispatching import deps_for
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import utc
from tests.integration.test_survey_absences import NIA, SENDING, answers, request_of, sent_surveys
from tests.integration.test_survey_planning import START, surveyed_cohort

END_DAY = utc(2026, 4, 28, 13)  # the end survey: 9:00 in New York three days before the last day, May 1
OVER = utc(2026, 5, 3, 15)  # the cohort's last day is over in New York; the end survey is open until May 12


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def planned_and_sent(db: Database, standin: SlackStandIn, at: datetime) -> None:
    with db.unit_of_work() as uow:
        plan(uow.session, at, grace=GRACE)
        uow.commit()
    dispatch(deps_for(db, standin), at, options=SENDING)


def end_survey_sent(db: Database, standin: SlackStandIn) -> int:
    """Nia's cohort, with an end survey only, its invitation delivered on its day: the request."""
    surveyed_cohort(db, 1)
    with db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).values(survey_plan={"end": ["burnout"]}))
        uow.commit()
    planned_and_sent(db, standin, END_DAY)
    assert sent_surveys(db)[("survey_invite", "burnout")] is not None
    return request_of(db, "burnout")


def archive(db: Database, at: datetime) -> None:
    with db.unit_of_work() as uow:  # archiving is done outside the app
        uow.session.execute(update(Cohort).values(archived_at=at))
        uow.commit()


def test_a_member_paused_with_no_end_may_answer_the_end_survey_once_the_cohorts_last_day_is_over(
    db: Database, standin: SlackStandIn
) -> None:
    request_id = end_survey_sent(db, standin)
    pause(db.unit_of_work(), "T0001", NIA, None, END_DAY + timedelta(days=1))
    last_day = utc(2026, 5, 1, 15)  # still the last day in New York: a resume would bring the survey back
    with pytest.raises(SurveyWaitsForYou):
        survey_to_answer(db.unit_of_work(), "T0001", NIA, request_id, last_day)
    with pytest.raises(CohortEnded):  # over now: nothing can end the pause
        resume(db.unit_of_work(), "T0001", NIA, OVER)

    dispatch(deps_for(db, standin), OVER, options=SENDING)  # the reminder is due, but Nia is still paused
    assert sent_surveys(db)[("survey_reminder", "burnout")] is None
    opened = survey_to_answer(db.unit_of_work(), "T0001", NIA, request_id, utc(2026, 5, 11, 12))
    assert opened.instrument.name == "burnout"
    answer_survey(db.unit_of_work(), "T0001", NIA, request_id, GivenSurvey({"state": 2}), OVER, cipher=None)
    assert answers(db) == {"state": 2}


def test_an_archived_cohorts_survey_invitation_is_dropped_unsent(db: Database, standin: SlackStandIn) -> None:
    surveyed_cohort(db, 1)
    with db.unit_of_work() as uow:
        plan(uow.session, START - timedelta(minutes=30), grace=GRACE)
        uow.commit()
    archive(db, START - timedelta(minutes=10))
    dispatch(deps_for(db, standin), START, options=SENDING)

    with db.reading() as uow:
        invites = [
            row
            for row in uow.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == NIA))
            if row.payload["template"] == "survey_invite"
        ]
    assert [(row.status, row.sent_at) for row in invites] == [(OutboxStatus.SUPERSEDED, None)]


def test_an_archived_cohorts_open_survey_takes_no_answer_and_gets_no_reminder(
    db: Database, standin: SlackStandIn
) -> None:
    surveyed_cohort(db, 1)
    planned_and_sent(db, standin, START)
    assert sent_surveys(db)[("survey_invite", "belonging")] is not None
    request_id = request_of(db, "belonging")
    archive(db, START + timedelta(days=1))

    later = START + timedelta(days=3, hours=1)  # the reminder is due; the survey would be open until day 14
    dispatch(deps_for(db, standin), later, options=SENDING)
    assert sent_surveys(db)[("survey_reminder", "belonging")] is None
    with pytest.raises(SurveyClosed):
        survey_to_answer(db.unit_of_work(), "T0001", NIA, request_id, later)
    given = GivenSurvey({"fit_in": 4})
    with pytest.raises(SurveyClosed):
        answer_survey(db.unit_of_work(), "T0001", NIA, request_id, given, later, cipher=None)
    assert answers(db) == {}
