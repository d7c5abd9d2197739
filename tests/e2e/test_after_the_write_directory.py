"""A coach's answer to a request, and a learner's request, when Slack fails after they were recorded: the
person who pressed hears what was done, never that nothing was changed."""

from __future__ import annotations

import json

import pytest

from bot import ids
from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import Role
from tests.e2e.conftest import RunningApp
from tests.e2e.harness import faults
from tests.e2e.test_after_the_write_home import told_in_dm
from tests.e2e.test_profiles_directory import (
    COHORT,
    click,
    direct_messages,
    partnerships,
    request_coach,
    requests,
    seed,
)


def told(running: RunningApp) -> str:
    """Everything the app answered by response_url and pushed over modals, as one text."""
    running.settled()
    calls = running.standin.calls("response_url") + running.standin.calls("views.push")
    return " ".join(json.dumps(call.args, ensure_ascii=False) for call in calls)


def asked_coach(running: RunningApp) -> str:
    """A learner's request sent to U0ADA; the DM channel the coach answers in."""
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    request_coach(running, "U0LEARN", "U0ADA")
    [asked] = direct_messages(running, "U0ADA")
    running.standin.clear()
    return str(asked.args["channel"])


@pytest.mark.parametrize("answer", [ids.REQUEST_ACCEPT, ids.REQUEST_DECLINE])
def test_a_coachs_answer_stands_and_says_so_when_slack_keeps_failing_to_tell_the_learner(
    running: RunningApp, answer: str, caplog: pytest.LogCaptureFixture
) -> None:
    channel = asked_coach(running)
    running.standin.fail("chat.postMessage", status=500, times=None)

    click(running, answer, "U0ADA", str(requests(running)[0].id), channel_id=channel)

    text = told(running)
    assert "nothing was changed" not in text
    assert "went wrong" not in text
    assert "Slack did not take my note to <@U0LEARN>" in text
    assert "let them know" not in text
    accepted = answer == ids.REQUEST_ACCEPT
    assert [r.status for r in requests(running)] == [
        RequestStatus.ACCEPTED if accepted else RequestStatus.DECLINED
    ]
    assert len(partnerships(running)) == (1 if accepted else 0)
    assert ("you are now partners" in text) is accepted
    assert not faults(caplog)


def test_a_request_sent_from_home_is_confirmed_in_the_dm_when_the_modal_can_no_longer_be_stacked(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    directory = {"type": "modal", "blocks": []}
    running.standin.error("views.push", "expired_trigger_id")  # the coach's DM took past the 3 s

    click(running, ids.DIRECTORY_REQUEST, "U0LEARN", f"{COHORT}:U0ADA", trigger_id="1.2.ask", view=directory)

    assert direct_messages(running, "U0ADA")  # the coach has the request
    to_learner = told_in_dm(running, "U0LEARN")
    assert any("asked <@U0ADA> privately" in text for text in to_learner)
    assert not any("nothing was changed" in text for text in to_learner)
    assert [r.status for r in requests(running)] == [RequestStatus.OPEN]
