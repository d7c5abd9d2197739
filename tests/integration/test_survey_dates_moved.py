"""A cohort's dates move after its surveys were asked: a phase moved months later is asked again on its new
day, the earlier request kept but no longer counted; a request not yet sent follows its phase; moved a
little, or earlier, nothing is asked twice; planning again, or from two processes, asks nobody twice."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from circles.domain.vocabulary import SurveyPhase
from circles.errors import SurveyClosed
from circles.persistence.db import Database
from circles.persistence.models import Cohort, OutboxMessage, SurveyAnswer, SurveyRequest
from circles.queries.surveys import Rate, response_rates
from circles.services.outbox.surveys import drop_unwanted, record_delivered
from circles.services.planning import plan
from circles.services.surveys.answers import GivenSurvey, answer_survey
from circles.services.surveys.plan import plan_surveys
from tests import factories
from tests.databases import postgres, raced
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_cohort_end_moved_later import moved_to
from tests.integration.test_planning import utc

__all__ = ["postgres"]

FAC = "U0FAC"
PLAN = {"baseline": ["belonging"], "midpoint": ["burnout"], "end": ["relationship_quality"]}
OLD_MIDPOINT = utc(2026, 4, 1, 13)  # 9:00 New York, half-way from 2026-03-02 to 2026-05-01
OLD_END_SURVEY = utc(2026, 4, 28, 13)  # three days before 2026-05-01
NEW_MIDPOINT = utc(2026, 5, 17, 13)  # half-way from 2026-03-02 to 2026-08-01
NEW_END_SURVEY = utc(2026, 7, 29, 13)  # three days before 2026-08-01
EXTENDED = date(2026, 8, 1)


def programme(db: Database, *users: str) -> None:
    with db.unit_of_work() as uow:
        co = world.cohort(uow.session, world.workspace(uow.session), ends_on=date(2026, 5, 1))
        co.survey_plan = PLAN
        factories.facilitator(uow.session, co, FAC)
        for user in users or ("U0A",):
            world.member(uow.session, co, user)
        uow.commit()


def run(db: Database, at: datetime) -> None:
    with db.unit_of_work() as uow:
        plan(uow.session, at, grace=GRACE)
        uow.commit()


def deliver(db: Database, at: datetime) -> None:
    """Every survey invitation in the outbox reaches Slack at `at`, as the dispatcher records it."""
    with db.unit_of_work() as uow:
        record_delivered(uow.session, [row.payload for row in uow.session.scalars(select(OutboxMessage))], at)
        uow.commit()


def move_end(db: Database, ends_on: date, at: datetime) -> None:
    """The facilitator saves the cohort's settings with another last day."""
    moved_to(db, ends_on, at)


def requests(db: Database, phase: SurveyPhase) -> list[SurveyRequest]:
    with db.reading() as uow:
        query = select(SurveyRequest).where(SurveyRequest.phase == phase).order_by(SurveyRequest.id)
        return list(uow.session.scalars(query))


def invitations(db: Database) -> list[str]:
    with db.reading() as uow:
        keys = uow.session.scalars(select(OutboxMessage.idempotency_key).order_by(OutboxMessage.id))
        return [key for key in keys if key.startswith("survey_invite:")]


def rates(db: Database) -> list[Rate]:
    with db.reading() as uow:
        co = uow.session.scalars(select(Cohort)).one()
        return response_rates(uow.session, co.workspace_id, co.id)


def answer_end(db: Database, request_id: int, at: datetime, trust: int) -> None:
    given = GivenSurvey({"trust": trust, "heard": 4})
    answer_survey(db.unit_of_work(), "T0001", "U0A", request_id, given, at, cipher=None)


def test_the_end_survey_is_asked_at_the_cohorts_new_end_when_the_programme_is_extended(db: Database) -> None:
    programme(db)
    run(db, OLD_END_SURVEY)
    assert [r.due_at for r in requests(db, SurveyPhase.END)] == [OLD_END_SURVEY]
    move_end(db, EXTENDED, OLD_END_SURVEY + timedelta(days=2))
    run(db, NEW_END_SURVEY)
    due = sorted(r.due_at for r in requests(db, SurveyPhase.END))
    assert NEW_END_SURVEY in due, f"end survey requests due only at {due}"


