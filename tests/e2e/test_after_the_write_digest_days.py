"""A coach's digest days saved while Slack fails the confirmation in the DM: the days are kept, and the
coach is never told that something went wrong and nothing was changed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.digests import working_days
from circles.persistence.models import Profile
from tests.e2e.conftest import RunningApp
from tests.e2e.harness import faults
from tests.e2e.test_away import app as away_app  # noqa: F401  (a fixture: a coach and a learner)


def test_digest_days_whose_confirmation_slack_fails_are_kept_and_claim_no_failure(
    away_app: RunningApp,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = away_app
    values = {
        ids.DIGEST_DAYS_BLOCK: {
            ids.INPUT: {"type": "checkboxes", "selected_options": [{"value": "0"}, {"value": "3"}]}
        }
    }
    app.standin.clear()
    app.standin.error("chat.postMessage", "internal_error")  # the confirmation, once

    submit = app.signer.view_submission(ids.DIGEST_DAYS_VIEW, user_id="U0COACH", values=values)
    assert app.post(submit)[0] == 200
    app.settled()

    with app.db.unit_of_work() as uow:
        coach = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0COACH")).one()
        assert working_days(coach.working_days) == frozenset({0, 3})
    told = [json.dumps(c.args, ensure_ascii=False) for c in app.standin.calls("chat.postMessage")]
    assert not [text for text in told if "nothing was changed" in text]
    assert not faults(caplog)
