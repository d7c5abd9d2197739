"""The dispatcher keeps to Slack's limits by itself, keeps a conversation's order, and stops on time."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest

from bot.dispatch import DispatchOptions, dispatch
from bot.gateway import Clients, Gateway, Outcome
from circles.domain.vocabulary import OutboxStatus
from circles.messages import PlainNotice
from circles.persistence.db import Database
from circles.services.outbox.enqueue import Outgoing
from circles.services.outbox.queue import Claimed
from circles.settings import Settings
from standin import SlackStandIn
from tests.dispatching import NOW, UNPACED, FakeClock, Stored, deps_for, plain, posts, record, rows

WORKSPACE_GAP = 60 / 300 * 1.05  # chat.postMessage: 300 a minute in a workspace, with 5% to spare
CHANNEL_GAP = 1.05  # and one a second in a conversation


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


class TimedGateway(Gateway):
    """The real gateway, noting on the fake clock when each row was sent."""

    def __init__(self, settings: Settings, clock: FakeClock) -> None:
        super().__init__(Clients(settings))
        self.clock = clock
        self.sent_at: list[tuple[str, float]] = []

    def send(self, row: Claimed, maybe_posted: bool) -> Outcome:
        self.sent_at.append((row.key, self.clock.now))
        return super().send(row, maybe_posted)


def test_posts_keep_to_one_a_second_per_conversation_and_the_workspace_cap(
    db: Database, standin: SlackStandIn
) -> None:
    record(
        db,
        [plain(f"circle:{i}", "C0SAME") for i in range(3)] + [plain(f"dm:{i}", f"U0{i}") for i in range(6)],
    )
    clock = FakeClock()
    deps = deps_for(db, standin)
    gateway = TimedGateway(deps.settings, clock)

    summary = dispatch(deps, NOW, options=DispatchOptions(), pacer=clock.pacer(), gateway=gateway)

    assert summary.sent == 9
    times = sorted(at for _, at in gateway.sent_at)
    assert all(b - a >= WORKSPACE_GAP - 1e-9 for a, b in pairwise(times))
    same = [at for key, at in gateway.sent_at if key.startswith("circle:")]
    assert all(b - a >= CHANNEL_GAP - 1e-9 for a, b in pairwise(same))
    # The DMs went out between the circle's posts instead of waiting behind them.
    assert times[-1] - times[0] < 2 * CHANNEL_GAP + WORKSPACE_GAP


def test_a_conversations_messages_arrive_in_order_even_when_the_first_was_refused(
    db: Database, standin: SlackStandIn
) -> None:
    standin.fail("chat.postMessage", status=429, retry_after=1, times=1)
    record(db, [plain(f"prompt:{i}", "C0SAME", text=f"Prompt {i}") for i in range(3)])
    clock = FakeClock()

    dispatch(deps_for(db, standin), NOW, options=UNPACED, pacer=clock.pacer())

    assert [m["text"] for m in standin.messages("C0SAME")] == ["Prompt 0", "Prompt 1", "Prompt 2"]
    assert clock.slept == [1.0]


def test_rows_not_tried_before_the_deadline_go_back_without_counting_as_attempts(
    db: Database, standin: SlackStandIn
) -> None:
    record(db, [plain(f"prompt:{i}", "C0SAME") for i in range(5)])
    clock = FakeClock()

    summary = dispatch(deps_for(db, standin), NOW, options=DispatchOptions(deadline=2.0), pacer=clock.pacer())

    assert (summary.sent, summary.released) == (2, 3)
    left = [row for row in rows(db).values() if row.status == OutboxStatus.PENDING]
    assert sorted((row.idempotency_key, row.attempts, row.due_at) for row in left) == [
        (f"prompt:{i}", 0, NOW) for i in (2, 3, 4)
    ]


def test_a_home_tab_and_an_edit_go_out_through_their_own_methods(db: Database, standin: SlackStandIn) -> None:
    ts = standin.add_message("C0CIRCLE", text="Week 3 prompt")
    record(
        db,
        [
            Outgoing("home:U0ANN", "U0ANN", PlainNotice("Your circles"), method="views.publish"),
            Stored("edit:1", "C0CIRCLE", "plain", {"text": "Week 3 prompt (moved)", "ts": ts}, "chat.update"),
        ],
    )

    summary = dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert summary.sent == 2
    home = standin.home_view("U0ANN")
    assert home is not None
    assert home["blocks"][0]["text"]["text"] == "Your circles"
    assert [m["text"] for m in standin.messages("C0CIRCLE")] == ["Week 3 prompt (moved)"]
    assert posts(standin) == {}
