"""Slack refusing a direct message to someone it cannot reach: the action still completes, the log holds
one quiet warning (the method and Slack's code, never words or people), and whoever acted hears of it."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import PartnershipStatus, Role
from circles.persistence.models import MatchConstraint, Member, OutboxMessage, Partnership
from standin import SignedRequest
from tests.e2e.conftest import RunningApp
from tests.e2e.test_endings import app as endings_app  # noqa: F401  (a fixture: a coach and a learner)
from tests.e2e.test_profiles_directory import click, request_coach, requests, seed

REASON = "MARKER-REASON-our-schedules-never-matched"


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING)
    return caplog


def assert_quiet(log: pytest.LogCaptureFixture, code: str, *private: str) -> None:
    """No traceback, no words or people, and Slack's refusal said once per refused call, by its code."""
    records = [r for r in log.records if r.levelno >= logging.WARNING]
    assert [r for r in records if r.exc_info or "Traceback" in r.getMessage()] == []
    lines = [r.getMessage() for r in records]
    assert any("could not reach" in line and code in line for line in lines), lines
    for words in private:
        assert all(words not in line for line in lines), lines


def refused_while(app: RunningApp, user: str, code: str, request: SignedRequest) -> None:
    """Send request while Slack refuses DMs to user with code; wait until its work is over."""
    app.standin.refuse_dm(user, code)
    assert app.post(request)[0] == 200
    app.settled()


def the_partnership(app: RunningApp) -> Partnership:
    with app.db.unit_of_work() as uow:
        return uow.session.scalars(select(Partnership)).one()


def said(running: RunningApp) -> str:
    """Everything the app answered through response URLs, as one text."""
    return json.dumps([c.args for c in running.standin.calls("response_url")])


