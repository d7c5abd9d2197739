"""The Home tab of someone who runs cohorts, through the real HTTP app and the stand-in."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests import relationship_world
from tests.e2e.conftest import RunningApp
from tests.slack_limits import assert_within_limits


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        # U0FAC runs both cohorts, a member of none
        relationship_world.coach_with_learners(uow.session, relationship_world.YEARS_ON)
        uow.commit()
    running.standin.add_user("U0FAC")
    return running


def test_a_facilitator_in_no_cohort_of_their_own_is_not_told_to_ask_their_facilitator(
    app: RunningApp,
) -> None:
    app.post(app.signer.app_home_opened("U0FAC"))
    [published] = app.standin.wait_for("views.publish", timeout=10)
    home = published.args["view"]
    assert_within_limits(home)
    shown = json.dumps(home["blocks"])
    assert "Ask your facilitator" not in shown
    assert "the cohorts you run are below" in shown
    assert "(`alpha`)" in shown


def test_a_cohort_with_one_coach_is_counted_as_one_coach(app: RunningApp) -> None:
    app.post(app.signer.app_home_opened("U0FAC"))
    [published] = app.standin.wait_for("views.publish", timeout=10)
    shown = json.dumps(published.args["view"]["blocks"], ensure_ascii=False)
    assert "4 learners, 1 coach ·" in shown  # alpha
    assert "1 learner, 1 coach ·" in shown  # beta