def test_an_end_survey_answered_before_the_programme_was_extended_is_asked_again_and_stops_counting(
    db: Database,
) -> None:
    programme(db)
    run(db, OLD_END_SURVEY)
    deliver(db, OLD_END_SURVEY)
    [first] = requests(db, SurveyPhase.END)
    answer_end(db, first.id, OLD_END_SURVEY + timedelta(hours=2), trust=2)
    move_end(db, EXTENDED, OLD_END_SURVEY + timedelta(days=2))
    run(db, OLD_END_SURVEY + timedelta(days=2))  # the pass the change brings asks nothing yet
    assert len(requests(db, SurveyPhase.END)) == 1

    run(db, NEW_END_SURVEY)
    old, new = requests(db, SurveyPhase.END)
    assert (old.id, old.due_at, old.superseded_at is not None) == (first.id, OLD_END_SURVEY, True)
    assert (new.due_at, new.sent_at, new.superseded_at) == (NEW_END_SURVEY, None, None)
    assert invitations(db)[-1] == f"survey_invite:{new.id}"  # with its invitation (and reminder)
    with db.reading() as uow:  # the first answers are kept, only no longer the end's
        kept = uow.session.scalars(select(SurveyAnswer.request_id)).all()
    assert set(kept) == {first.id}
    assert [r for r in rates(db) if r.phase is SurveyPhase.END] == []  # the new one is not delivered yet

    deliver(db, NEW_END_SURVEY)
    answer_end(db, new.id, NEW_END_SURVEY + timedelta(hours=1), trust=5)
    assert [r for r in rates(db) if r.phase is SurveyPhase.END] == [
        Rate(SurveyPhase.END, "relationship_quality", 1, 1)
    ]


def test_a_midpoint_sent_before_the_dates_moved_is_asked_again_at_the_new_midpoint(db: Database) -> None:
    programme(db)
    run(db, OLD_MIDPOINT)
    deliver(db, OLD_MIDPOINT)
    move_end(db, EXTENDED, OLD_MIDPOINT + timedelta(days=20))
    run(db, NEW_MIDPOINT)
    old, new = requests(db, SurveyPhase.MIDPOINT)
    assert (old.due_at, old.superseded_at is not None) == (OLD_MIDPOINT, True)
    assert (new.due_at, new.superseded_at) == (NEW_MIDPOINT, None)
    with pytest.raises(SurveyClosed):  # the earlier one, never answered, takes no answers now
        answer_survey(
            db.unit_of_work(), "T0001", "U0A", old.id, GivenSurvey({"state": 2}), NEW_MIDPOINT, cipher=None
        )
    run(db, NEW_END_SURVEY)  # the end survey, never asked before, is asked once at the new end
    assert [r.due_at for r in requests(db, SurveyPhase.END)] == [NEW_END_SURVEY]


def test_a_request_not_yet_sent_follows_its_phase_and_its_invitation_waits_for_the_new_day(
    db: Database,
) -> None:
    programme(db)
    run(db, OLD_END_SURVEY)  # written, but its invitation not sent yet (the member was out, say)
    moved_at = OLD_END_SURVEY + timedelta(days=2)
    move_end(db, EXTENDED, moved_at)
    run(db, moved_at)
    [request] = requests(db, SurveyPhase.END)
    assert (request.due_at, request.superseded_at) == (NEW_END_SURVEY, None)

    with db.unit_of_work() as uow:  # the dispatcher claims its old invitation and reminder: they wait
        rows = [
            r
            for r in uow.session.scalars(select(OutboxMessage))
            if r.idempotency_key.endswith(f":{request.id}")
        ]
        held = drop_unwanted(uow.session, rows, moved_at)
        assert held == {r.id for r in rows}
        assert {r.due_at for r in rows} == {NEW_END_SURVEY}
        uow.commit()
    run(db, NEW_END_SURVEY)
    assert [r.id for r in requests(db, SurveyPhase.END)] == [request.id]  # nothing asked twice


