"""Joining and leaving while Slack fails or is too slow after the change was made: the join or the leave
stands, and the person hears what was done, never that nothing was changed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import MemberStatus
from circles.persistence.models import Cohort, Member
from tests import factories
from tests.e2e.conftest import SLOW, RunningApp, coaching_pair
from tests.e2e.harness import faults

pytestmark = pytest.mark.early  # seconds of waiting on an answer that comes too late

NEWCOMER = "U0NEW"


def answers(app: RunningApp, within: float) -> list[str]:
    app.activity.wait_idle(within)
    return [json.dumps(call.args, ensure_ascii=False) for call in app.standin.calls("response_url")]


def status_of(app: RunningApp, user_id: str) -> MemberStatus:
    with app.db.reading() as reading:
        return reading.session.scalars(select(Member.status).where(Member.slack_user_id == user_id)).one()


@pytest.mark.parametrize("failing", ["views.open", "chat.postMessage"])
def test_a_join_whose_profile_form_or_welcome_slack_keeps_failing_stands_and_says_so(
    running: RunningApp, failing: str, caplog: pytest.LogCaptureFixture
) -> None:
    with running.db.unit_of_work() as uow:
        factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        uow.commit()
    running.standin.add_user(NEWCOMER)
    running.standin.fail(failing, status=500, times=None)

    running.post(running.signer.slash_command("join pgy1", user_id=NEWCOMER))

    [told] = answers(running, 30)
    assert "You have joined *PGY-1*" in told
    assert "went wrong" not in told
    assert "nothing was changed" not in told
    assert status_of(running, NEWCOMER) is MemberStatus.ACTIVE
    assert not faults(caplog)


def test_a_join_whose_welcome_slack_does_not_answer_in_time_stands_and_says_so(running: RunningApp) -> None:
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.profile(uow.session, ws, NEWCOMER)  # no form to open: the welcome is all Slack is asked
        uow.commit()
    running.standin.add_user(NEWCOMER)
    running.standin.set_latency("chat.postMessage", SLOW)

    running.post(running.signer.slash_command("join pgy1", user_id=NEWCOMER))

    [told] = answers(running, SLOW + 20)
    assert "You have joined *PGY-1*" in told
    assert "/circles status" in told
    assert "nothing was changed" not in told


def test_a_leave_after_which_slack_does_not_answer_in_time_is_told_only_that_it_was_done(
    running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    coaching_pair(running, users=("U0KIM", "U0LOU"))
    with running.db.unit_of_work() as uow:  # the coach has three learners
        cohort = uow.session.scalars(select(Cohort)).one()
        for learner in ("U0KIM", "U0LOU"):
            factories.member(uow.session, cohort, learner)
            factories.partnership(uow.session, "U0COACH", learner)
        uow.commit()
    running.standin.set_latency("conversations.open", SLOW)

    running.post(running.signer.slash_command("leave pgy1", user_id="U0COACH"))

    [told] = answers(running, SLOW + 20)
    assert "You have left `pgy1`" in told
    assert status_of(running, "U0COACH") is MemberStatus.LEFT
    assert not faults(caplog)
    running.standin.wait_for("conversations.open", timeout=5)  # answered once Slack's delay is over
    running.settled()  # the app is idle: nothing it started is left to ask
    assert len(running.standin.calls("conversations.open")) == 1  # not asked again about the others