def test_a_request_to_a_coach_slack_cannot_reach_is_withdrawn_and_the_learner_told(
    running: RunningApp, log: pytest.LogCaptureFixture
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    running.standin.refuse_dm("U0ADA", "user_disabled")
    answer = request_coach(running, "U0LEARN", "U0ADA")
    assert "I couldn't reach <@U0ADA> in Slack: they may have left the workspace." in json.dumps(answer.args)
    assert answer.args["response_type"] == "ephemeral"
    assert [r.status for r in requests(running)] == [RequestStatus.WITHDRAWN]
    assert_quiet(log, "user_disabled", "U0ADA", "U0LEARN")


def test_an_answer_to_a_learner_slack_cannot_reach_is_kept_and_the_coach_told(
    running: RunningApp, log: pytest.LogCaptureFixture
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    request_coach(running, "U0LEARN", "U0ADA")
    [request] = requests(running)
    running.standin.refuse_dm("U0LEARN", "user_disabled")
    running.standin.clear()
    url = running.standin.response_url("accept")
    click(running, ids.REQUEST_ACCEPT, "U0ADA", str(request.id), channel_id="DU0ADA", response_url=url)
    running.settled()
    assert "I couldn't reach <@U0LEARN> in Slack" in said(running)
    assert [r.status for r in requests(running)] == [RequestStatus.ACCEPTED]
    assert_quiet(log, "user_disabled", "U0LEARN", "U0ADA")


def test_ending_is_recorded_when_the_ender_cannot_be_told_in_their_dm(
    endings_app: RunningApp,  # noqa: F811
    log: pytest.LogCaptureFixture,
) -> None:
    app, partnership = endings_app, the_partnership(endings_app).id
    values = {ids.PARTNERSHIP_END_REASON: {ids.INPUT: {"type": "plain_text_input", "value": REASON}}}
    submit = app.signer.view_submission(
        ids.PARTNERSHIP_END_VIEW, user_id="U0LEARN", values=values, private_metadata=str(partnership)
    )
    refused_while(app, "U0LEARN", "cannot_dm_bot", submit)
    assert the_partnership(app).status is PartnershipStatus.ENDED
    with app.db.unit_of_work() as uow:
        assert {row.channel for row in uow.session.scalars(select(OutboxMessage))} == {"U0COACH", "U0FAC"}
    assert_quiet(log, "cannot_dm_bot", REASON, "U0LEARN")


def test_a_pause_pressed_on_home_is_kept_when_the_answer_cannot_reach_the_presser(
    endings_app: RunningApp,  # noqa: F811
    log: pytest.LogCaptureFixture,
) -> None:
    app, partnership = endings_app, the_partnership(endings_app).id
    press = app.signer.block_action(
        ids.PARTNERSHIP_PAUSE, user_id="U0LEARN", value=str(partnership), view={"type": "home"}
    )
    refused_while(app, "U0LEARN", "user_not_found", press)
    assert the_partnership(app).status is PartnershipStatus.PAUSED
    assert_quiet(log, "user_not_found", "U0LEARN")


def test_leaving_tells_the_leaver_which_former_partner_slack_could_not_reach(
    endings_app: RunningApp,  # noqa: F811
    log: pytest.LogCaptureFixture,
) -> None:
    app = endings_app
    leave = app.signer.slash_command("leave pgy1", user_id="U0LEARN")
    refused_while(app, "U0COACH", "channel_not_found", leave)
    assert "You have left `pgy1`" in said(app)
    assert "I couldn't reach <@U0COACH> in Slack: they may have left the workspace." in said(app)
    with app.db.unit_of_work() as uow:
        learner = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0LEARN")).one()
        assert learner.left_at is not None
    assert the_partnership(app).status is PartnershipStatus.ENDED
    assert_quiet(log, "channel_not_found", "U0COACH", "U0LEARN")


def test_a_report_whose_dm_cannot_be_opened_says_so_instead_of_claiming_it_was_sent(
    endings_app: RunningApp,  # noqa: F811
    log: pytest.LogCaptureFixture,
) -> None:
    app = endings_app
    report = app.signer.slash_command("report pgy1", user_id="U0FAC")
    refused_while(app, "U0FAC", "restricted_action", report)
    assert "I couldn't open a direct message with you in Slack" in said(app)
    assert app.standin.calls("files.getUploadURLExternal") == []
    assert_quiet(log, "restricted_action", "U0FAC")


def test_a_conflict_is_recorded_when_the_facilitators_confirmation_cannot_reach_them(
    endings_app: RunningApp,  # noqa: F811
    log: pytest.LogCaptureFixture,
) -> None:
    app = endings_app
    values = {
        ids.MATCH_CONFLICT_ONE: {ids.INPUT: {"type": "users_select", "selected_user": "U0COACH"}},
        ids.MATCH_CONFLICT_OTHER: {ids.INPUT: {"type": "users_select", "selected_user": "U0LEARN"}},
    }
    submit = app.signer.view_submission(
        ids.MATCH_CONFLICT_VIEW, user_id="U0FAC", values=values, private_metadata="pgy1"
    )
    app.standin.error("views.update", "not_found")  # the form closed meanwhile: the DM confirms instead
    refused_while(app, "U0FAC", "user_disabled", submit)
    with app.db.unit_of_work() as uow:
        assert len(uow.session.scalars(select(MatchConstraint)).all()) == 1
    assert_quiet(log, "user_disabled", "U0FAC", "U0COACH", "U0LEARN")


def test_a_research_export_whose_dm_cannot_be_opened_says_so(
    endings_app: RunningApp,  # noqa: F811
    log: pytest.LogCaptureFixture,
) -> None:
    app = endings_app
    url = app.standin.response_url("export")
    press = app.signer.block_action(
        ids.RESEARCH_EXPORT, user_id="U0FAC", value="pgy1", channel_id="D0FAC", response_url=url
    )
    refused_while(app, "U0FAC", "user_not_found", press)
    assert "I couldn't open a direct message with you in Slack" in said(app)
    assert app.standin.calls("files.getUploadURLExternal") == []
    assert_quiet(log, "user_not_found", "U0FAC")
