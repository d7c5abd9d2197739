"""A form saved while Slack is too slow to show the answer on it: the save stands, and the person hears
it in their DM, never that nothing was changed."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot import ids
from bot.slack_client import TIMEOUT_SECONDS
from circles.persistence.models import Cohort
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp

ADMIN = "U0ADMIN"
SLOW = TIMEOUT_SECONDS + 1  # past what the app waits for an answer
APP = ("bot", "circles")


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return serve_app(circles_admins=frozenset({ADMIN}))


def test_a_save_whose_form_slack_does_not_redraw_in_time_is_told_in_the_dm_as_saved(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    app.post(app.signer.slash_command("cohort create pgy1 PGY-1", user_id=ADMIN))
    app.standin.wait_for("response_url")
    app.post(app.signer.slash_command("cohort config pgy1", user_id=ADMIN))
    [opened] = app.standin.wait_for("views.open")
    view = opened.args["view"]
    app.standin.clear()
    app.standin.set_latency("views.update", SLOW)

    app.post(
        app.signer.view_submission(
            ids.COHORT_CONFIG_VIEW,
            user_id=ADMIN,
            values=submitted_values(view, {"circle_max_size": "5"}),
            private_metadata=view["private_metadata"],
        )
    )
    app.activity.wait_idle(SLOW + 20)

    with app.db.reading() as reading:
        assert reading.session.scalars(select(Cohort.circle_max_size)).one() == 5
    told = [json.dumps(c.args, ensure_ascii=False) for c in app.standin.calls("chat.postMessage")]
    assert len(told) == 1
    assert "Saved the settings of `pgy1`" in told[0]
    assert "nothing was changed" not in told[0]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith(APP)]
    assert not errors
