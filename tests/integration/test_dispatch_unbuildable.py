"""A message that cannot be built fails at once, for good, with a reason: never posted, never tried again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar, Self

import pytest
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.messages import _RENDERERS, registered
from bot.tick import run_tick
from bot.views.message import Message
from circles.domain.vocabulary import OutboxStatus
from circles.messages import KINDS, Payload
from circles.persistence.db import Database
from circles.services.outbox.enqueue import Outgoing
from circles.services.outbox.failures import failed_since
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, Stored, deps_for, plain, record, rows


@dataclass(frozen=True)
class Oversized(Payload):
    """A kind whose renderer has a bug: known for this module's tests only."""

    TEMPLATE: ClassVar[str] = "test-oversized-section"

    def to_args(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_args(cls, args: object) -> Self:
        return cls()


def _oversized(payload: Oversized) -> Message:
    # A section over Slack's 3,000 characters: slack_sdk refuses it when the blocks are built.
    text = "x" * 3001
    return Message(text="too long", blocks=[SectionBlock(text=MarkdownTextObject(text=text))])


@pytest.fixture(autouse=True)
def oversized_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kind that cannot be built, known for this module's tests only."""
    registered()
    kind: type[Payload] = Oversized
    monkeypatch.setitem(KINDS, kind.TEMPLATE, kind)
    monkeypatch.setitem(_RENDERERS, kind, _oversized)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def test_a_message_slack_sdk_cannot_build_fails_at_once_and_is_counted_in_the_tick(
    db: Database, standin: SlackStandIn
) -> None:
    record(db, [Outgoing("digest", "U0COACH", Oversized()), plain("fine", "C0NEW")])
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


def test_a_row_whose_arguments_do_not_fit_its_kind_fails_with_the_error_kind_only(
    db: Database, standin: SlackStandIn
) -> None:
    record(db, [Stored("broken", "C0NEW", "plain", {"wrong": "words"})])

    summary = run_tick(deps_for(db, standin), NOW, sending=UNPACED)

    broken = rows(db)["broken"]
    assert (broken.status, broken.last_error) == (OutboxStatus.FAILED, "unbuildable:MalformedPayload")
    assert summary.counts["messages that could not be built"] == 1
    assert standin.calls("chat.postMessage") == []


def test_rows_failed_for_good_in_the_last_day_are_counted(db: Database, standin: SlackStandIn) -> None:
    record(db, [Outgoing("old", "C0NEW", Oversized())], due_at=NOW - timedelta(days=2))
    record(db, [Outgoing("new", "C0NEW", Oversized())])
    run_tick(deps_for(db, standin), NOW, sending=UNPACED)

    with db.unit_of_work() as uow:
        assert failed_since(uow.session, NOW - timedelta(hours=24)) == 1
