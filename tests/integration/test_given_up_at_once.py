"""A message given up is failed together with what it carried, in one transaction: a process that dies (or a
database that goes away) between the two loses neither, and the next pass takes it on."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event

from bot.dispatch import dispatch
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Escalation
from standin import SlackStandIn
from tests import escalation_world as w
from tests import factories
from tests.databases import postgres_db
from tests.dispatching import UNPACED, FakeClock, deps_for
from tests.dropping import dropped_at
from tests.integration.escalations.test_unreachable_facilitator import only_facilitators, open_now
from tests.integration.test_ending_report_unreached import ADMINS as REPORT_ADMINS
from tests.integration.test_ending_report_unreached import ended, reports
from tests.integration.test_support_unreachable import ADMINS, ask, rows, seed

FACILITATOR = "U0FAC"
ONCE = replace(UNPACED, max_attempts=1, tries=1, jitter=lambda: 1.0)  # one failed attempt gives it up


class Died(Exception):
    """The process stopped in the middle of the work (killed, out of memory, the machine lost)."""


@contextmanager
def dies_at(engine: Engine, *fragments: str) -> Iterator[None]:
    """The process dies as it sends the first statement holding every one of `fragments`."""
    wanted = [fragment.upper() for fragment in fragments]
    done = [False]

    def before(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not done[0] and all(fragment in statement.upper() for fragment in wanted):
            done[0] = True
            raise Died(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        running.error("conversations.history", "missing_scope", times=None)
        yield running


def a_pass(db: Database, standin: SlackStandIn, at: datetime, admins: Sequence[str] = ADMINS) -> None:
    """A pass at `at`, on a wall clock that reads `at` too: one pass after another, claims run out."""
    dispatch(deps_for(db, standin, admins), at, options=ONCE, pacer=FakeClock().pacer(), wall=at)


def test_a_support_request_given_up_by_a_process_that_dies_before_passing_it_on_still_reaches_the_admins(
    db: Database, standin: SlackStandIn
) -> None:
    seed(db, FACILITATOR)
    ask(db)
    standin.fail("chat.postMessage", status=503, times=1)  # Slack fails the one attempt it is allowed
    with dies_at(db.engine, "INSERT INTO outbox"), pytest.raises(Died):
        a_pass(db, standin, factories.NOW)  # it dies passing the request on, after giving it up
    a_pass(db, standin, factories.NOW + timedelta(minutes=10))  # the next pass, Slack well again
    assert [(row.channel, row.payload["template"], row.status) for row in rows(db)] == [
        (FACILITATOR, "support_request", OutboxStatus.FAILED),
        ("U0ADM", "support_request", OutboxStatus.PENDING),  # given up in that pass's claim, sent next
        ("U0LEE", "support_rerouted", OutboxStatus.PENDING),
    ]


@pytest.mark.postgres
@pytest.mark.parametrize("statement", [("UPDATE outbox", "CASE"), ("INSERT INTO outbox",)])
def test_a_connection_dropped_while_giving_up_a_request_passes_it_on_once(
    standin: SlackStandIn, statement: tuple[str, ...]
) -> None:
    with postgres_db() as db:
        seed(db, FACILITATOR)
        ask(db)
        standin.fail("chat.postMessage", status=503, times=1)
        with dropped_at(db.engine, *statement) as dropped:
            a_pass(db, standin, factories.NOW)  # the whole of it done again, on a new connection
        assert dropped
        assert [(row.channel, row.status) for row in rows(db)] == [
            (FACILITATOR, OutboxStatus.FAILED),
            ("U0ADM", OutboxStatus.PENDING),
            ("U0LEE", OutboxStatus.PENDING),
        ]


def test_an_alert_given_up_by_a_process_that_dies_before_bringing_its_follow_up_forward_is_still_followed_up(
    db: Database, standin: SlackStandIn
) -> None:
    with db.unit_of_work() as uow:
        world = w.build(uow.session)
        uow.commit()
    only_facilitators(db, world, FACILITATOR)
    escalation_id = open_now(db, world)
    standin.fail("chat.postMessage", status=503, times=1)
    with dies_at(db.engine, "UPDATE escalations", "follow_up_at"), pytest.raises(Died):
        a_pass(db, standin, w.at(hours=1))
    later = w.at(hours=1.25)
    a_pass(db, standin, later)  # its claim expired: given up again, and this time taken on
    [alert] = rows(db)
    assert alert.status is OutboxStatus.FAILED
    with db.unit_of_work() as uow:
        assert uow.session.get_one(Escalation, escalation_id).follow_up_at == later


def test_an_ending_report_slack_refuses_for_its_facilitator_reaches_the_admins_through_rate_limits(
    db: Database, standin: SlackStandIn
) -> None:
    ended(db)
    standin.refuse_dm("U0FAC", "user_disabled")
    a_pass(db, standin, factories.NOW, REPORT_ADMINS)
    standin.fail("chat.postMessage", status=429, retry_after=2, times=1)  # the admin's copy waits its turn
    a_pass(db, standin, factories.NOW + timedelta(minutes=1), REPORT_ADMINS)
    assert reports(db) == [("U0FAC", OutboxStatus.FAILED), ("U0ADM", OutboxStatus.SENT)]
    posted = [call.args for call in standin.calls("chat.postMessage") if call.args.get("channel") == "U0ADM"]
    assert len(posted) == 2  # refused once for the rate limit, then taken
    assert "never found a time" not in json.dumps(posted)
