"""The dispatcher sends what the outbox holds through the Slack stand-in over HTTP, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.dispatch import dispatch
from bot.messages import render
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.services.outbox import Outgoing
from tests.dispatching import NOW, UNPACED, FakeClock, deps_for, plain, posts, record, rows
from tests.slack_standin import SlackStandIn


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def test_every_due_message_is_posted_once_with_its_key_and_recorded(db: Database, standin: SlackStandIn) -> None:
    record(db, [plain("prompt:1", "C0CIRCLE1"), plain("prompt:2", "C0CIRCLE2"), plain("welcome:U0ANN", "U0ANN")])
    record(db, [plain("later", "C0CIRCLE1")], due_at=NOW + timedelta(hours=1))

    summary = dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert (summary.sent, summary.failed) == (3, 0)
    assert posts(standin) == {"prompt:1": 1, "prompt:2": 1, "welcome:U0ANN": 1}
    [dm] = standin.messages("D0ANN")
    assert dm["text"] == render("plain", {"text": "Hello from welcome:U0ANN"}).text
    assert dm["metadata"] == {"event_type": "circles_outbox", "event_payload": {"key": "welcome:U0ANN"}}
    found = rows(db)
    assert found["welcome:U0ANN"].status == OutboxStatus.SENT
    assert found["welcome:U0ANN"].result == {"channel": "D0ANN", "ts": dm["ts"]}
    assert found["welcome:U0ANN"].attempts == 1
    assert found["later"].status == OutboxStatus.PENDING
