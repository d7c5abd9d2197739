"""A message someone is waiting for (the answer to what they typed, their request for support, an alert) is
claimed and sent before a fan-out that fell due earlier, behind nothing but its own conversation's earlier
messages, which keep their order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.dispatch import DispatchOptions, dispatch
from bot.gateway import Clients, Gateway, Outcome
from circles.messages import CirclePrompt, DirectAnswer, Payload, PlainNotice, SupportRequest
from circles.persistence.db import Database
from circles.services.outbox.enqueue import Outgoing
from circles.services.outbox.queue import Claimed, Share, claim_due
from circles.settings import Settings
from standin import SlackStandIn
from tests.dispatching import NOW, FakeClock, deps_for, posts, record

START = 1_000.0  # the fake clock's reading as a pass begins
BULK = 120  # a cohort's circle prompts, fallen due a moment before
PROMPT = CirclePrompt("rest-1", "Rest", "What helped you rest this week?", None, "PGY-1", 3)
ANSWER = DirectAnswer((), "The staff wellbeing line, any time.")


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def prompts() -> list[Outgoing]:
    return [Outgoing(f"prompt:{n}", f"C0CIRCLE{n:03d}", PROMPT) for n in range(BULK)]


def claimed_keys(db: Database, limit: int) -> list[str]:
    claim = claim_due(db.unit_of_work(), NOW, limit=limit, claim_for=timedelta(minutes=5), share=Share(50))
    return [row.key for row in claim]


@pytest.mark.parametrize(
    ("to", "urgent"),
    [
        ("U0LEE", ANSWER),  # what Lee typed in the app's DM: the answer gives where to turn
        ("U0FAY", SupportRequest("PGY-1", "U0LEE", "Could we talk today?")),  # to their facilitator
    ],
)
def test_a_claim_takes_a_message_someone_waits_for_before_a_fan_out_due_earlier(
    db: Database, to: str, urgent: Payload
) -> None:
    record(db, prompts(), NOW - timedelta(seconds=5))
    record(db, [Outgoing("waited:for", to, urgent)], NOW)

    keys = claimed_keys(db, limit=10)

    assert "waited:for" in keys  # not after the 120 prompts: 24 s of the workspace's pace
    assert sorted(keys) == sorted(["waited:for", *(f"prompt:{n}" for n in range(9))])  # then in due order


def test_what_its_conversation_was_due_before_it_comes_first_with_it_in_order(db: Database) -> None:
    record(
        db,
        [Outgoing("earlier:lee", "U0LEE", PlainNotice("Your partner is back."))],
        NOW - timedelta(minutes=1),
    )
    record(db, prompts(), NOW - timedelta(seconds=5))
    record(db, [Outgoing("answer:lee", "U0LEE", ANSWER)], NOW)

    keys = claimed_keys(db, limit=10)

    assert keys.index("earlier:lee") < keys.index("answer:lee")  # Lee's DM keeps its order


class TimedGateway(Gateway):
    """The real gateway, noting on the fake clock when each row went; as the `after`-th goes, Lee types to
    the app, and the answer is recorded and the sender woken, as the listener does."""

    def __init__(self, settings: Settings, clock: FakeClock, db: Database, wake: object, after: int) -> None:
        super().__init__(Clients(settings))
        self.clock, self.db, self.wake, self.after = clock, db, wake, after
        self.sent_at: dict[str, float] = {}
        self.typed_at: float | None = None

    def send(self, row: Claimed, maybe_posted: bool) -> Outcome:
        if len(self.sent_at) == self.after and self.typed_at is None:
            self.typed_at = self.clock.now
            record(self.db, [Outgoing("answer:lee", "U0LEE", ANSWER)], NOW)
            self.wake()  # type: ignore[operator]
        self.sent_at[row.key] = self.clock.now
        return super().send(row, maybe_posted)


def test_the_answer_to_a_message_typed_while_a_fan_out_goes_is_sent_within_a_second(
    db: Database, standin: SlackStandIn
) -> None:
    record(db, prompts(), NOW - timedelta(seconds=5))
    clock = FakeClock()
    deps = deps_for(db, standin)
    gateway = TimedGateway(deps.settings, clock, db, deps.waker, after=10)

    summary = dispatch(
        deps, NOW, options=DispatchOptions(look_up_dnd=False), pacer=clock.pacer(), gateway=gateway
    )

    assert gateway.typed_at is not None
    assert gateway.sent_at["answer:lee"] - gateway.typed_at < 1.0  # not behind the 110 prompts left (22 s)
    assert max(gateway.sent_at.values()) - START > 20  # the prompts kept to the workspace's pace all along
    assert summary.sent == BULK + 1
    assert set(posts(standin).values()) == {1}
