"""A member's messages, claimed together, go one a second into each conversation: a leave and an erasure,
or a pair's ending, while one waits its turn keeps it from being posted; one on its way stays superseded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from bot.dispatch import DispatchOptions, dispatch
from bot.gateway import Clients, Gateway
from bot.gateway import Outcome as Sending
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.queries.outbox.sending import LANDED_SUPERSEDED
from circles.services.outbox.queue import Claimed, claim_due
from circles.services.outbox.turns import still_to_send
from circles.services.partnerships.changes import end_partnership
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from circles.services.planning import plan
from standin import SlackStandIn
from tests.databases import counted
from tests.dispatching import FakeClock, deps_for, plain, record, rows
from tests.integration.planning_world import GRACE
from tests.integration.test_planning import standard, utc

PLANNED = utc(2026, 3, 9, 12, 30)
AFTER = utc(2026, 3, 9, 14)
IDEA = "coach_idea:1:2026-03-09"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


@pytest.fixture
def planned(db: Database) -> int:
    """The week's prompts, check-ins and the coach's idea in the outbox; the coach–learner pair's id."""
    _, _, pair, _, _ = standard(db)
    with db.unit_of_work() as uow:
        plan(uow.session, PLANNED, grace=GRACE)
        uow.commit()
    return pair.id


class Meanwhile(Gateway):
    """Sends as Slack would, noting what was posted after `changed` ran; `in_flight` runs as a call starts."""

    def __init__(self, clients: Clients, in_flight: Callable[[Claimed], bool] | None = None) -> None:
        super().__init__(clients)
        self.after: list[Claimed] = []
        self.changed = False
        self._in_flight = in_flight

    def send(self, row: Claimed, maybe_posted: bool) -> Sending:
        if not self.changed and self._in_flight is not None:
            self.changed = self._in_flight(row)
        elif self.changed:
            self.after.append(row)
        return super().send(row, maybe_posted)


def erase_the_coach(db: Database) -> None:
    leave(db.unit_of_work(), "T0001", "pgy1", "U0COACH", AFTER)
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0COACH", AFTER) is True


def send_all(db: Database, standin: SlackStandIn, gateway: Meanwhile, change: Callable[[], None]) -> None:
    """One pass; `change` runs once on another process while the pass waits for a conversation's turn."""

    def meanwhile() -> None:
        if not gateway.changed:
            change()
            gateway.changed = True

    clock = FakeClock(before_sleep=meanwhile)
    options = DispatchOptions(look_up_dnd=False)
    dispatch(deps_for(db, standin), AFTER, options=options, pacer=clock.pacer(), gateway=gateway)
    assert gateway.changed, "the pass never waited"


def test_a_claimed_message_to_a_member_is_not_posted_after_their_erasure_while_it_waited(
    db: Database, standin: SlackStandIn, planned: int
) -> None:
    gateway = Meanwhile(Clients(deps_for(db, standin).settings))

    send_all(db, standin, gateway, lambda: erase_the_coach(db))

    assert [row.key for row in gateway.after if row.channel in ("U0COACH", "G0PAIR1")] == []
    assert rows(db)[IDEA].status == OutboxStatus.SUPERSEDED  # not recorded sent over the erasure


def test_a_claimed_check_in_and_starter_of_a_pair_ended_while_they_waited_are_not_posted(
    db: Database, standin: SlackStandIn, planned: int
) -> None:
    gateway = Meanwhile(Clients(deps_for(db, standin).settings))

    def the_learner_ends_it_on_another_process() -> None:
        end_partnership(db.unit_of_work(), "T0001", "U0LEARN", planned, "", AFTER, request_key="end-1")

    send_all(db, standin, gateway, the_learner_ends_it_on_another_process)

    assert [row.key for row in gateway.after if row.key.startswith(("checkin:", "pair_prompt:"))] == []
    found = rows(db)
    assert {found[key].status for key in found if key.startswith(("checkin:", "pair_prompt:"))} <= {
        OutboxStatus.SENT,  # went before the ending
        OutboxStatus.SUPERSEDED,
    }


def test_a_message_superseded_by_an_erasure_while_its_call_was_on_its_way_stays_superseded(
    db: Database, standin: SlackStandIn, planned: int
) -> None:
    def erased_as_the_idea_is_posted(row: Claimed) -> bool:  # after the last look, before Slack has it
        if row.key != IDEA:
            return False
        erase_the_coach(db)
        return True

    deps = deps_for(db, standin)
    gateway = Meanwhile(Clients(deps.settings), erased_as_the_idea_is_posted)
    dispatch(
        deps, AFTER, options=DispatchOptions(look_up_dnd=False), pacer=FakeClock().pacer(), gateway=gateway
    )

    assert gateway.changed
    idea = rows(db)[IDEA]
    assert (idea.status, idea.sent_at, idea.last_error) == (OutboxStatus.SUPERSEDED, None, LANDED_SUPERSEDED)
    assert idea.result is not None
    assert idea.result.get("ts")  # where it landed
    assert [row.key for row in gateway.after if row.channel == "U0COACH"] == []


def test_looking_again_at_a_wave_costs_as_many_statements_however_many_rows_it_holds(
    db: Database, planned: int
) -> None:
    record(db, [plain(f"notice:{n}", f"U0N{n:03d}") for n in range(40)], AFTER - timedelta(minutes=1))
    claimed = claim_due(db.unit_of_work(), AFTER, limit=100, claim_for=timedelta(minutes=5))
    planned_rows = [row for row in claimed if not row.key.startswith("notice:")]
    assert {"checkin", "coach_idea", "pair_prompt", "circle_prompt"} <= {
        r.payload["template"] for r in claimed
    }

    with counted(db) as few:
        assert len(still_to_send(db.unit_of_work(), planned_rows, AFTER)) == len(planned_rows)
    with counted(db) as many:
        assert len(still_to_send(db.unit_of_work(), claimed, AFTER)) == len(claimed) == len(planned_rows) + 40

    assert len(many) == len(few) <= 8, many
