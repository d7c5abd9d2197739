"""A message that cannot be built fails at once, for good, with a reason: never posted, never tried again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.messages import _RENDERERS, _load
from bot.tick import run_tick
from bot.views.message import Message
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.services.outbox import Outgoing
from circles.services.outbox_failures import failed_since
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, deps_for, plain, record, rows

OVERSIZED = "test-oversized-section"


def _oversized(args: dict[str, Any]) -> Message:
    # A section over Slack's 3,000 characters: slack_sdk refuses it when the blocks are built.
    text = "x" * 3001
    return Message(text="too long", blocks=[SectionBlock(text=MarkdownTextObject(text=text))])


@pytest.fixture(autouse=True)
def oversized_template(monkeypatch: pytest.MonkeyPatch) -> None:
    """A template that cannot be built, known for this module's tests only."""
    _load()
    monkeypatch.setitem(_RENDERERS, OVERSIZED, _oversized)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def test_a_message_slack_sdk_cannot_build_fails_at_once_and_is_counted_in_the_tick(
    db: Database, standin: SlackStandIn
) -> None:
    record(db, [Outgoing(key="digest", channel="U0COACH", template=OVERSIZED), plain("fine", "C0NEW")])
    deps = deps_for(db, standin)

    summary = run_tick(deps, NOW, sending=UNPACED)

    found = rows(db)
    assert (found["digest"].status, found["digest"].last_error) == (
        OutboxStatus.FAILED,
        "unbuildable:SlackObjectFormationError",
    )
    assert found["digest"].attempts == 1
    assert found["fine"].status == OutboxStatus.SENT
    assert [call.args["channel"] for call in standin.calls("chat.postMessage")] == ["C0NEW"]
    assert summary.counts["messages that could not be built"] == 1
    assert "  messages that could not be built: 1" in summary.lines()

    later = run_tick(deps, NOW + timedelta(hours=1), sending=UNPACED)

    assert later.counts["messages that could not be built"] == 0
    assert rows(db)["digest"].attempts == 1
    assert len(standin.calls("chat.postMessage")) == 1


def test_a_renderer_that_raises_fails_its_row_with_the_error_kind_only(
    db: Database, standin: SlackStandIn
) -> None:
    record(db, [Outgoing(key="broken", channel="C0NEW", template="plain", args={"wrong": "words"})])

    summary = run_tick(deps_for(db, standin), NOW, sending=UNPACED)

    broken = rows(db)["broken"]
    assert (broken.status, broken.last_error) == (OutboxStatus.FAILED, "unbuildable:KeyError")
    assert summary.counts["messages that could not be built"] == 1
    assert standin.calls("chat.postMessage") == []


def test_rows_failed_for_good_in_the_last_day_are_counted(db: Database, standin: SlackStandIn) -> None:
    record(db, [Outgoing(key="old", channel="C0NEW", template=OVERSIZED)], due_at=NOW - timedelta(days=2))
    record(db, [Outgoing(key="new", channel="C0NEW", template=OVERSIZED)])
    run_tick(deps_for(db, standin), NOW, sending=UNPACED)

    with db.unit_of_work() as uow:
        assert failed_since(uow.session, NOW - timedelta(hours=24)) == 1
