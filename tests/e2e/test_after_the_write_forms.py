"""A form saved while Slack is too slow to show the answer on it: the save stands, and the person hears
it in their DM, never that nothing was changed."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SLOW, RunningApp, coaching_pair
from tests.e2e.harness import faults
from tests.e2e.test_cohort_settings_form_closed import (
    app,
    circle_max_size,
    messages_posted,
    new_cohorts_form,
    send,
)

pytestmark = pytest.mark.early  # seconds of waiting on an answer that comes too late

__all__ = ["app"]  # the fixture: an app with one admin, of the closed form's tests


def test_a_save_whose_form_slack_does_not_redraw_in_time_is_told_in_the_dm_as_saved(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    view = new_cohorts_form(app)
    app.standin.set_latency("views.update", SLOW)

    send(app, view, circle_max_size="5")
    app.activity.wait_idle(SLOW + 20)

    assert circle_max_size(app) == 5
    told = messages_posted(app)
    assert len(told) == 1
    assert "Saved the settings of `pgy1`" in told[0]
    assert "nothing was changed" not in told[0]
    assert not faults(caplog)


def test_a_form_slack_opens_after_the_app_stopped_waiting_is_not_called_a_failure_that_changed_nothing(
    running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    coaching_pair(running)
    running.standin.set_latency("views.open", SLOW)
    running.post(running.signer.slash_command("support", user_id="U0LEARN"))
    [answer] = running.standin.wait_for("response_url", timeout=SLOW + 20)
    assert "did not answer in time" in answer.args["text"]
    assert "nothing was changed" not in answer.args["text"]
    running.settled()
    assert not faults(caplog)
