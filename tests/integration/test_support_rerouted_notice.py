"""A member whose support request could not reach their facilitator is told once, privately, who has it now
(or that nobody could take it), never with their own words."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.gateway.record import Recorder
from bot.messages import render
from circles.domain.delivery import CAN_WAIT
from circles.persistence.db import Database
from circles.persistence.models import Cohort, OutboxMessage
from circles.services.outbox.queue import claim_due
from tests import factories
from tests.integration.test_support_unreachable import ADMINS, ask, seed

NOW = factories.NOW
WORDS = "MARKER-my-rota-is-too-much"


def send_failing(
    db: Database, at: datetime, failures: Collection[str], admins: Collection[str] = ADMINS
) -> None:
    """A dispatch pass in which Slack says these people cannot be reached; the rest are sent."""
    recorder = Recorder(db, list(admins))
    for row in claim_due(db.unit_of_work(), at, limit=50, claim_for=timedelta(minutes=5)):
        if row.channel in failures:
            recorder.failed(row, "user_disabled", at)
        else:
            recorder.sent(row, {"ok": True, "channel": f"D{row.channel}", "ts": "1.1"}, at)


def notices(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        return list(
            uow.session.scalars(
                select(OutboxMessage).where(OutboxMessage.channel == "U0LEE").order_by(OutboxMessage.id)
            )
        )


def shown(row: OutboxMessage) -> str:
    message = render(row.payload["template"], row.payload["args"])
    return json.dumps([message.text, message.block_dicts()])


def test_a_request_rerouted_to_the_admins_tells_the_member_once_who_has_it_without_their_words(
    db: Database,
) -> None:
    seed(db, "U0GONE")
    ask(db, WORDS)
    send_failing(db, NOW, {"U0GONE"})
    [notice] = notices(db)
    assert notice.payload["template"] == "support_rerouted"
    assert WORDS not in json.dumps(notice.payload)
    text = shown(notice)
    assert "<@U0ADM>" in text
    assert "administrators" in text
    assert WORDS not in text  # nor their coach, an admin too
    assert "<@U0ADA>" not in text
    send_failing(db, NOW + timedelta(minutes=1), set())
    [sent] = notices(db)
    assert sent.status == "sent"


def test_a_request_rerouted_to_a_facilitator_added_since_names_them(db: Database) -> None:
    seed(db, "U0GONE")
    ask(db, WORDS)
    with db.unit_of_work() as uow:
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), "U0NEW")
        uow.commit()
    send_failing(db, NOW, {"U0GONE"})
    [notice] = notices(db)
    text = shown(notice)
    assert "<@U0NEW>" in text
    assert "facilitators" in text
    assert "<@U0GONE>" not in text
    assert "administrators" not in text
    assert WORDS not in text


def test_a_request_rerouted_twice_tells_the_member_once(db: Database) -> None:
    seed(db, "U0GONE")
    ask(db, WORDS)
    send_failing(db, NOW, {"U0GONE"})  # on to the admin
    send_failing(db, NOW + timedelta(minutes=1), {"U0ADM"})  # who has gone too: a second reroute
    send_failing(db, NOW + timedelta(minutes=2), set())
    [notice] = notices(db)
    assert "<@U0ADM>" in shown(notice)


def test_a_request_nobody_could_take_tells_the_member_so_and_names_nobody(db: Database) -> None:
    seed(db, "U0GONE")
    ask(db, WORDS)
    send_failing(db, NOW, {"U0GONE"}, admins=["U0ADA", "U0LEE"])  # the only admins are the pair
    [notice] = notices(db)
    text = shown(notice)
    assert "nobody else could take it" in text
    assert "contact whoever runs your programme" in text
    assert "<@" not in text
    assert WORDS not in text


def test_each_rerouted_request_is_its_own_notice_and_waits_for_the_members_window(db: Database) -> None:
    seed(db, "U0GONE")
    ask(db, "first")
    ask(db, "second")
    send_failing(db, NOW, {"U0GONE"})
    assert [row.payload["template"] for row in notices(db)] == ["support_rerouted"] * 2
    assert "support_rerouted" in CAN_WAIT


def test_while_another_facilitator_has_the_request_the_member_is_told_nothing(db: Database) -> None:
    seed(db, "U0GONE", "U0GUS")
    ask(db, WORDS)
    send_failing(db, NOW, {"U0GONE"})
    assert notices(db) == []
