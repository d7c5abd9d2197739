"""Surveys around a member's absences: a pause that ends by itself, a pause or a leave before the invitation
went and a return while the survey is open, a long time away. Each comes back to a survey they can still
answer, with its one reminder a few days after the invitation reached them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.dispatch import dispatch
from circles.domain.availability.going_away import AwayRequest
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, SurveyAnswer, SurveyRequest
from circles.services.availability.away import go_away
from circles.services.people.membership import join, leave, pause, resume
from circles.services.planning import plan
from circles.services.surveys.answers import GivenSurvey, answer_survey
from standin import SlackStandIn
from tests.dispatching import UNPACED, deps_for
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import utc
from tests.integration.test_survey_planning import START, surveyed_cohort

NIA = "U0PGY10"
HALF_WAY = utc(2026, 4, 1, 13)  # the midpoint: 9:00 in New York on the cohort's middle day
# Nobody is in Do Not Disturb in the stand-in: asking at each pass would hold nothing back, so it is skipped.
SENDING = replace(UNPACED, look_up_dnd=False)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def run(db: Database, standin: SlackStandIn, start: datetime, days: int) -> None:
    """Plan and dispatch every six hours for that many days, as the worker's scheduler would (with what it
    built at start-up)."""
    deps = deps_for(db, standin)
    for step in range(days * 4):
        now = start + timedelta(hours=6 * step)
        with db.unit_of_work() as uow:
            plan(uow.session, now, grace=GRACE)
            uow.commit()
        dispatch(deps, now, options=SENDING)


def sent_surveys(db: Database) -> dict[tuple[str, str], datetime | None]:
    """When each survey message to Nia reached Slack, by (template, instrument); None: never."""
    with db.reading() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == NIA)).all()
        return {
            (row.payload["template"], row.payload["args"]["instrument"]): row.sent_at
            for row in rows
            if row.payload["template"].startswith("survey_")
        }


def request_of(db: Database, instrument: str) -> int:
    with db.reading() as uow:
        return uow.session.scalars(
            select(SurveyRequest.id).where(SurveyRequest.instrument == instrument)
        ).one()


def answers(db: Database) -> dict[str, int | None]:
    with db.reading() as uow:
        return {a.item_id: a.value for a in uow.session.scalars(select(SurveyAnswer))}


def test_a_member_whose_pause_ended_by_itself_is_asked_the_next_survey_and_may_answer_it(
    db: Database, standin: SlackStandIn
) -> None:
    surveyed_cohort(db, 1)
    pause(db.unit_of_work(), "T0001", NIA, 2, HALF_WAY - timedelta(days=7))  # back a week after the midpoint
    run(db, standin, HALF_WAY - timedelta(days=1), days=10)

    sent = sent_surveys(db)
    invited = sent.get(("survey_invite", "burnout"))
    assert invited is not None
    assert invited >= HALF_WAY + timedelta(days=7)
    request_id = request_of(db, "burnout")
    answer_survey(
        db.unit_of_work(), "T0001", NIA, request_id, GivenSurvey({"state": 2}), invited, cipher=None
    )
    assert answers(db) == {"state": 2}


def _pause(db: Database, at: datetime) -> None:
    pause(db.unit_of_work(), "T0001", NIA, None, at)


def _resume(db: Database, at: datetime) -> None:
    resume(db.unit_of_work(), "T0001", NIA, at)


def _leave(db: Database, at: datetime) -> None:
    leave(db.unit_of_work(), "T0001", "pgy1", NIA, at)


def _join_again(db: Database, at: datetime) -> None:
    join(db.unit_of_work(), "T0001", "pgy1", NIA, Role.PEER, at)


Step = Callable[[Database, datetime], None]


@pytest.mark.parametrize(("out", "back"), [(_pause, _resume), (_leave, _join_again)], ids=["pause", "leave"])
def test_someone_who_stepped_out_before_their_invitation_went_gets_it_on_return_while_it_is_open(
    db: Database, standin: SlackStandIn, out: Step, back: Step
) -> None:
    surveyed_cohort(db, 1)
    with db.unit_of_work() as uow:  # the planning pass an hour ahead asks Nia the baseline
        plan(uow.session, START - timedelta(minutes=30), grace=GRACE)
        uow.commit()
    out(db, START - timedelta(minutes=10))
    dispatch(deps_for(db, standin), START, options=SENDING)  # the invitation is due while Nia is out
    back(db, START + timedelta(days=2))
    run(db, standin, START + timedelta(days=2), days=10)

    sent = sent_surveys(db)
    invited, reminded = sent[("survey_invite", "belonging")], sent[("survey_reminder", "belonging")]
    assert invited is not None
    assert invited >= START + timedelta(days=2)
    assert reminded is not None
    assert reminded - invited >= timedelta(days=3) - timedelta(seconds=1)


def test_a_survey_that_reached_someone_late_after_time_away_stays_open_fourteen_days_from_then(
    db: Database, standin: SlackStandIn
) -> None:
    surveyed_cohort(db, 1)
    go_away(db.unit_of_work(), "T0001", NIA, AwayRequest(weeks=2), START - timedelta(days=1))
    run(db, standin, START, days=19)

    sent = sent_surveys(db)
    invited, reminded = sent[("survey_invite", "belonging")], sent[("survey_reminder", "belonging")]
    assert invited is not None
    assert invited >= START + timedelta(days=12)
    assert reminded is not None
    assert reminded - invited >= timedelta(days=3) - timedelta(seconds=1)
    request_id = request_of(db, "belonging")
    answer_survey(
        db.unit_of_work(),
        "T0001",
        NIA,
        request_id,
        GivenSurvey({"fit_in": 4}),
        invited + timedelta(days=13),
        cipher=None,
    )
    assert answers(db) == {"fit_in": 4}
