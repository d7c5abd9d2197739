"""Buttons on Home whose change is recorded while Slack fails to redraw Home: the change stands, and the
person hears what was done, never that nothing was changed."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.research.consent import Decision
from circles.persistence.models import AwayBlock, Consent
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.e2e.harness import faults

HOME = {"type": "home", "blocks": []}


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    coaching_pair(running, reachable_coach=True)
    return running


def told_in_dm(app: RunningApp, user: str) -> list[str]:
    app.settled()
    calls = app.standin.calls("chat.postMessage")
    return [json.dumps(call.args, ensure_ascii=False) for call in calls if call.args["channel"] == user]


def test_consent_given_on_home_stands_and_is_confirmed_in_the_dm_when_home_cannot_be_redrawn(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    app.standin.fail("views.publish", status=500, times=None)

    app.post(app.signer.block_action(ids.CONSENT_GIVE, user_id="U0LEARN", value="pgy1", view=HOME))

    told = told_in_dm(app, "U0LEARN")
    assert len(told) == 1
    assert "you agreed" in told[0]
    with app.db.reading() as reading:
        assert reading.session.scalars(select(Consent.decision)).all() == [Decision.GIVEN]
    assert not faults(caplog)


def test_back_pressed_on_home_stands_and_is_confirmed_once_when_home_cannot_be_redrawn(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    assert app.post(app.signer.slash_command("away 2w", user_id="U0LEARN"))[0] == 200
    app.settled()
    app.standin.clear()
    app.standin.fail("views.publish", status=500, times=None)

    app.post(app.signer.block_action(ids.HOME_BACK, user_id="U0LEARN", value="x", view=HOME))

    told = told_in_dm(app, "U0LEARN")
    assert len(told) == 1
    assert "Welcome back" in told[0]
    with app.db.reading() as reading:
        [block] = reading.session.scalars(select(AwayBlock)).all()
        assert block.ends_at <= block.created_at + timedelta(minutes=5)  # ended now, not in two weeks
    assert not faults(caplog)


def test_away_chosen_on_home_stands_and_is_confirmed_once_when_home_cannot_be_redrawn(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    app.post(app.signer.block_action(ids.HOME_AWAY_OPEN, user_id="U0LEARN", value="x", view=HOME))
    [opened] = app.standin.wait_for("views.open", timeout=10)
    form = opened.args["view"]
    app.standin.clear()
    app.standin.fail("views.publish", status=500, times=None)

    values = submitted_values(form, {ids.AWAY_WEEKS: "3"})
    app.post(app.signer.view_submission(ids.AWAY_VIEW, user_id="U0LEARN", values=values))

    told = told_in_dm(app, "U0LEARN")
    assert len(told) == 1
    assert "You're away until" in told[0]
    with app.db.reading() as reading:
        assert len(reading.session.scalars(select(AwayBlock)).all()) == 1
    assert not faults(caplog)


def test_away_whose_confirmation_slack_fails_to_take_is_never_reported_as_unchanged(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    app.post(app.signer.block_action(ids.HOME_AWAY_OPEN, user_id="U0LEARN", value="x", view=HOME))
    [opened] = app.standin.wait_for("views.open", timeout=10)
    values = submitted_values(opened.args["view"], {ids.AWAY_WEEKS: "3"})
    app.standin.clear()
    app.standin.fail("chat.postMessage", status=500, times=3)  # the confirmation and both retries

    app.post(app.signer.view_submission(ids.AWAY_VIEW, user_id="U0LEARN", values=values))

    assert not any("nothing was changed" in text for text in told_in_dm(app, "U0LEARN"))
    with app.db.reading() as reading:
        assert len(reading.session.scalars(select(AwayBlock)).all()) == 1
    assert app.standin.calls("views.publish")  # Home shows them away
    assert not faults(caplog)
