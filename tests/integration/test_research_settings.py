"""A cohort's survey plan and research statement are saved, and a new statement asks members again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from circles.domain.cohort_file import parse_cohort_file
from circles.domain.cohort_rules import CohortSettings
from circles.domain.cohort_settings import SurveyPlan
from circles.domain.research.consent import DEFAULT_STATEMENT, may_export
from circles.errors import InvalidCohortSettings
from circles.persistence.db import Database
from circles.persistence.models import Cohort
from circles.queries.consents import decisions_of
from circles.services.cohorts.config import cohort_config, configure_cohort
from circles.services.cohorts.file_import import as_given, import_cohort
from circles.services.research.consent import consent_status, decide
from instruments.catalog import catalogue
from tests import factories

NOW = datetime(2027, 1, 13, 15, tzinfo=UTC)
FAC = "U0FAC"
PLAN = SurveyPlan(baseline=("belonging", "burnout"), end=("relationship_quality",))


def seed(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, FAC)
        factories.member(uow.session, co, "U0LEE")
        uow.commit()


def save(db: Database, settings: CohortSettings, now: datetime = NOW) -> None:
    uow = db.unit_of_work()
    configure_cohort(
        uow, "T0001", "pgy1", settings, [FAC], user_id=FAC, is_admin=False, now=now, known_surveys=catalogue()
    )


def current(db: Database) -> CohortSettings:
    return cohort_config(db.reading(), "T0001", "pgy1", user_id=FAC, is_admin=False).settings


def version(db: Database) -> str:
    with db.reading() as uow:
        return uow.session.scalars(select(Cohort)).one().research_statement_version


def test_the_plan_and_the_statement_are_saved_and_read_back(db: Database) -> None:
    seed(db)
    settings = current(db).with_changes(
        starts_on=date(2027, 1, 11),
        ends_on=date(2027, 6, 28),
        survey_plan=PLAN,
        research_statement="  Our own words.  ",
    )
    save(db, settings)
    again = current(db)
    assert again.survey_plan == PLAN
    assert again.research_statement == "Our own words."
    assert version(db) == "2"


def test_an_unknown_survey_or_a_half_way_one_without_an_end_is_refused_and_nothing_saved(
    db: Database,
) -> None:
    seed(db)
    bad = current(db).with_changes(survey_plan=SurveyPlan(baseline=("nope",), midpoint=("burnout",)))
    with pytest.raises(InvalidCohortSettings) as refused:
        save(db, bad)
    assert set(refused.value.problems) == {"survey_baseline", "survey_midpoint"}
    assert current(db).survey_plan == SurveyPlan()


def test_the_default_wording_or_the_same_words_keep_the_version(db: Database) -> None:
    seed(db)
    save(db, current(db).with_changes(research_statement=DEFAULT_STATEMENT))
    assert (current(db).research_statement, version(db)) == (None, "1")
    save(db, current(db).with_changes(research_statement="Ours."))
    save(db, current(db).with_changes(research_statement="Ours."))
    assert version(db) == "2"


def test_consent_to_an_older_statement_no_longer_counts_until_given_again(db: Database) -> None:
    seed(db)
    decide(db.unit_of_work(), "T0001", "U0LEE", "pgy1", True, NOW)
    save(db, current(db).with_changes(research_statement="Changed."), NOW + timedelta(days=1))
    [status] = consent_status(db.reading(), "T0001", "U0LEE", NOW + timedelta(days=2))
    assert status.version == "2"
    assert status.changed_since_agreed
    with db.reading() as uow:
        cohort_id = uow.session.scalars(select(Cohort)).one().id
        records = decisions_of(uow.session, [cohort_id], "U0LEE")[cohort_id]
    assert not may_export(records, NOW + timedelta(days=2), "2")
    decide(db.unit_of_work(), "T0001", "U0LEE", "pgy1", True, NOW + timedelta(days=3))
    [status] = consent_status(db.reading(), "T0001", "U0LEE", NOW + timedelta(days=4))
    assert not status.changed_since_agreed
    assert status.latest is not None
    assert status.latest.statement_version == "2"


FILE = """\
cohort:
  slug: pgy1
  name: PGY-1
  facilitators: [U0FAC]
  ends_on: 2027-06-28
"""


def import_file(db: Database, text: str) -> list[str]:
    parsed = parse_cohort_file(text, "cohort.yml", known_surveys=catalogue())
    report = import_cohort(db.unit_of_work(), "T0001", parsed, as_given(parsed), now=NOW)
    return [f"{change.subject}: {change.detail}" for change in report.changes]


def test_a_cohort_file_sets_the_plan_and_statement_and_leaving_them_out_keeps_them(db: Database) -> None:
    seed(db)
    written = FILE + "  surveys: {baseline: [belonging]}\n  research_statement: Our words.\n"
    changes = import_file(db, written)
    assert "surveys.baseline: none → belonging" in changes
    assert (current(db).survey_plan, current(db).research_statement, version(db)) == (
        SurveyPlan(baseline=("belonging",)),
        "Our words.",
        "2",
    )
    assert not any("surveys" in c or "research_statement" in c for c in import_file(db, FILE))
    assert (current(db).survey_plan.baseline, version(db)) == (("belonging",), "2")
