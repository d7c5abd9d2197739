"""Whatever surface a request came from, and whatever Slack does meanwhile, the person hears how it ended:
a refusal on Home or in a form reaches their DM, a response_url that fails gives way to the DM, a form
Slack will not open is said in plain words, and a typo never ends anything."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import MemberStatus, PartnershipStatus
from circles.persistence.models import CheckIn, Member, Partnership
from standin.calls import Call
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp
from tests.e2e.test_endings import app as endings_app  # noqa: F401  (a fixture: a coach and a learner)
from tests.e2e.test_endings import status_buttons


@pytest.fixture
def app(endings_app: RunningApp) -> RunningApp:  # noqa: F811 - the imported fixture, under its own name
    return endings_app


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


def tracebacks(log: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in log.records if r.exc_info]


def dm_to(user: str) -> Callable[[Call], bool]:
    return lambda call: call.args.get("channel") == user


def the_partnership(app: RunningApp) -> Partnership:
    with app.db.unit_of_work() as uow:
        return uow.session.scalars(select(Partnership)).one()


def end_it(app: RunningApp) -> None:
    with app.db.unit_of_work() as uow:
        partnership = uow.session.scalars(select(Partnership)).one()
        partnership.status = PartnershipStatus.ENDED
        uow.commit()


def home_of(app: RunningApp, user: str) -> dict[str, object]:
    app.post(app.signer.app_home_opened(user))
    app.standin.wait_for("views.publish", timeout=10)
    home = app.standin.home_view(user)
    assert home is not None
    return home


def test_a_refused_press_on_home_is_answered_in_the_persons_dm(app: RunningApp) -> None:
    home = home_of(app, "U0LEARN")
    end_it(app)  # ended meanwhile, from another device: the Home tab still shows Pause
    app.standin.clear()
    pause = str(the_partnership(app).id)
    app.post(app.signer.block_action(ids.PARTNERSHIP_PAUSE, user_id="U0LEARN", value=pause, view=home))
    [told] = app.standin.wait_for("chat.postMessage", timeout=10)
    assert told.args["channel"] == "U0LEARN"
    assert "already ended" in told.args["text"]
    assert the_partnership(app).status is PartnershipStatus.ENDED


def test_an_end_form_sent_after_the_partnership_ended_is_answered_in_the_dm(app: RunningApp) -> None:
    value = status_buttons(app, "U0LEARN")[ids.PARTNERSHIP_END_OPEN]
    app.standin.clear()
    app.post(app.signer.block_action(ids.PARTNERSHIP_END_OPEN, user_id="U0LEARN", value=value))
    [opened] = app.standin.wait_for("views.open", timeout=10)
    view = opened.args["view"]
    end_it(app)  # the partner ended it while the form stood open
    app.standin.clear()
    app.post(
        app.signer.view_submission(
            ids.PARTNERSHIP_END_VIEW,
            user_id="U0LEARN",
            values=submitted_values(view, {ids.PARTNERSHIP_END_REASON: "We drifted."}),
            private_metadata=view["private_metadata"],
        )
    )
    [told] = app.standin.wait_for("chat.postMessage", timeout=10)
    assert told.args["channel"] == "U0LEARN"
    assert "already ended" in told.args["text"]


def test_when_the_response_url_fails_the_answer_comes_in_the_dm(
    app: RunningApp, log: pytest.LogCaptureFixture
) -> None:
    pause = status_buttons(app, "U0LEARN")[ids.PARTNERSHIP_PAUSE]
    app.standin.fail("response_url", status=500, times=None)
    app.standin.clear()
    app.post(
        app.signer.block_action(
            ids.PARTNERSHIP_PAUSE, user_id="U0LEARN", value=pause, response_url=app.standin.response_url("b")
        )
    )
    [told] = app.standin.wait_for("chat.postMessage", timeout=10, predicate=dm_to("U0LEARN"))
    assert "paused" in json.dumps(told.args)
    assert the_partnership(app).status is PartnershipStatus.PAUSED
    assert tracebacks(log) == []


@pytest.mark.parametrize("code", ["expired_trigger_id", "invalid_trigger_id"])
def test_a_form_slack_would_not_open_is_said_in_plain_words_without_a_traceback(
    app: RunningApp, log: pytest.LogCaptureFixture, code: str
) -> None:
    app.standin.error("views.open", code)
    app.post(app.signer.slash_command("support", user_id="U0LEARN"))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert "could not open in time" in answer.args["text"]
    assert "something went wrong" not in answer.args["text"]
    assert tracebacks(log) == []


def test_a_rate_limited_form_is_not_retried_past_its_trigger_and_the_person_hears_at_once(
    app: RunningApp, log: pytest.LogCaptureFixture
) -> None:
    app.standin.fail("views.open", status=429, retry_after=10)
    asked = time.monotonic()
    app.post(app.signer.slash_command("support", user_id="U0LEARN"))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert time.monotonic() - asked < 5  # not after waiting out Retry-After for a trigger that has expired
    assert "try again in a minute" in answer.args["text"]
    assert len(app.standin.calls("views.open")) == 1
    assert tracebacks(log) == []


@pytest.mark.parametrize("text", ["leave pgy1 oops", "leave pgy1 pgy1"])
def test_leave_with_words_after_the_cohort_changes_nothing_and_says_how(app: RunningApp, text: str) -> None:
    app.post(app.signer.slash_command(text, user_id="U0LEARN"))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert "Nothing was changed" in answer.args["text"]
    with app.db.unit_of_work() as uow:
        learner = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0LEARN")).one()
        assert learner.status is MemberStatus.ACTIVE
    assert the_partnership(app).status is PartnershipStatus.ACTIVE


def test_status_with_more_than_a_cohort_shows_how_to_ask(app: RunningApp) -> None:
    app.post(app.signer.slash_command("status a b c", user_id="U0LEARN"))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert "/circles status" in answer.args["text"]
    assert "blocks" not in answer.args or not answer.args["blocks"]


def test_a_checkin_whose_form_slack_would_not_open_is_not_said_to_have_changed_nothing_and_waits_once(
    app: RunningApp, log: pytest.LogCaptureFixture
) -> None:
    # The check-in is opened before its form is asked for: it waits, and trying again opens that one.
    app.standin.error("views.open", "expired_trigger_id")
    app.post(app.signer.slash_command("checkin", user_id="U0LEARN"))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert "could not open in time" in answer.args["text"]
    assert "nothing was changed" not in answer.args["text"]
    app.settled()
    app.standin.clear()
    app.post(app.signer.slash_command("checkin", user_id="U0LEARN", trigger_id="1.2.again"))
    app.standin.wait_for("views.open")
    app.settled()
    with app.db.reading() as uow:
        assert len(uow.session.scalars(select(CheckIn)).all()) == 1
    assert tracebacks(log) == []
