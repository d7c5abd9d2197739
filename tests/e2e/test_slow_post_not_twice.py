"""Slack answering a post after the app stopped waiting: the message lands all the same, and the retry
finds it in the conversation's history instead of posting it a second time."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import OutboxStatus, Role
from circles.persistence.models import OutboxMessage
from tests import factories
from tests.e2e.conftest import SLACK_TIMEOUT, SLOW, RunningApp
from tests.e2e.test_typed_messages import typed


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """Lee is in a cohort, and what the app records is sent at once."""
    running = serve_app(sending=True)
    with running.db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "nights", "Night shifts")
        factories.facilitator(uow.session, co, "U0FAY")
        factories.member(uow.session, co, "U0LEE", Role.PEER)
        uow.commit()
    for user in ("U0LEE", "U0FAY"):
        running.standin.add_user(user)
    return running


@pytest.mark.early  # it outlasts the app's wait for Slack: started beside the others' work
def test_an_answer_slack_posts_after_the_app_stopped_waiting_reaches_the_dm_once(app: RunningApp) -> None:
    app.standin.set_latency("chat.postMessage", SLOW)  # Slack posts it, after the app gave up waiting
    assert app.post(app.signer.event(typed()))[0] == 200
    app.standin.wait_for("chat.postMessage", timeout=SLOW + 5)  # the first post has landed

    # The retry looks in the DM's history first, and finds the first post there.
    app.standin.wait_for("conversations.history", timeout=2 * SLACK_TIMEOUT + 5)
    app.settled()  # a second post, held back as long as the first, would be waited for here

    assert len(app.standin.messages("D0LEE")) == 1
    with app.db.unit_of_work() as uow:
        [row] = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "U0LEE")).all()
        assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
