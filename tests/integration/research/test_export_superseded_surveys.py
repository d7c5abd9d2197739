"""The research export carries each member's current answer of a phase: an end survey answered half-way
through a programme that was then extended, and asked again at its new end, is no longer exported as the
end's (as of an instant before it was asked again, it still is)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import SurveyPhase
from circles.persistence.db import Database
from circles.persistence.models import Member
from tests.factories import answered_survey
from tests.integration.research.test_export import NOW, START, export, seed, table

EARLY = START + timedelta(weeks=1)  # the end survey of the first end date, answered
ASKED_AGAIN = START + timedelta(weeks=3)  # the end moved months later came: asked again
AT_NEW_END = START + timedelta(weeks=4)


def end_survey(
    db: Database, user_id: str, answered_at: datetime, trust: int, superseded: datetime | None
) -> None:
    with db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member).where(Member.slack_user_id == user_id)).one()
        end = SurveyPhase.END
        answered_survey(
            uow.session,
            member,
            {"trust": trust},
            answered_at,
            "relationship_quality",
            phase=end,
            superseded_at=superseded,
        )
        uow.commit()


def end_rows(db: Database, now: datetime = NOW) -> list[dict[str, str]]:
    rows = table(export(db, now), "survey_answers")
    return [row for row in rows if row["phase"] == SurveyPhase.END.value]


def test_the_export_carries_only_the_end_answers_of_the_programmes_actual_end(db: Database) -> None:
    seed(db, 6)
    for n in range(6):
        end_survey(db, f"U0L{n:06d}", EARLY, trust=1, superseded=ASKED_AGAIN)
        end_survey(db, f"U0L{n:06d}", AT_NEW_END, trust=5, superseded=None)

    rows = end_rows(db)
    assert len(rows) == 6  # one end survey per member
    assert {row["relationship_quality_trust"] for row in rows} == {"5"}


def test_an_export_as_of_before_the_end_survey_was_asked_again_carries_the_earlier_answers(
    db: Database,
) -> None:
    seed(db, 6)
    for n in range(6):
        end_survey(db, f"U0L{n:06d}", EARLY, trust=1, superseded=ASKED_AGAIN)
        end_survey(db, f"U0L{n:06d}", AT_NEW_END, trust=5, superseded=None)

    rows = end_rows(db, ASKED_AGAIN - timedelta(days=1))
    assert len(rows) == 6
    assert {row["relationship_quality_trust"] for row in rows} == {"1"}
