"""A facilitator taken off a cohort keeps their copy of its alert: it is redrawn with nothing of the pair."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import delete

from bot import ids
from circles.persistence.models import Facilitator
from standin.defaults import dm_channel_id
from tests.e2e.conftest import RunningApp
from tests.e2e.test_alerts_of_ended_pairs import alert_sent
from tests.e2e.test_escalations import (
    LOW,
    alert,
    answers_to,
    app,
    click,
    escalation_id,
    stored,
    updates,
)
from tests.escalation_world import FACILITATORS, SHARED_NOTE

__all__ = ["app"]  # the fixture: a cohort's alert already in each facilitator's DM


def test_a_former_facilitators_copy_loses_the_pair_and_their_presses_are_refused(app: RunningApp) -> None:
    number = str(escalation_id(app))
    with app.db.unit_of_work() as uow:
        uow.session.execute(delete(Facilitator).where(Facilitator.slack_user_id == "U0FAC2"))
        uow.commit()
    click(app, ids.ESCALATION_CLAIM, "U0FAC2", number)
    assert "Only the cohort's facilitators can act on this alert" in answers_to(app, "U0FAC2")[0]
    assert stored(app).claimed_by is None
    click(app, ids.ESCALATION_CLAIM, "U0FAC1", number)
    assert {c.args["channel"] for c in updates(app, 2)} == {dm_channel_id(u) for u in ("U0FAC1", "U0FAC2")}
    kept = json.dumps(alert(app, "U0FAC1"), ensure_ascii=False)
    assert "<@U0FAC1> is reaching out" in kept
    assert "shared note" in kept  # the notes, here sealed by the test, stay for current facilitators
    former = json.dumps(alert(app, "U0FAC2"), ensure_ascii=False)
    for private in (SHARED_NOTE, "shared note", LOW, "U0COACH", "U0LEARN", "struggling", "reaching out"):
        assert private not in former
    assert "is for the cohort's facilitators" in former


@pytest.fixture
def sending(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return alert_sent(serve_app)


def test_the_pair_ending_redraws_a_former_facilitators_copy_without_the_pair(sending: RunningApp) -> None:
    with sending.db.unit_of_work() as uow:
        uow.session.execute(delete(Facilitator).where(Facilitator.slack_user_id == "U0FAC2"))
        uow.commit()
    sending.post(sending.signer.slash_command("leave pgy1", user_id="U0LEARN"))
    redrawn = {c.args["channel"]: c for c in updates(sending, 2)}
    assert set(redrawn) == {dm_channel_id(u) for u in FACILITATORS}
    assert "the partnership ended" in json.dumps(redrawn[dm_channel_id("U0FAC1")].args)
    former = redrawn[dm_channel_id("U0FAC2")]
    assert former.args["ts"] == alert(sending, "U0FAC2")["ts"]  # the alert itself, redrawn in place
    for shown in (json.dumps(former.args), json.dumps(alert(sending, "U0FAC2"), ensure_ascii=False)):
        for private in (SHARED_NOTE, "U0COACH", "U0LEARN", "struggling", "ended"):
            assert private not in shown
        assert "is for the cohort's facilitators" in shown
    sending.settled()
    assert len(sending.standin.calls("chat.update")) == 2
