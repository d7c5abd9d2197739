"""A cohort's survey plan and research statement: one set of rules for the settings form and cohort files."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime, timedelta

import pytest

from circles.domain.cohort_file import CohortFileInvalid, parse_cohort_file
from circles.domain.cohort_rules import CohortSettings, settings_problems
from circles.domain.cohort_settings import PHASE_MOST, SurveyPlan
from circles.domain.research.consent import (
    DEFAULT_STATEMENT,
    STATEMENT_MAX,
    ConsentRecord,
    Decision,
    asked_again,
    may_export,
    next_version,
)

KNOWN = frozenset({"belonging", "burnout", "relationship_quality"})
NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


def plan_problems(
    plan: SurveyPlan, ends_on: date | None = None, starts_on: date | None = None
) -> dict[str, str]:
    settings = CohortSettings(name="PGY-1", starts_on=starts_on, ends_on=ends_on, survey_plan=plan)
    return settings_problems(settings, known_surveys=KNOWN)


def test_a_plan_of_known_surveys_with_start_and_end_dates_has_no_problems() -> None:
    plan = SurveyPlan(baseline=("belonging",), midpoint=("burnout",), end=("relationship_quality",))
    assert plan_problems(plan, date(2027, 6, 1), starts_on=date(2027, 3, 1)) == {}


def test_unknown_names_are_named_on_their_phase() -> None:
    found = plan_problems(SurveyPlan(baseline=("belonging", "wellness")))
    assert list(found) == ["survey_baseline"]
    assert "`wellness`" in found["survey_baseline"]


def test_half_way_and_end_surveys_need_the_cohorts_end_date_but_the_start_does_not() -> None:
    found = plan_problems(SurveyPlan(baseline=("belonging",), midpoint=("burnout",), end=("burnout",)))
    assert set(found) == {"survey_midpoint", "survey_end"}
    assert all("end date" in message for message in found.values())


def test_half_way_and_end_surveys_are_refused_with_an_end_date_but_no_start_date() -> None:
    # Half-way is worked out from both dates: with the end alone these surveys would never be sent.
    plan = SurveyPlan(baseline=("belonging",), midpoint=("burnout",), end=("burnout",))
    found = plan_problems(plan, date(2027, 6, 1))
    assert set(found) == {"survey_midpoint", "survey_end"}
    assert all("Set the cohort's start and end dates first" in message for message in found.values())


def test_too_many_surveys_at_once_are_refused() -> None:
    many = tuple(f"s{n}" for n in range(PHASE_MOST + 1))
    problems = settings_problems(
        CohortSettings(name="x", survey_plan=SurveyPlan(baseline=many)), known_surveys=set(many)
    )
    assert "survey_baseline" in problems


def test_a_stored_plan_reads_back_and_odd_shapes_read_as_nothing() -> None:
    plan = SurveyPlan.of({"baseline": ["belonging", "belonging", "burnout"], "end": ["burnout"]})
    assert plan.baseline == ("belonging", "burnout")
    assert plan.to_json() == {"baseline": ["belonging", "burnout"], "end": ["burnout"]}
    assert SurveyPlan.from_json(plan.to_json()) == plan
    assert SurveyPlan.from_json({"baseline": "belonging", "end": [3, "burnout"]}) == SurveyPlan(
        end=("burnout",)
    )
    assert SurveyPlan.from_json(None) == SurveyPlan()


def test_the_statement_is_kept_stripped_and_the_default_wording_is_kept_as_none() -> None:
    assert CohortSettings(name="x", research_statement="  Ours.  ").research_statement == "Ours."
    assert CohortSettings(name="x", research_statement=DEFAULT_STATEMENT).research_statement is None
    assert CohortSettings(name="x", research_statement="   ").research_statement is None
    too_long = CohortSettings(name="x", research_statement="w" * (STATEMENT_MAX + 1))
    assert "research_statement" in settings_problems(too_long)


def test_a_changed_statement_gets_the_next_version() -> None:
    assert next_version("1") == "2"
    assert next_version("9") == "10"
    assert next_version("2027-spring") == "2027-spring.1"
    assert next_version(None) == "1"


def agreed(version: str, days_ago: int = 5) -> ConsentRecord:
    return ConsentRecord(Decision.GIVEN, NOW - timedelta(days=days_ago), version)


def test_only_consent_to_the_current_version_counts() -> None:
    assert may_export([agreed("1")], NOW, "1")
    assert not may_export([agreed("1")], NOW, "2")
    assert may_export([agreed("1", 9), agreed("2", 1)], NOW, "2")
    assert not may_export([agreed("2", 9), ConsentRecord(Decision.WITHDRAWN, NOW, "1")], NOW, "2")
    assert may_export([agreed("1")], NOW)  # without a version, as before


def test_someone_who_agreed_to_an_older_statement_is_asked_again_but_not_someone_who_withdrew() -> None:
    assert asked_again(agreed("1"), "2")
    assert not asked_again(agreed("2"), "2")
    assert not asked_again(ConsentRecord(Decision.WITHDRAWN, NOW, "1"), "2")
    assert not asked_again(None, "2")


FILE = """\
cohort:
  slug: pgy1
  name: PGY-1
  facilitators: [U0FAC1]
  starts_on: 2027-01-11
  ends_on: 2027-06-28
  research_statement: We study how circles help.
  surveys:
    baseline: [belonging, burnout]
    end: relationship_quality
"""


def test_a_cohort_file_gives_surveys_and_a_statement() -> None:
    found = parse_cohort_file(FILE, "cohort.yml", known_surveys=KNOWN)
    assert found.settings.survey_plan == SurveyPlan(
        baseline=("belonging", "burnout"), end=("relationship_quality",)
    )
    assert found.settings.research_statement == "We study how circles help."


def test_a_cohort_file_is_refused_by_the_same_rules_with_lines() -> None:
    text = FILE.replace("  starts_on: 2027-01-11\n", "").replace("burnout]", "wellness]")
    text += "    later: [burnout]\n"
    with pytest.raises(CohortFileInvalid) as refused:
        parse_cohort_file(textwrap.dedent(text), "cohort.yml", known_surveys=KNOWN)
    shown = [str(problem) for problem in refused.value.problems]
    assert any("surveys.baseline" in line and "`wellness`" in line for line in shown), shown
    # An end date without a start date times no end survey: the file is refused as the form is.
    assert any("surveys.end" in line and "start and end dates" in line for line in shown), shown
    assert any("surveys.later" in line and "unknown key" in line for line in shown), shown
