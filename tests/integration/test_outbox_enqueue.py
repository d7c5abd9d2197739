"""Recording outgoing messages: each key once per workspace, in the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from circles.messages import PlainNotice, SupportRequest
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from circles.services.outbox.enqueue import Outgoing, enqueue, enqueue_many
from circles.services.outbox.queue import claim_due, mark_failed, mark_sent
from tests import factories

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_a_key_is_recorded_once_however_often_it_is_enqueued(db: Database) -> None:
    with db.unit_of_work() as uow:
        workspace = factories.workspace(uow.session)
        message = Outgoing("prompt:7:2026-03-02", "C1", PlainNotice("hi"))
        assert enqueue(uow.session, workspace.id, message, NOW, NOW) is True
        assert enqueue(uow.session, workspace.id, message, NOW, NOW) is False
        batch = [message, Outgoing("prompt:8:2026-03-02", "C2", PlainNotice("hello"))]
        assert enqueue_many(uow.session, workspace.id, batch, NOW, NOW) == 1
        uow.commit()
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [row.idempotency_key for row in rows] == ["prompt:7:2026-03-02", "prompt:8:2026-03-02"]
        assert rows[0].payload == {"template": "plain", "args": {"text": "hi"}}
        assert rows[0].status == "pending"
        assert rows[0].attempts == 0


def test_the_same_key_in_another_workspace_is_another_message(db: Database) -> None:
    with db.unit_of_work() as uow:
        first, second = factories.workspace(uow.session), factories.workspace(uow.session, team_id="T2")
        message = Outgoing("welcome:U1", "U1", PlainNotice("hi"))
        assert enqueue(uow.session, first.id, message, NOW, NOW)
        assert enqueue(uow.session, second.id, message, NOW, NOW)
        uow.commit()
    with db.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_nothing_is_recorded_when_the_callers_transaction_rolls_back(db: Database) -> None:
    with db.unit_of_work() as uow:
        workspace = factories.workspace(uow.session)
        uow.commit()
        enqueue(uow.session, workspace.id, Outgoing("k", "U1", PlainNotice("hi")), NOW, NOW)
    with db.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_private_messages_words_are_dropped_once_it_is_sent_or_refused(db: Database) -> None:
    with db.unit_of_work() as uow:
        workspace = factories.workspace(uow.session)
        words = "I am struggling with my rota"
        for key in ("support:1", "support:2", "notice:3"):
            payload = (
                SupportRequest("PGY-1", "U0LEE", words) if key.startswith("support") else PlainNotice(words)
            )
            enqueue(uow.session, workspace.id, Outgoing(key, "U0FAC", payload), NOW, NOW)
        uow.commit()
    claimed = {c.key: c for c in claim_due(db.unit_of_work(), NOW, limit=10, claim_for=timedelta(minutes=5))}
    mark_sent(db.unit_of_work(), claimed["support:1"].id, {"channel": "D1", "ts": "1.0"}, NOW)
    mark_failed(db.unit_of_work(), claimed["support:2"].id, claimed["support:2"].attempt, "user_not_found")
    mark_sent(db.unit_of_work(), claimed["notice:3"].id, {"channel": "D1", "ts": "2.0"}, NOW)
    with db.unit_of_work() as uow:
        payloads = {row.idempotency_key: row.payload for row in uow.session.scalars(select(OutboxMessage))}
    assert payloads["support:1"] == {"template": "support_request", "args": {}, "private": True}
    assert payloads["support:2"]["args"] == {}
    assert payloads["notice:3"]["args"] == {"text": "I am struggling with my rota"}  # not private: kept
