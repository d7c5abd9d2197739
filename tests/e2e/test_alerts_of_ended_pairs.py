"""An alert whose partnership ends some other way is redrawn as resolved in every facilitator's DM."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import EscalationStatus
from circles.persistence.models import Escalation
from standin.defaults import dm_channel_id
from tests import escalation_world as w
from tests.e2e.conftest import RunningApp
from tests.e2e.test_escalations import MEMBERS, escalate
from tests.escalation_world import FACILITATORS, SHARED_NOTE


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return alert_sent(serve_app)


def alert_sent(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """The alert in each facilitator's DM, and a dispatcher that sends what the app records at once."""
    running = serve_app(sending=True)
    with running.db.unit_of_work() as uow:
        world = w.build(uow.session)
        uow.commit()
    for user in (*FACILITATORS, *MEMBERS):
        running.standin.add_user(user)
    escalate(running, world.partnership_id)
    return running


def test_a_partner_leaving_redraws_every_copy_of_the_alert_as_resolved(app: RunningApp) -> None:
    app.post(app.signer.slash_command("leave pgy1", user_id="U0LEARN"))
    updates = app.standin.wait_for("chat.update", count=len(FACILITATORS), timeout=10)
    assert {call.args["channel"] for call in updates} == {dm_channel_id(user) for user in FACILITATORS}
    for call in updates:
        [shown] = app.standin.messages(call.args["channel"])
        assert call.args["ts"] == shown["ts"]  # the alert itself, not a new message
        text = json.dumps(call.args)
        assert "Resolved" in text
        assert "the partnership ended" in text
        assert SHARED_NOTE not in text
        assert "I'll reach out" not in text  # nothing left to press
    with app.db.unit_of_work() as uow:
        escalation = uow.session.scalars(select(Escalation)).one()
        assert (escalation.status, escalation.outcome) == (EscalationStatus.RESOLVED, "ended")
