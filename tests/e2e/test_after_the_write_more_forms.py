"""A check-in form or a conflict form saved while Slack fails the confirmation in the DM: the save stands,
and the person is never told that something went wrong and nothing was changed."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.match_vocabulary import ConstraintKind
from circles.domain.vocabulary import MeetingPlace, PairingMode
from circles.persistence.models import MatchConstraint
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp
from tests.e2e.test_checkins import click, form_values, post_checkin, seed, stored
from tests.e2e.test_matching import FACILITATOR, NINE
from tests.e2e.test_matching import seed as seed_cohort

APP = ("bot", "circles")


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return serve_app()


def told_in_dms(app: RunningApp) -> list[str]:
    return [json.dumps(c.args, ensure_ascii=False) for c in app.standin.calls("chat.postMessage")]


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> bool:
    return not [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith(APP)]


def test_a_check_in_form_whose_confirmation_slack_fails_keeps_the_answer_and_claims_no_failure(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    checkin_id = seed(app)
    app.post(app.signer.slash_command("checkin", user_id="U0LEE", trigger_id="1.2.checkin"))
    [opened] = app.standin.wait_for("views.open")
    view = opened.args["view"]
    app.standin.clear()
    app.standin.error("chat.postMessage", "internal_error")  # the confirmation, once

    values = form_values("4", "yes", None, share=False, support=False)
    app.post(
        app.signer.view_submission(
            ids.CHECKIN_VIEW, user_id="U0LEE", values=values, private_metadata=view["private_metadata"]
        )
    )
    app.activity.wait_idle(30)

    assert stored(app, checkin_id).rating == 4
    assert not [text for text in told_in_dms(app) if "nothing was changed" in text]
    assert no_errors_logged(caplog)


def test_a_check_in_whose_message_is_gone_and_whose_confirmation_fails_keeps_the_answer(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    posted = post_checkin(app, seed(app))
    click(app, posted, ids.CHECKIN_OPEN_SUPPORT, str(posted.checkin_id))
    [opened] = app.standin.wait_for("views.open")
    view = opened.args["view"]
    app.standin.clear()
    app.standin.error("chat.update", "message_not_found")  # deleted meanwhile
    app.standin.error("chat.postMessage", "internal_error")

    values = form_values("2", "no", None, share=False, support=False)
    app.post(
        app.signer.view_submission(
            ids.CHECKIN_VIEW, user_id="U0LEE", values=values, private_metadata=view["private_metadata"]
        )
    )
    app.activity.wait_idle(30)

    assert stored(app, posted.checkin_id).rating == 2
    assert not [text for text in told_in_dms(app) if "nothing was changed" in text]
    assert no_errors_logged(caplog)


def test_a_conflict_whose_confirmation_slack_fails_is_kept_and_claims_no_failure(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    seed_cohort(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.GROUP_DM)
    app.post(
        app.signer.block_action(ids.MATCH_CONFLICT_OPEN, user_id=FACILITATOR, value="pgy1", trigger_id="t1")
    )
    [opened] = app.standin.wait_for("views.open", timeout=10)
    view = opened.args["view"] if isinstance(opened.args["view"], dict) else json.loads(opened.args["view"])
    app.standin.clear()
    app.standin.error("views.update", "not_found")  # the form closed meanwhile: the DM confirms instead
    app.standin.error("chat.postMessage", "internal_error")
    chosen = {
        ids.MATCH_CONFLICT_ONE: "U0P1",
        ids.MATCH_CONFLICT_OTHER: "U0P2",
        ids.MATCH_CONFLICT_KIND: "assesses",
    }

    app.post(
        app.signer.view_submission(
            ids.MATCH_CONFLICT_VIEW,
            user_id=FACILITATOR,
            values=submitted_values(view, chosen),
            private_metadata="pgy1",
        )
    )
    app.activity.wait_idle(30)

    with app.db.unit_of_work() as uow:
        [row] = uow.session.scalars(select(MatchConstraint)).all()
    assert (row.slack_user_id, row.other_user_id, row.kind) == ("U0P1", "U0P2", ConstraintKind.ASSESSES)
    assert not [text for text in told_in_dms(app) if "nothing was changed" in text]
    assert no_errors_logged(caplog)
