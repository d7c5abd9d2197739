"""Planning asks each active member each planned survey once, with its invitation and one reminder, in
statements that do not grow with the members; answers are kept once; rates count, never say who."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from circles.domain.vocabulary import MemberStatus, SurveyPhase
from circles.errors import InvalidSurveyAnswer, SurveyAlreadyAnswered, SurveyClosed, SurveyNotYours
from circles.persistence.db import Database
from circles.persistence.models import Cohort, OutboxMessage, SurveyAnswer, SurveyRequest, Workspace
from circles.queries.surveys import Rate, response_rates
from circles.services.outbox.surveys import record_delivered
from circles.services.planning import plan
from circles.services.surveys.answers import GivenSurvey, answer_survey
from tests.databases import counted
from tests.integration import planning_world as world
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import utc

PLAN = {"baseline": ["belonging"], "midpoint": ["burnout"], "end": []}
START = utc(2026, 3, 2, 14)  # 9:00 in New York, the cohort's zone, on its first day


def surveyed_cohort(db: Database, members: int, slug: str = "pgy1") -> int:
    with db.unit_of_work() as uow:
        ws = uow.session.scalars(select(Workspace)).first() or world.workspace(uow.session)
        co = world.cohort(uow.session, ws, slug, ends_on=date(2026, 5, 1))
        co.survey_plan = PLAN
        for n in range(members):
            world.member(uow.session, co, f"U0{slug.upper()}{n}", flush=False)
        world.member(uow.session, co, f"U0GONE{slug.upper()}", status=MemberStatus.LEFT, flush=False)
        uow.commit()
        return co.id


def first_request(db: Database, members: int) -> int:
    """A cohort of that many members, planned at its start: the first member's baseline request."""
    surveyed_cohort(db, members)
    with db.unit_of_work() as uow:
        plan(uow.session, START, grace=GRACE)
        uow.commit()
    with db.reading() as uow:
        found = uow.session.scalars(select(SurveyRequest.id).order_by(SurveyRequest.id)).first()
    assert found is not None
    return found


def deliver_invitations(db: Database) -> None:
    """Record every survey invitation in the outbox as delivered to Slack, as the dispatcher does."""
    with db.unit_of_work() as uow:
        payloads = [row.payload for row in uow.session.scalars(select(OutboxMessage))]
        record_delivered(uow.session, payloads, START)
        uow.commit()


def replan(db: Database) -> None:
    with db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).values(plan_due_at=None))
        uow.commit()


def test_each_active_member_is_asked_once_with_an_invitation_and_a_reminder(db: Database) -> None:
    surveyed_cohort(db, 2)
    for _ in range(2):  # planning twice, or again after a change, asks nobody twice
        with db.unit_of_work() as uow:
            summary = plan(uow.session, START, grace=GRACE)
            uow.commit()
        replan(db)
    with db.reading() as uow:
        requests = uow.session.scalars(select(SurveyRequest)).all()
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.idempotency_key)).all()
        assert sorted((r.instrument, r.phase) for r in requests) == [("belonging", SurveyPhase.BASELINE)] * 2
        survey_rows = [r for r in rows if r.idempotency_key.startswith("survey_")]
        assert (
            sorted(r.payload["template"] for r in survey_rows)
            == ["survey_invite"] * 2 + ["survey_reminder"] * 2
        )
        reminders = [r for r in survey_rows if r.payload["template"] == "survey_reminder"]
        assert all(r.due_at == START + timedelta(days=3) for r in reminders)
        assert {r.channel for r in survey_rows} == {"U0PGY10", "U0PGY11"}
    assert summary.surveys == 0


def test_the_next_phase_wakes_the_cohort_and_its_survey_goes_then(db: Database) -> None:
    surveyed_cohort(db, 1)
    with db.unit_of_work() as uow:
        plan(uow.session, START, grace=GRACE)
        uow.commit()
    half_way = utc(2026, 4, 1, 13)  # 9:00 in New York (daylight time) on the middle day
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        assert cohort.plan_due_at is not None
        assert cohort.plan_due_at <= half_way
        summary = plan(uow.session, half_way, grace=GRACE)
        uow.commit()
    assert summary.surveys == 1


