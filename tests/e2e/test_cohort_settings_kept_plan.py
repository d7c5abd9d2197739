"""A settings form without some fields keeps what is stored for them, and the rules see what would be
saved: a kept plan's half-way surveys still need both dates; a form lacking any other field is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot import ids
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_research_settings import END, HALF, SAVED, START, by_block, stored
from tests.e2e.test_research_settings import open_settings as opened
from tests.e2e.test_research_settings import submit as sent

FACILITATOR = "U0FAC"
RESEARCH = {START, HALF, END, ids.COHORT_RESEARCH_STATEMENT}
PLAN = {START: ["belonging"], HALF: ["burnout"], "starts_on": "2027-01-11", "ends_on": "2027-06-28"}


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        factories.facilitator(
            uow.session, factories.cohort(uow.session, factories.workspace(uow.session), "pgy1"), FACILITATOR
        )
        uow.commit()
    running.standin.add_user(FACILITATOR)
    return running


def without(view: dict[str, Any], blocks: set[str]) -> dict[str, Any]:
    return {**view, "blocks": [block for block in view["blocks"] if block.get("block_id") not in blocks]}


def test_a_form_without_the_plan_is_refused_on_the_end_date_its_half_way_survey_needs(
    app: RunningApp,
) -> None:
    assert SAVED in sent(app, opened(app), **PLAN)["told"]
    older = without(opened(app), RESEARCH)  # opened before it had the research fields
    answer = sent(app, older, ends_on=None, circle_max_size="5")
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"ends_on"}
    assert "half-way and end surveys" in answer["errors"]["ends_on"].lower()
    cohort = stored(app)
    assert (str(cohort.ends_on), cohort.circle_max_size) == ("2027-06-28", 6)
    assert cohort.survey_plan == {"baseline": ["belonging"], "midpoint": ["burnout"]}
    assert SAVED in sent(app, older, circle_max_size="5")["told"]  # the dates kept: saved, the plan too
    assert (stored(app).circle_max_size, stored(app).survey_plan["midpoint"]) == (5, ["burnout"])


def test_a_form_without_a_field_it_always_has_is_refused_as_out_of_date(app: RunningApp) -> None:
    assert SAVED in sent(app, opened(app), pairing_mode="coach_learner", health_low_rating="3")["told"]
    for missing in ("pairing_mode", "health_low_rating", ids.COHORT_FREE_TEXT_HINT, HALF):
        answer = sent(app, without(opened(app), {missing}), circle_max_size="5")
        assert answer["response_action"] == "errors"
        assert "out of date" in " ".join(answer["errors"].values())
        assert set(answer["errors"]) <= set(by_block(opened(app)))  # shown on a field the form has
    cohort = stored(app)
    assert (cohort.pairing_mode.value, cohort.health_thresholds["low_rating"], cohort.circle_max_size) == (
        "coach_learner",
        3,
        6,
    )
