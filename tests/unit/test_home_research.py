"""Home's Research section: the statement, the decision and the buttons, within Home's limits."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot import ids
from bot.views.consent import HOME_COHORTS, HOME_STATEMENT_CHARS
from bot.views.home import home_view
from circles.domain.research.consent import DEFAULT_STATEMENT, STATEMENT_MAX, ConsentRecord, Decision
from circles.domain.vocabulary import MemberStatus, Role
from circles.services.people.status import RunCohort
from circles.services.research.consent import CohortConsent
from tests.slack_extremes import COHORT_NAME, COHORTS_PER_FACILITATOR
from tests.slack_limits import assert_within_limits
from tests.unit.test_limits_facilitators import board
from tests.unit.test_limits_membership import statuses

WHEN = datetime(2027, 3, 1, 9, tzinfo=UTC)


def research(count: int, name: str, statement: str, latest: ConsentRecord | None) -> list[CohortConsent]:
    return [CohortConsent(f"{n:02d}" + "s" * 38, name, statement, "12", latest) for n in range(count)]


def test_a_short_statement_shows_whole_with_the_decision_and_the_consent_buttons() -> None:
    agreed = ConsentRecord(Decision.GIVEN, WHEN, "12")
    view = home_view(statuses(1, "PGY-1"), research=research(1, "PGY-1", DEFAULT_STATEMENT, agreed))
    shown = json.dumps(view.to_dict(), ensure_ascii=False)
    assert "Research in PGY-1" in shown
    assert "pseudonymous code" in shown
    assert "You agreed on 2027-03-01" in shown
    assert ids.CONSENT_GIVE in shown
    assert ids.CONSENT_WITHDRAW in shown
    assert "Read the statement in full" not in shown


def test_a_long_statement_is_shortened_with_where_to_read_it_and_an_old_consent_is_asked_again() -> None:
    older = ConsentRecord(Decision.GIVEN, WHEN, "11")
    view = home_view(statuses(1, "PGY-1"), research=research(1, "PGY-1", "w" * STATEMENT_MAX, older))
    shown = json.dumps(view.to_dict(), ensure_ascii=False)
    assert "w" * (HOME_STATEMENT_CHARS + 1) not in shown
    assert "Read the statement in full with `/circles consent`" in shown
    assert "The statement has changed since you agreed" in shown


def test_only_a_few_cohorts_show_research_on_home_and_the_rest_are_pointed_to() -> None:
    view = home_view(statuses(8, "PGY-1"), research=research(8, "PGY-1", "Ours.", None))
    shown = json.dumps(view.to_dict(), ensure_ascii=False)
    assert shown.count(ids.CONSENT_GIVE) == HOME_COHORTS
    assert "…and 5 more cohorts" in shown


def test_a_fourth_cohort_with_research_is_pointed_to_as_one_more_cohort() -> None:
    view = home_view(statuses(4, "PGY-1"), research=research(4, "PGY-1", "Ours.", None))
    shown = json.dumps(view.to_dict(), ensure_ascii=False)
    assert "…and 1 more cohort: " in shown
    assert "1 more cohorts" not in shown


@settings(max_examples=5, deadline=None)
@given(name=st.text(min_size=1, max_size=COHORT_NAME), cohorts=st.integers(1, COHORTS_PER_FACILITATOR))
@example(name="<" * COHORT_NAME, cohorts=COHORTS_PER_FACILITATOR)
def test_home_fits_with_research_for_many_cohorts_run_and_joined(name: str, cohorts: int) -> None:
    runs = [
        RunCohort(f"cohort-{n}", name, Counter({(Role.LEARNER, MemberStatus.ACTIVE): 500}))
        for n in range(cohorts)
    ]
    boards = [board(name, 8, ["&" * 300], slug=f"cohort-{n}") for n in range(cohorts)]
    view = home_view(
        statuses(cohorts, name, 25),
        runs,
        is_admin=True,
        health=boards,
        research=research(cohorts, name, "<" * STATEMENT_MAX, ConsentRecord(Decision.GIVEN, WHEN, "1")),
    )
    assert_within_limits(view, typed=[name])
    assert len(view.blocks) <= 100
