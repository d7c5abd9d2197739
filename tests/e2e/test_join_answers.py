"""What someone joining on their own is answered, whatever the cohort's name holds."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import PairingMode
from circles.persistence.models import Cohort
from tests import factories
from tests.e2e.conftest import RunningApp

NAME = "A&E <nights> *rota*"  # a facilitator's name for the cohort, as the settings form takes it


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        factories.cohort(uow.session, factories.workspace(uow.session), "ae-nights", NAME)
        uow.session.scalars(select(Cohort)).one().pairing_mode = PairingMode.COACH_LEARNER
        uow.commit()
    running.standin.add_user("U0MEMBER")
    return running


def press_learner(app: RunningApp) -> str:
    """Press "Learner" on the role choice `/circles join ae-nights` showed; the answer in its place."""
    app.standin.clear()
    request = app.signer.block_action(
        f"{ids.JOIN_AS_ROLE}:learner",
        user_id="U0MEMBER",
        value="ae-nights:learner",
        response_url=app.standin.response_url("join"),
    )
    assert app.post(request)[0] == 200
    [answer] = app.standin.wait_for("response_url")
    return json.dumps(answer.args, ensure_ascii=False)


def test_pressing_the_role_a_second_time_says_so_with_the_cohorts_name_as_written(app: RunningApp) -> None:
    assert "You have joined *A&amp;E &lt;nights&gt;" in press_learner(app)
    again = press_learner(app)
    assert "already in" in again
    assert "A&amp;E &lt;nights&gt;" in again  # shown as written, not read as a link
    assert "<nights>" not in again
