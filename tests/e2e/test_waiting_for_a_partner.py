"""A learner with no coach, through the real HTTP app: status and Home say where they stand."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from circles.persistence.models import Cohort
from tests import factories, relationship_world
from tests.e2e.conftest import RunningApp

NEW = "U0NEW"  # joined alpha after its round: no coach yet
FORMER = "U0L5"  # their coach ended it, and no new one came
NO_COACH = "No coach yet: your facilitators pair people when they run a round."
ENDED = "Your partnership ended; your facilitators can offer you a new partner"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        relationship_world.coach_with_learners(uow.session, relationship_world.YEARS_ON)
        alpha = uow.session.scalars(select(Cohort).where(Cohort.slug == "alpha")).one()
        factories.member(uow.session, alpha, NEW)
        uow.commit()
    for user in (relationship_world.COACH, "U0L1", "U0L2", "U0L3", "U0L4", FORMER, "U0FAC", NEW):
        running.standin.add_user(user)
    return running


def shown(surface: Any) -> str:
    return json.dumps(surface, ensure_ascii=False)


def status(app: RunningApp, user: str) -> str:
    app.standin.clear()
    app.post(app.signer.slash_command("status", user_id=user))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return shown(answer.args["blocks"])


def home(app: RunningApp, user: str) -> str:
    app.standin.clear()
    app.post(app.signer.app_home_opened(user))
    app.standin.wait_for("views.publish", timeout=10)
    view = app.standin.home_view(user)
    assert view is not None
    return shown(view["blocks"])


def test_a_learner_with_no_coach_yet_is_told_who_pairs_them_in_status_and_on_home(app: RunningApp) -> None:
    for text in (status(app, NEW), home(app, NEW)):
        assert NO_COACH in text
        assert "`/circles coaches` shows who offers what." in text
        assert ENDED not in text


def test_a_learner_whose_coach_ended_it_hears_how_to_get_a_new_one(app: RunningApp) -> None:
    for text in (status(app, FORMER), home(app, FORMER)):
        assert ENDED in text
        assert "`/circles support` reaches them." in text
        assert "No coach yet" not in text


def test_a_learner_with_a_coach_hears_nothing_of_waiting(app: RunningApp) -> None:
    text = status(app, "U0L1")
    assert "<@U0COACH>" in text
    assert "yet:" not in text
    assert "ended" not in text
