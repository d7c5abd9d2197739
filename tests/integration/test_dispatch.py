"""The dispatcher sends what the outbox holds through the Slack stand-in over HTTP, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.dispatch import dispatch
from bot.gateway import Clients, Gateway
from bot.messages import render
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, FakeClock, Stored, deps_for, key_of, plain, posts, record, rows


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def test_every_due_message_is_posted_once_with_its_key_and_recorded(
    db: Database, standin: SlackStandIn
) -> None:
    record(
        db, [plain("prompt:1", "C0CIRCLE1"), plain("prompt:2", "C0CIRCLE2"), plain("welcome:U0ANN", "U0ANN")]
    )
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


def test_a_permanent_error_is_recorded_once_and_the_other_rows_are_still_sent(
    db: Database, standin: SlackStandIn
) -> None:
    standin.add_channel("C0OLD", "old-circle")
    with standin.lock:
        standin.workspace.channels["C0OLD"].is_archived = True
    record(
        db,
        [
            plain("archived", "C0OLD"),
            Stored("mystery", "C0NEW", "no-such-template"),
            plain("fine", "C0NEW"),
        ],
    )

    summary = dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert (summary.sent, summary.failed) == (1, 2)
    found = rows(db)
    assert (found["archived"].status, found["archived"].last_error) == (OutboxStatus.FAILED, "is_archived")
    assert found["mystery"].last_error == "unknown_template: no-such-template"
    assert found["fine"].status == OutboxStatus.SENT
    assert [c.args["channel"] for c in standin.calls("chat.postMessage")].count("C0OLD") == 1  # never again
    assert dispatch(deps_for(db, standin), NOW + timedelta(days=1), options=UNPACED).claimed == 0


def test_a_429_is_honoured_for_its_row_while_other_conversations_go_on(
    db: Database, standin: SlackStandIn
) -> None:
    standin.fail("chat.postMessage", status=429, retry_after=1, times=1)
    record(db, [plain("one", "C0ONE"), plain("two", "C0TWO")])

    summary = dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert (summary.sent, summary.rate_limited) == (2, 1)
    refused, *later = standin.calls("chat.postMessage")
    assert refused.status == 429
    [again] = [call for call in later if key_of(call) == key_of(refused)]
    [other] = [call for call in later if key_of(call) != key_of(refused)]
    assert again.at - refused.at >= 1.0
    assert other.at < again.at
    assert posts(standin) == {"one": 1, "two": 1}


def test_a_retry_after_longer_than_the_pass_puts_the_row_back_due_no_earlier(
    db: Database, standin: SlackStandIn
) -> None:
    standin.fail("chat.postMessage", status=429, retry_after=30, times=1)
    record(db, [plain("one", "C0ONE")])
    clock = FakeClock()

    summary = dispatch(
        deps_for(db, standin), NOW, options=replace(UNPACED, deadline=5.0), pacer=clock.pacer()
    )

    assert (summary.sent, summary.retried) == (0, 1)
    row = rows(db)["one"]
    assert (row.status, row.due_at, row.last_error) == (
        OutboxStatus.PENDING,
        NOW + timedelta(seconds=30),
        "ratelimited",
    )
    assert dispatch(deps_for(db, standin), NOW + timedelta(seconds=29), options=UNPACED).claimed == 0
    assert dispatch(deps_for(db, standin), NOW + timedelta(seconds=30), options=UNPACED).sent == 1
    assert posts(standin) == {"one": 1}


def test_server_errors_are_retried_with_growing_back_off_then_sent_once(
    db: Database, standin: SlackStandIn
) -> None:
    standin.fail("chat.postMessage", status=500, times=2)
    record(db, [plain("one", "C0ONE")])
    clock = FakeClock()

    summary = dispatch(
        deps_for(db, standin), NOW, options=replace(UNPACED, jitter=lambda: 1.0), pacer=clock.pacer()
    )

    assert summary.sent == 1
    assert clock.slept == pytest.approx([0.5, 1.0])
    # A 5xx may come after Slack posted: each retry looked in the conversation first.
    assert len(standin.calls("conversations.history")) == 2
    assert posts(standin) == {"one": 1}
    assert rows(db)["one"].attempts == 1


def test_a_server_that_keeps_failing_sends_the_row_back_for_later_remembering_it_may_be_posted(
    db: Database, standin: SlackStandIn
) -> None:
    standin.fail("chat.postMessage", status=503, times=None)
    record(db, [plain("one", "C0ONE")])
    clock = FakeClock()

    summary = dispatch(
        deps_for(db, standin), NOW, options=replace(UNPACED, jitter=lambda: 1.0), pacer=clock.pacer()
    )

    assert (summary.sent, summary.retried) == (0, 1)
    row = rows(db)["one"]
    assert row.status == OutboxStatus.PENDING
    assert row.due_at == NOW + timedelta(seconds=0.5 + 1.0 + 30)  # two back-offs, then 30 s in the outbox
    assert row.result == {"first_claimed_at": NOW.isoformat(), "maybe_posted": True}


def test_a_timed_out_post_that_reached_slack_is_found_and_not_posted_again(
    db: Database, standin: SlackStandIn
) -> None:
    standin.set_latency("chat.postMessage", 0.4)  # Slack posts it, but after the client gave up
    record(db, [plain("slow", "U0ANN")])
    deps = deps_for(db, standin)
    # The back-off before the retry ends once Slack has posted the message, not after a fixed while.
    clock = FakeClock(before_sleep=lambda: standin.wait_for("chat.postMessage"))

    summary = dispatch(
        deps,
        NOW,
        options=UNPACED,
        pacer=clock.pacer(),
        gateway=Gateway(Clients(deps.settings, timeout=0.2)),
    )

    assert (summary.sent, summary.deduplicated) == (0, 1)
    assert posts(standin) == {"slow": 1}
    [message] = standin.messages("D0ANN")
    assert rows(db)["slow"].result == {"channel": "D0ANN", "ts": message["ts"]}
