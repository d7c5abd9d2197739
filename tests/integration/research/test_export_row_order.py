"""The research export's row-level tables are written in the order of their pseudonyms, then of their other
columns: never in the order people joined, answered or were paired, which would undo the suppression of a
late joiner's week."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import update

from circles.domain.research.pseudonyms import pseudonym
from circles.domain.vocabulary import SurveyPhase
from circles.persistence.db import Database
from circles.persistence.models import SurveyAnswer, SurveyRequest
from circles.queries.surveys import NewRequest, add_requests
from circles.services.research.consent import decide
from circles.services.research.export import ResearchExport, research_export
from tests import factories
from tests.integration.research.test_export import KEY, NOW, START, export, seed, table

ROW_LEVEL = {
    "people": "person_id",
    "partnerships": "partnership_id",
    "checkins": "person_id",
    "survey_answers": "person_id",
    "health_transitions": "partnership_id",
    "escalation_outcomes": "partnership_id",
}


def in_order(made: ResearchExport, name: str) -> bool:
    rows = [list(row.values()) for row in table(made, name)]
    return rows == sorted(rows)  # each row's ID first, then its week, kind or instrument, as written


def test_every_row_level_table_is_in_the_order_of_its_ids_and_then_its_other_columns(db: Database) -> None:
    seed(db, 6)
    made = export(db)
    for name, unit in ROW_LEVEL.items():
        rows = table(made, name)
        assert len({row[unit] for row in rows}) >= 5, name
        assert in_order(made, name), name


def test_the_last_to_join_is_not_the_last_survey_row_whatever_order_the_surveys_were_asked_in(
    db: Database,
) -> None:
    users = [f"U0M{i:06d}" for i in range(10)]  # the last joined two weeks after the others
    with db.unit_of_work() as uow:
        session = uow.session
        co = factories.cohort(session, factories.workspace(session), "pgy1", at=START)
        members = [
            factories.member(session, co, user, at=START + timedelta(weeks=2 if i == 9 else 0, hours=i))
            for i, user in enumerate(users)
        ]
        asked = START + timedelta(weeks=3)
        wanted = [
            NewRequest(co.workspace_id, co.id, m.id, "belonging", 1, SurveyPhase.MIDPOINT, asked)
            for m in members
        ]
        random.Random(3).shuffle(wanted)  # whatever order planning hands them over in
        for n, (request_id, _) in enumerate(add_requests(session, wanted)):
            session.execute(
                update(SurveyRequest)
                .where(SurveyRequest.id == request_id)
                .values(sent_at=asked, answered_at=asked + timedelta(hours=n))
            )
            session.add(
                SurveyAnswer(workspace_id=co.workspace_id, request_id=request_id, item_id="fit_in", value=4)
            )
        uow.commit()
        cohort_id = co.id
    for user in users:
        decide(db.unit_of_work(), "T0001", user, "pgy1", True, START)
    made = research_export(db.unit_of_work(), "T0001", "pgy1", NOW, key=KEY)
    late = pseudonym(KEY, cohort_id, users[-1])
    assert {row["person_id"]: row["joined_week"] for row in table(made, "people")}[late] == "suppressed"
    rows = [row["person_id"] for row in table(made, "survey_answers")]
    assert rows == sorted(pseudonym(KEY, cohort_id, user) for user in users)
