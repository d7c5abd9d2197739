"""A survey counts as sent when its invitation reached Slack, not when planning asked it: the dispatcher
records the delivery with the sent row, and the facilitator's response rates count delivered surveys only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.dispatch import dispatch
from circles.domain.availability.going_away import AwayRequest
from circles.domain.vocabulary import SurveyPhase
from circles.persistence.db import Database
from circles.persistence.models import Cohort, OutboxMessage, SurveyRequest
from circles.queries.surveys import Rate, response_rates
from circles.services.availability.away import go_away
from circles.services.outbox.surveys import record_delivered
from circles.services.planning import plan
from standin import SlackStandIn
from tests.databases import counted
from tests.dispatching import UNPACED, deps_for
from tests.integration.planning_world import GRACE
from tests.integration.test_survey_planning import START, surveyed_cohort


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def planned(db: Database, members: int) -> int:
    cohort_id = surveyed_cohort(db, members)
    with db.unit_of_work() as uow:
        plan(uow.session, START, grace=GRACE)
        uow.commit()
    return cohort_id


def rates(db: Database, cohort_id: int) -> list[Rate]:
    with db.reading() as uow:
        workspace_id = uow.session.get_one(Cohort, cohort_id).workspace_id
        return response_rates(uow.session, workspace_id, cohort_id)


def surveys(statements: list[str]) -> list[str]:
    return [s for s in statements if "survey_requests" in s]


def test_a_planned_survey_counts_as_sent_only_once_its_invitation_was_delivered(
    db: Database, standin: SlackStandIn
) -> None:
    cohort_id = planned(db, 2)
    with db.reading() as uow:
        assert [r.sent_at for r in uow.session.scalars(select(SurveyRequest))] == [None, None]
    assert rates(db, cohort_id) == []

    delivered_at = START + timedelta(minutes=1)
    summary = dispatch(deps_for(db, standin), delivered_at, options=UNPACED)

    assert summary.sent >= 2
    with db.reading() as uow:
        requests = {r.id: r.sent_at for r in uow.session.scalars(select(SurveyRequest))}
        invites = {
            row.payload["args"]["request_id"]: row.sent_at
            for row in uow.session.scalars(select(OutboxMessage))
            if row.payload["template"] == "survey_invite"
        }
    assert requests == invites  # sent when, and in the transaction where, its invitation was recorded sent
    assert all(at is not None and at >= delivered_at for at in requests.values())
    assert rates(db, cohort_id) == [Rate(SurveyPhase.BASELINE, "belonging", 2, 0)]


def test_recording_a_batch_of_invitations_delivered_is_one_statement_whatever_its_size(db: Database) -> None:
    planned(db, 21)
    with db.reading() as uow:
        invites = [
            row.payload
            for row in uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
            if row.payload["template"] == "survey_invite"
        ]
    assert len(invites) == 21
    with counted(db) as one, db.unit_of_work() as uow:
        record_delivered(uow.session, invites[:1], START)
        uow.commit()
    with counted(db) as twenty, db.unit_of_work() as uow:
        record_delivered(uow.session, invites[1:], START)
        uow.commit()
    assert len(surveys(one)) == len(surveys(twenty)) == 1, twenty
    with db.reading() as uow:
        assert {r.sent_at for r in uow.session.scalars(select(SurveyRequest))} == {START}


def test_a_survey_invitation_held_while_its_member_was_away_comes_without_its_reminder_beside_it(
    db: Database, standin: SlackStandIn
) -> None:
    surveyed_cohort(db, 1)
    go_away(db.unit_of_work(), "T0001", "U0PGY10", AwayRequest(weeks=1), START - timedelta(hours=1))
    for step in range(0, 4 * 12):  # every six hours for twelve days: away for the first seven
        now = START + timedelta(hours=6 * step)
        with db.unit_of_work() as uow:
            plan(uow.session, now, grace=GRACE)
            uow.commit()
        dispatch(deps_for(db, standin), now, options=UNPACED)
    with db.reading() as uow:
        sent = {
            row.payload["template"]: row.sent_at
            for row in uow.session.scalars(select(OutboxMessage))
            if row.payload["template"].startswith("survey_")
        }
    assert sent["survey_invite"] is not None
    assert sent["survey_reminder"] is not None
    # Sent times are each pass's clock, which moves on by milliseconds while it sends.
    assert sent["survey_reminder"] - sent["survey_invite"] >= timedelta(days=3) - timedelta(seconds=1)
