"""A survey plan kept as stored (a form or file sent without it) is checked against the dates saved with it:
half-way and end surveys need both, or they would never go."""

from __future__ import annotations

from datetime import date

import pytest

from circles.domain.cohort_file import CohortFileInvalid
from circles.domain.cohort_settings import SurveyPlan
from circles.errors import InvalidCohortSettings
from circles.persistence.db import Database
from circles.services.cohorts.config import configure_cohort
from instruments.catalog import catalogue
from tests.integration.test_research_settings import FAC, NOW, current, import_file, save, seed

START, END = date(2027, 1, 11), date(2027, 6, 28)
HALF_WAY = SurveyPlan(baseline=("belonging",), midpoint=("burnout",), end=("burnout",))


def planned(db: Database, plan: SurveyPlan) -> None:
    seed(db)
    save(db, current(db).with_changes(starts_on=START, ends_on=END, survey_plan=plan))


def send_without_plan(db: Database, known: frozenset[str] | None = None, **changes: object) -> None:
    """A form without the survey fields (opened before it had them, or no surveys to offer)."""
    form = current(db).with_changes(survey_plan=SurveyPlan(), **changes)
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        form,
        [FAC],
        user_id=FAC,
        is_admin=False,
        now=NOW,
        known_surveys=frozenset(catalogue()) if known is None else known,
        keep=("survey_plan",),
    )


def test_a_form_without_the_plan_cannot_clear_the_end_its_half_way_surveys_need(db: Database) -> None:
    planned(db, HALF_WAY)
    with pytest.raises(InvalidCohortSettings) as refused:
        send_without_plan(db, ends_on=None, circle_max_size=5)
    assert set(refused.value.problems) == {"ends_on"}
    assert "both dates" in refused.value.problems["ends_on"]
    stored = current(db)
    assert (stored.ends_on, stored.survey_plan, stored.circle_max_size) == (END, HALF_WAY, 6)


def test_a_kept_plan_with_dates_or_only_a_start_survey_saves_and_is_kept(db: Database) -> None:
    planned(db, SurveyPlan(baseline=("belonging",)))
    send_without_plan(db, starts_on=None, ends_on=None)  # a start survey needs no dates
    assert (current(db).ends_on, current(db).survey_plan) == (None, SurveyPlan(baseline=("belonging",)))


def test_a_kept_plan_is_not_refused_for_surveys_the_form_could_not_offer(db: Database) -> None:
    planned(db, HALF_WAY)
    send_without_plan(db, known=frozenset(), circle_max_size=5)  # no catalogue: no survey fields at all
    assert (current(db).circle_max_size, current(db).survey_plan) == (5, HALF_WAY)


FILE = "cohort:\n  slug: pgy1\n  name: PGY-1\n  facilitators: [U0FAC]\n"


def test_a_file_without_surveys_or_dates_is_refused_while_the_stored_plan_needs_them(db: Database) -> None:
    planned(db, HALF_WAY)
    with pytest.raises(CohortFileInvalid) as refused:
        import_file(db, FILE)
    [problem] = refused.value.problems
    assert problem.field == "surveys"
    assert "starts_on and ends_on" in problem.message
    assert "`surveys: {}`" in problem.message
    assert (current(db).starts_on, current(db).ends_on, current(db).survey_plan) == (START, END, HALF_WAY)


def test_a_file_that_plans_no_surveys_or_keeps_the_dates_is_imported(db: Database) -> None:
    planned(db, HALF_WAY)
    dated = import_file(db, FILE + "  starts_on: 2027-01-11\n  ends_on: 2027-06-28\n")
    assert not any("surveys" in change or "_on" in change for change in dated)
    assert current(db).survey_plan == HALF_WAY
    changes = import_file(db, FILE + "  surveys: {}\n")
    assert "ends_on: 2027-06-28 → none" in changes
    assert "surveys.midpoint: burnout → none" in changes
    assert (current(db).ends_on, current(db).survey_plan) == (None, SurveyPlan())
