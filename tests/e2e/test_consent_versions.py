"""Agreeing on a message whose research statement has changed since: nothing recorded, asked to read again."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot import ids
from circles.domain.research.consent import Decision
from circles.persistence.models import Cohort
from tests.e2e.conftest import RunningApp
from tests.e2e.test_consent import answer_to, app, command, decisions

__all__ = ["app"]  # the fixture: a learner in cohort pgy1


def agree_button_value(shown: dict[str, Any]) -> str:
    [actions] = [b for b in shown["blocks"] if b["type"] == "actions"]
    [agree] = [e for e in actions["elements"] if e["action_id"] == ids.CONSENT_GIVE]
    return str(agree["value"])


def press(app: RunningApp, action: str, value: str) -> dict[str, Any]:
    return answer_to(
        app, app.signer.block_action(action, user_id="U0LEARN", value=value, channel_id="D0LEARN")
    )


def test_agreeing_on_a_message_shown_before_the_statement_changed_records_nothing(app: RunningApp) -> None:
    old_value = agree_button_value(command(app, "consent"))
    with app.db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        cohort.research_statement, cohort.research_statement_version = "Answers go to a new study.", "2"
        uow.commit()

    refused = press(app, ids.CONSENT_GIVE, old_value)
    assert "changed since that message" in refused["text"]
    assert "Read version 2" in refused["text"]
    assert decisions(app) == []

    agreed = press(app, ids.CONSENT_GIVE, agree_button_value(command(app, "consent")))
    assert "statement version 2" in agreed["text"]
    # Withdrawing is never refused, whichever statement the message showed.
    press(app, ids.CONSENT_WITHDRAW, old_value)
    assert decisions(app) == [("U0LEARN", Decision.GIVEN, "2"), ("U0LEARN", Decision.WITHDRAWN, "2")]