def test_statements_do_not_grow_with_the_members(db: Database) -> None:
    surveyed_cohort(db, 3)
    with counted(db) as few, db.unit_of_work() as uow:
        assert plan(uow.session, START, grace=GRACE).surveys == 3
        uow.commit()
    with db.unit_of_work() as uow:
        uow.session.execute(update(Cohort).values(archived_at=START))
        uow.commit()
    surveyed_cohort(db, 40, slug="pgy2")
    with counted(db) as many, db.unit_of_work() as uow:
        assert plan(uow.session, START, grace=GRACE).surveys == 40
        uow.commit()
    assert len(many) == len(few), many


def test_answers_are_kept_once_and_rates_count_them(db: Database) -> None:
    request_id = first_request(db, 2)
    deliver_invitations(db)  # only delivered surveys count as sent
    with db.reading() as uow:
        first = uow.session.get_one(SurveyRequest, request_id)
        cohort_id, workspace_id = first.cohort_id, first.workspace_id
    given = GivenSurvey({"fit_in": 4, "myself": 5})
    done = answer_survey(db.unit_of_work(), "T0001", "U0PGY10", request_id, given, START, cipher=None)
    assert done.answered == 2
    with pytest.raises(SurveyAlreadyAnswered):
        answer_survey(db.unit_of_work(), "T0001", "U0PGY10", request_id, given, START, cipher=None)
    with db.reading() as uow:
        assert len(uow.session.scalars(select(SurveyAnswer)).all()) == 2
        rates = response_rates(uow.session, workspace_id, cohort_id)
    assert rates == [Rate(SurveyPhase.BASELINE, "belonging", 2, 1)]


def test_a_survey_in_parts_keeps_each_part_and_is_answered_with_the_last(db: Database) -> None:
    request_id = first_request(db, 1)
    first, last = GivenSurvey({"fit_in": 4, "myself": 3}), GivenSurvey({"cared_for": 2, "fit_in": 1})
    answer_survey(db.unit_of_work(), "T0001", "U0PGY10", request_id, first, START, cipher=None, final=False)
    answer_survey(db.unit_of_work(), "T0001", "U0PGY10", request_id, first, START, cipher=None, final=False)
    with db.reading() as uow:
        assert uow.session.get_one(SurveyRequest, request_id).answered_at is None
    answer_survey(db.unit_of_work(), "T0001", "U0PGY10", request_id, last, START, cipher=None)
    with db.reading() as uow:
        assert uow.session.get_one(SurveyRequest, request_id).answered_at == START
        stored = {a.item_id: a.value for a in uow.session.scalars(select(SurveyAnswer))}
    assert stored == {"fit_in": 4, "myself": 3, "cared_for": 2}  # an item keeps its first answer


def test_someone_elses_or_a_closed_survey_takes_no_answer(db: Database) -> None:
    request_id = first_request(db, 2)
    given = GivenSurvey({"fit_in": 4})
    with pytest.raises(SurveyNotYours):
        answer_survey(db.unit_of_work(), "T0001", "U0PGY11", request_id, given, START, cipher=None)
    with pytest.raises(SurveyNotYours):
        answer_survey(db.unit_of_work(), "T0002", "U0PGY10", request_id, given, START, cipher=None)
    with pytest.raises(InvalidSurveyAnswer):
        answer_survey(
            db.unit_of_work(), "T0001", "U0PGY10", request_id, GivenSurvey({"nope": 1}), START, cipher=None
        )
    later = START + timedelta(days=14)
    with pytest.raises(SurveyClosed):
        answer_survey(db.unit_of_work(), "T0001", "U0PGY10", request_id, given, later, cipher=None)
    with db.reading() as uow:
        assert uow.session.scalars(select(SurveyAnswer)).all() == []


def test_planning_again_while_a_survey_is_open_writes_no_survey_row_for_those_already_asked(
    db: Database,
) -> None:
    surveyed_cohort(db, 30)
    with db.unit_of_work() as uow:
        assert plan(uow.session, START, grace=GRACE).surveys == 30
        uow.commit()
    replan(db)
    with counted(db) as again, db.unit_of_work() as uow:
        assert plan(uow.session, START + timedelta(days=1), grace=GRACE).surveys == 0
        uow.commit()
    written = [s for s in again if s.lstrip().upper().startswith("INSERT") and "survey_requests" in s]
    assert written == []