def test_an_end_moved_a_few_days_later_or_earlier_after_its_survey_went_asks_nothing_again(
    db: Database,
) -> None:
    programme(db)
    run(db, OLD_END_SURVEY)
    deliver(db, OLD_END_SURVEY)
    move_end(db, date(2026, 5, 8), OLD_END_SURVEY + timedelta(days=1))  # a week later: still its time
    run(db, utc(2026, 5, 5, 13))
    move_end(db, date(2026, 4, 20), utc(2026, 5, 6, 13))  # then earlier than it was asked
    run(db, utc(2026, 5, 6, 14))
    [request] = requests(db, SurveyPhase.END)
    assert (request.due_at, request.superseded_at) == (OLD_END_SURVEY, None)
    assert len(invitations(db)) == 1  # the end's, once


def test_planning_again_after_a_phase_was_asked_again_asks_nobody_twice(db: Database) -> None:
    programme(db, "U0A", "U0B")
    run(db, OLD_END_SURVEY)
    deliver(db, OLD_END_SURVEY)
    move_end(db, EXTENDED, OLD_END_SURVEY + timedelta(days=2))
    for _ in range(2):
        run(db, NEW_END_SURVEY)
        with db.unit_of_work() as uow:  # as after any change: the cohort is planned from scratch
            uow.session.execute(update(Cohort).values(plan_due_at=None))
            uow.commit()
    ends = requests(db, SurveyPhase.END)
    assert sorted((r.member_id, r.superseded_at is None) for r in ends) == sorted(
        (member, current) for member in {r.member_id for r in ends} for current in (False, True)
    )
    assert len(ends) == 4
    assert len([key for key in invitations(db) if int(key.split(":")[1]) in {r.id for r in ends}]) == 4


def test_a_member_who_joins_after_the_new_midpoint_is_not_asked_it(db: Database) -> None:
    programme(db)
    run(db, OLD_MIDPOINT)
    deliver(db, OLD_MIDPOINT)
    move_end(db, EXTENDED, OLD_MIDPOINT + timedelta(days=20))
    with db.unit_of_work() as uow:
        co = uow.session.scalars(select(Cohort)).one()
        late = factories.member(uow.session, co, "U0LATE", at=NEW_MIDPOINT + timedelta(days=1))
        late_id = late.id
        uow.commit()
    run(db, NEW_MIDPOINT + timedelta(days=1))
    assert late_id not in {r.member_id for r in requests(db, SurveyPhase.MIDPOINT)}
    [baseline] = [r for r in requests(db, SurveyPhase.BASELINE) if r.member_id == late_id]
    assert baseline.due_at == NEW_MIDPOINT + timedelta(days=1)  # theirs at joining, as before


@pytest.mark.postgres
def test_two_processes_asking_a_moved_phase_again_on_postgresql_ask_it_once(postgres: Database) -> None:
    programme(postgres)
    run(postgres, OLD_END_SURVEY)
    deliver(postgres, OLD_END_SURVEY)
    move_end(postgres, EXTENDED, OLD_END_SURVEY + timedelta(days=2))

    def asking(uow_of: Database) -> int:
        with uow_of.unit_of_work() as uow:
            cohorts = list(uow.session.scalars(select(Cohort)))
            added, _ = plan_surveys(uow.session, cohorts, NEW_END_SURVEY, NEW_END_SURVEY)
            uow.commit()
            return added

    with postgres.unit_of_work() as first:
        cohorts = list(first.session.scalars(select(Cohort)))
        assert plan_surveys(first.session, cohorts, NEW_END_SURVEY, NEW_END_SURVEY)[0] == 1
        assert raced(postgres, first, lambda: asking(postgres)) == 0

    old, new = requests(postgres, SurveyPhase.END)
    assert (old.superseded_at is not None, new.superseded_at, new.due_at) == (True, None, NEW_END_SURVEY)
    assert invitations(postgres)[-1] == f"survey_invite:{new.id}"
    assert len(invitations(postgres)) == 2  # the old end's, the new end's
