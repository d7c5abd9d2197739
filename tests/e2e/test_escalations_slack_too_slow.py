"""Slack not answering in time while an alert's copies are redrawn: the rest are redrawn all the same, and
the facilitator who pressed is told what they did, not that it failed."""

from __future__ import annotations

import json

import pytest

from bot import ids
from standin.defaults import dm_channel_id
from tests.e2e.conftest import SLOW, RunningApp
from tests.e2e.test_escalations import alert, app, click, escalation_id, stored
from tests.escalation_world import FACILITATORS

__all__ = ["app"]  # the fixture: a cohort's alert already in each facilitator's DM


@pytest.mark.early  # it outlasts the app's wait for Slack: started beside the others' work
def test_a_copy_slack_does_not_redraw_in_time_leaves_the_other_redrawn_and_the_presser_answered(
    app: RunningApp,
) -> None:
    app.standin.set_latency("chat.update", SLOW)
    click(app, ids.ESCALATION_CLAIM, "U0FAC2", str(escalation_id(app)))
    app.standin.wait_answering("chat.update", held=SLOW)  # the first copy: Slack keeps it waiting
    app.standin.set_latency("chat.update", 0)  # and answers the next at once

    [answer] = app.standin.wait_for(
        "response_url", timeout=SLOW + 10, predicate=lambda c: c.path.endswith("/U0FAC2")
    )
    assert "The other facilitators can see" in json.dumps(answer.args)
    assert "something went wrong" not in json.dumps(answer.args)
    assert stored(app).claimed_by == "U0FAC2"
    redrawn = app.standin.wait_for("chat.update", count=2, timeout=SLOW + 5)
    assert {c.args["channel"] for c in redrawn} == {dm_channel_id(u) for u in FACILITATORS}
    for user in FACILITATORS:
        assert "<@U0FAC2> is reaching out" in json.dumps(alert(app, user))
