"""A message that must not be lost, given up because Slack kept failing or its senders kept dying: an alert
comes to its follow-up at once, a support request goes to whoever else can act and its member is told once,
and neither keeps the member's words in the failed row."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.gateway.record import Recorder
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Escalation, OutboxMessage
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.outbox.queue import Trail, claim_due
from tests import escalation_world as w
from tests import factories
from tests.escalation_world import World
from tests.integration.escalations.test_unreachable_facilitator import ADMIN, only_facilitators, open_now
from tests.integration.test_support_unreachable import ADMINS, ask, seed

CLAIM = timedelta(minutes=5)
WORDS = "MARKER-my-rota-is-too-much"
FACILITATOR = "U0FAC"


@pytest.fixture
def world(db: Database) -> World:
    """A cohort whose pair worries its facilitators (tests/escalation_world.py)."""
    with db.unit_of_work() as uow:
        built = w.build(uow.session)
        uow.commit()
    return built


def slack_keeps_failing(db: Database, at: datetime, admins: list[str], error: str = "http_503") -> None:
    """A pass whose rows each had their last attempt and failed again with a passing error: given up."""
    recorder = Recorder(db, admins)
    for row in claim_due(db.unit_of_work(), at, limit=50, claim_for=CLAIM, max_attempts=1):
        trail = Trail(row.trail.first_claimed_at, maybe_posted=True)
        status = recorder.retry_later(row, error, at, trail, at, max_attempts=1)  # failed and taken on
        assert status is OutboxStatus.FAILED


def senders_keep_dying(db: Database, at: datetime, admins: list[str], attempts: int = 2) -> datetime:
    """Passes that each claim the rows and die holding them, until the outbox gives them up; the time then."""
    for n in range(attempts + 1):
        if n:
            at += CLAIM + timedelta(seconds=1)
        claim_due(db.unit_of_work(), at, limit=50, claim_for=CLAIM, max_attempts=attempts, admins=admins)
    return at


def rows(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def follow_up_at(db: Database, escalation_id: int) -> datetime | None:
    with db.unit_of_work() as uow:
        return uow.session.get_one(Escalation, escalation_id).follow_up_at


def test_an_alert_given_up_after_slack_kept_failing_goes_to_the_admins_at_the_next_tick(
    db: Database, world: World
) -> None:
    only_facilitators(db, world, FACILITATOR)
    escalation_id = open_now(db, world)
    given_up_at = w.at(hours=4)
    slack_keeps_failing(db, given_up_at, [ADMIN])
    assert follow_up_at(db, escalation_id) == given_up_at
    with db.unit_of_work() as uow:
        follow_up_unclaimed(uow.session, given_up_at, [ADMIN], decrypt=w.unseal)
        uow.commit()
    assert [(row.channel, row.status) for row in rows(db)] == [
        (FACILITATOR, OutboxStatus.FAILED),
        (ADMIN, OutboxStatus.PENDING),
    ]


def test_an_alert_whose_senders_kept_dying_is_due_for_follow_up_when_given_up(
    db: Database, world: World
) -> None:
    only_facilitators(db, world, FACILITATOR)
    escalation_id = open_now(db, world)
    given_up_at = senders_keep_dying(db, w.at(hours=1), [ADMIN])
    [alert] = rows(db)
    assert alert.status is OutboxStatus.FAILED
    assert follow_up_at(db, escalation_id) == given_up_at


def test_a_support_request_given_up_after_slack_kept_failing_goes_to_the_admins_and_the_member_is_told(
    db: Database,
) -> None:
    seed(db, FACILITATOR)
    ask(db, WORDS)
    slack_keeps_failing(db, factories.NOW + timedelta(hours=4), ADMINS)
    found = rows(db)
    assert [(row.channel, row.status, row.payload["template"]) for row in found] == [
        (FACILITATOR, OutboxStatus.FAILED, "support_request"),
        ("U0ADM", OutboxStatus.PENDING, "support_request"),
        ("U0LEE", OutboxStatus.PENDING, "support_rerouted"),
    ]
    failed, _, notice = found
    assert WORDS not in json.dumps(failed.payload) + (failed.last_error or "")
    assert WORDS not in json.dumps(notice.payload)


def test_a_support_request_whose_senders_kept_dying_goes_to_the_admins_once(db: Database) -> None:
    seed(db, FACILITATOR)
    ask(db, WORDS)
    senders_keep_dying(db, factories.NOW, ADMINS)
    found = rows(db)
    assert [(row.channel, row.payload["template"]) for row in found] == [
        (FACILITATOR, "support_request"),
        ("U0ADM", "support_request"),
        ("U0LEE", "support_rerouted"),
    ]
    assert found[0].status is OutboxStatus.FAILED
    assert WORDS not in json.dumps(found[0].payload) + (found[0].last_error or "")
    senders_keep_dying(db, factories.NOW + timedelta(hours=1), ADMINS)  # they too: nobody is asked twice
    assert len(rows(db)) == 3


def test_a_request_given_up_while_another_facilitator_has_it_asks_nobody_else(db: Database) -> None:
    seed(db, FACILITATOR, "U0GUS")
    ask(db, WORDS)
    recorder, at = Recorder(db, ADMINS), factories.NOW + timedelta(hours=4)
    for row in claim_due(db.unit_of_work(), at, limit=50, claim_for=CLAIM, max_attempts=1):
        if row.channel == "U0GUS":
            recorder.sent(row, {"ok": True, "channel": "DU0GUS", "ts": "1.1"}, at)
            continue
        trail = Trail(row.trail.first_claimed_at, maybe_posted=True)
        recorder.retry_later(row, "timeout", at, trail, at, max_attempts=1)
    assert [row.channel for row in rows(db)] == [FACILITATOR, "U0GUS"]
