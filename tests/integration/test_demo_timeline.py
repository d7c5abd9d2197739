"""The demo's timeline says which personal messages were held for their people's window."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import cast
from zoneinfo import ZoneInfo

from bot.demo.actors import Answering
from bot.demo.run import Counted, _sent
from bot.demo.timeline import Timeline
from bot.demo.world import VirtualClock, World
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from tests import factories

NOW = datetime(2027, 1, 12, 3, 5, tzinfo=UTC)


def sent(ws_id: int, key: str, template: str, deferred_from: datetime | None) -> OutboxMessage:
    return OutboxMessage(
        workspace_id=ws_id,
        idempotency_key=key,
        method="chat.postMessage",
        channel="U0NIGHT",
        payload={"template": template},
        status=OutboxStatus.SENT,
        due_at=NOW,
        sent_at=NOW,
        created_at=NOW - timedelta(days=1),
        deferred_from=deferred_from,
    )


def test_messages_held_for_a_window_are_counted_and_told_with_when_first_due(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        uow.session.add_all(
            [
                sent(ws.id, "checkin:1", "checkin", datetime(2027, 1, 11, 15, 0, tzinfo=UTC)),
                sent(ws.id, "checkin:2", "checkin", datetime(2027, 1, 11, 16, 0, tzinfo=UTC)),
                sent(ws.id, "prompt:1", "circle_prompt", None),
            ]
        )
        uow.commit()
    out = io.StringIO()
    timeline = Timeline(out, zone=ZoneInfo("America/Chicago"))
    world = cast(World, SimpleNamespace(deps=SimpleNamespace(db=db), clock=VirtualClock(NOW)))
    _sent(world, timeline, Counted(), Answering())
    assert out.getvalue().splitlines() == [
        "  Mon 21:05  sent 2 check-ins, 1 circle prompts",
        "  Mon 21:05  of these, held for their people's window: 2 check-ins (the earliest due Mon 09:00)",
    ]
    assert timeline.tally.deferred == {"checkin": 2}


def test_the_timeline_names_every_kind_of_message_in_words(db: Database) -> None:
    # A round's set-up steps and a missed circle prompt sent on return are counted as readers say them.
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        uow.session.add_all(
            [
                sent(ws.id, "round:1:step:1", "round", None),
                sent(ws.id, "round:1:step:2", "round", None),
                sent(ws.id, "catch-up:1", "circle_prompt_catch_up", None),
                sent(ws.id, "away:1", "partner_away", None),
            ]
        )
        uow.commit()
    out = io.StringIO()
    timeline = Timeline(out, zone=ZoneInfo("America/Chicago"))
    world = cast(World, SimpleNamespace(deps=SimpleNamespace(db=db), clock=VirtualClock(NOW)))
    _sent(world, timeline, Counted(), Answering())
    [line] = out.getvalue().splitlines()
    assert "_" not in line
    assert "2 round set-up steps" in line
    assert "1 catch-up circle prompts" in line
