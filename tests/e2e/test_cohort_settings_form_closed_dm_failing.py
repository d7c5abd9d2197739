"""A facilitator who closes the settings form while it says "One moment…", and whose DM Slack then fails
once: the save stands, and they are never told that nothing was changed."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import RunningApp
from tests.e2e.harness import faults
from tests.e2e.test_cohort_settings_form_closed import (  # noqa: F401  (app: a fixture)
    app,
    circle_max_size,
    messages_posted,
    new_cohorts_form,
    send,
)


def test_a_save_whose_form_was_closed_and_whose_dm_fails_once_claims_no_failure(
    app: RunningApp,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    view = new_cohorts_form(app)
    app.standin.error("views.update", "not_found")  # closed: Slack has no view to update any more
    app.standin.error("chat.postMessage", "internal_error")  # the DM saying it was saved, once

    send(app, view, circle_max_size="5")
    app.settled()

    assert circle_max_size(app) == 5
    assert not [text for text in messages_posted(app) if "nothing was changed" in text]
    assert not faults(caplog)
