"""A partner pauses or ends their partnership from `/circles status`, over HTTP with signed requests."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import OutboxMessage, Partnership
from standin.forms import submitted_values
from tests.e2e.conftest import RunningApp, coaching_pair


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    coaching_pair(running, users=("U0STRANGER",))
    return running


def status_buttons(app: RunningApp, user: str) -> dict[str, str]:
    app.standin.clear()
    app.post(app.signer.slash_command("status", user_id=user))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return {
        e["action_id"]: e["value"]
        for b in answer.args["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    }


def click(app: RunningApp, action: str, user: str, value: str) -> str:
    app.standin.clear()
    app.post(
        app.signer.block_action(
            action, user_id=user, value=value, response_url=app.standin.response_url("b"), trigger_id="t1"
        )
    )
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return json.dumps(answer.args)


def test_a_partner_pauses_from_status_and_then_sees_resume(app: RunningApp) -> None:
    buttons = status_buttons(app, "U0LEARN")
    assert "paused" in click(app, ids.PARTNERSHIP_PAUSE, "U0LEARN", buttons[ids.PARTNERSHIP_PAUSE])
    assert ids.PARTNERSHIP_RESUME in status_buttons(app, "U0LEARN")
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(Partnership.status)).one() is PartnershipStatus.PAUSED


def test_someone_else_pressing_a_partnership_button_changes_nothing(app: RunningApp) -> None:
    value = status_buttons(app, "U0LEARN")[ids.PARTNERSHIP_PAUSE]
    answer = click(app, ids.PARTNERSHIP_PAUSE, "U0STRANGER", value)
    assert "not one of yours" in answer
    assert "out of date" in click(app, ids.PARTNERSHIP_PAUSE, "U0LEARN", "DROP TABLE")
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(Partnership.status)).one() is PartnershipStatus.ACTIVE


def test_ending_through_the_form_is_private_and_no_fault(app: RunningApp) -> None:
    value = status_buttons(app, "U0LEARN")[ids.PARTNERSHIP_END_OPEN]
    app.standin.clear()
    app.post(
        app.signer.block_action(ids.PARTNERSHIP_END_OPEN, user_id="U0LEARN", value=value, trigger_id="t2")
    )
    [opened] = app.standin.wait_for("views.open", timeout=10)
    view = opened.args["view"] if isinstance(opened.args["view"], dict) else json.loads(opened.args["view"])
    values = submitted_values(view, {ids.PARTNERSHIP_END_REASON: "Our schedules never matched."})
    app.post(
        app.signer.view_submission(
            ids.PARTNERSHIP_END_VIEW,
            user_id="U0LEARN",
            values=values,
            private_metadata=view["private_metadata"],
        )
    )
    [told] = app.standin.wait_for("chat.postMessage", timeout=10)
    assert told.args["channel"] == "U0LEARN"
    assert "has ended" in told.args["text"]
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(Partnership.status)).one() is PartnershipStatus.ENDED
        recipients = {row.channel: row.payload for row in uow.session.scalars(select(OutboxMessage))}
    assert set(recipients) == {"U0COACH", "U0FAC"}
    assert "schedules" not in json.dumps(recipients["U0COACH"])
    assert "schedules" in json.dumps(recipients["U0FAC"])


def test_the_facilitator_offered_a_re_match_gets_a_preview_and_nobody_else_does(app: RunningApp) -> None:
    value = status_buttons(app, "U0LEARN")[ids.PARTNERSHIP_END_OPEN]
    app.post(
        app.signer.view_submission(
            ids.PARTNERSHIP_END_VIEW, user_id="U0LEARN", values={}, private_metadata=value
        )
    )
    app.standin.wait_for("chat.postMessage", timeout=10)
    action = f"{ids.REMATCH_OFFER}:0"
    preview = click(app, action, "U0FAC", "pgy1:U0LEARN")
    assert "Re-match in PGY-1" in preview
    assert "Every coach or mentor is full" in preview  # the only coach offers no places
    assert "facilitator" in click(app, action, "U0COACH", "pgy1:U0LEARN").lower()
