"""A rating tapped in the DM while Slack is too slow to update the message: the answer is kept, and the
person is told it was, never that nothing was changed."""

from __future__ import annotations

import json

import pytest

from bot import ids
from tests.e2e.conftest import SLOW, RunningApp
from tests.e2e.harness import faults
from tests.e2e.test_checkins import click, post_checkin, seed, stored

pytestmark = pytest.mark.early  # seconds of waiting on an answer that comes too late


def test_a_rating_whose_message_slack_does_not_update_in_time_is_kept_and_confirmed(
    running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    posted = post_checkin(running, seed(running))
    running.standin.set_latency("chat.update", SLOW)

    click(running, posted, f"{ids.CHECKIN_RATE}_4", f"{posted.checkin_id}:4")

    running.activity.wait_idle(SLOW + 20)
    told = [json.dumps(c.args, ensure_ascii=False) for c in running.standin.calls("response_url")]
    assert len(told) == 1
    assert "answered, thank you" in told[0]
    assert "nothing was changed" not in told[0]
    assert stored(running, posted.checkin_id).rating == 4
    assert not faults(caplog)
