"""A facilitator who closes the settings form while it says "One moment…": the form can no longer show
how the save ended, so they hear it in their DM, and never that nothing changed when it was saved."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot import ids
from circles.persistence.models import Cohort
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp

ADMIN = "U0ADMIN"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return serve_app(circles_admins=frozenset({ADMIN}))


def test_a_save_whose_form_was_closed_meanwhile_is_told_in_the_dm_as_saved(app: RunningApp) -> None:
    app.post(app.signer.slash_command("cohort create pgy1 PGY-1", user_id=ADMIN))
    app.standin.wait_for("response_url")
    app.post(app.signer.slash_command("cohort config pgy1", user_id=ADMIN))
    [opened] = app.standin.wait_for("views.open")
    view = opened.args["view"]
    app.standin.clear()
    app.standin.error("views.update", "not_found")  # closed: Slack has no view to update any more

    app.post(
        app.signer.view_submission(
            ids.COHORT_CONFIG_VIEW,
            user_id=ADMIN,
            values=submitted_values(view, {"circle_max_size": "5"}),
            private_metadata=view["private_metadata"],
        )
    )
    app.settled()

    with app.db.reading() as reading:
        assert reading.session.scalars(select(Cohort.circle_max_size)).one() == 5
    told = [json.dumps(c.args, ensure_ascii=False) for c in app.standin.calls("chat.postMessage")]
    assert len(told) == 1
    assert "Saved the settings of `pgy1`" in told[0]
    assert "nothing was changed" not in told[0]
