"""Nobody unheard in a channel either: an @mention of the app gets the private answer a typed DM gets, in the
person's DM with the app, never in the channel; the text is kept nowhere."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import Role
from circles.persistence.models import OutboxMessage
from standin.defaults import bot_user_id
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.traces import everything_stored

SECRET = "I'm not coping with nights — patient in bed 4 frightened me"
APP = bot_user_id("T0001")


def mention(user: str | None = "U0LEE", **changes: Any) -> dict[str, Any]:
    """An app_mention event as Slack sends it for a message naming the app in a circle's channel."""
    text = f"<@{APP}> {SECRET}"
    return {
        "type": "app_mention",
        "user": user,
        "text": text,
        "channel": "C0CIRCLE",
        "ts": f"{time.time():.6f}",
        "blocks": [
            {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [
                            {"type": "user", "user_id": APP},
                            {"type": "text", "text": f" {SECRET}"},
                        ],
                    }
                ],
            }
        ],
    } | changes


def in_one_minute() -> None:
    """Wait, if need be, so that what a test sends falls within one minute: the answers go one a minute."""
    while datetime.now(UTC).second >= 50:
        time.sleep(1)


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(sending=True)
    with running.db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, "U0FAY")
        factories.member(uow.session, co, "U0LEE", Role.LEARNER)
        uow.commit()
    for user in ("U0LEE", "U0FAY"):
        running.standin.add_user(user)
    return running


def test_a_mention_in_a_channel_is_answered_privately_in_the_persons_dm_and_its_text_is_nowhere(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        assert app.post(app.signer.event(mention())) == (200, b"")
        [answer] = app.standin.wait_for("chat.postMessage", timeout=5)
        app.settled()
    assert "not coping" not in "\n".join(r.getMessage() for r in caplog.records)
    assert answer.args["channel"] == "U0LEE"  # the person's own DM with the app, never the channel
    shown = json.dumps(answer.args, ensure_ascii=False)
    assert "I don't read messages typed here" in shown
    [button] = [e for b in answer.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert (button["action_id"], button["value"]) == (ids.SUPPORT_OPEN, "c:pgy1")
    calls = [c for c in app.standin.calls() if c.method != "auth.test"]
    assert [c.method for c in calls] == ["chat.postMessage"]
    assert "C0CIRCLE" not in json.dumps([c.args for c in calls])
    assert "not coping" not in json.dumps([c.args for c in calls], ensure_ascii=False)
    with app.db.engine.connect() as connection:
        stored = everything_stored(connection)
    assert "not coping" not in stored
    assert "bed 4" not in stored


def test_a_retried_mention_and_a_second_in_the_same_minute_get_one_answer(app: RunningApp) -> None:
    in_one_minute()
    event = mention()
    assert app.post(app.signer.event(event, event_id="Ev0MENTION1")) == (200, b"")
    assert app.post(app.signer.event(event, event_id="Ev0MENTION1", retry_num=1)) == (200, b"")
    assert app.post(app.signer.event(mention(ts=f"{time.time():.6f}"))) == (200, b"")
    app.standin.wait_for("chat.postMessage", timeout=5)
    app.settled()
    assert [c.args["channel"] for c in app.standin.calls("chat.postMessage")] == ["U0LEE"]


@pytest.mark.parametrize(
    "event",
    [
        mention(user=APP, bot_id="B0CIRCLES"),  # the app naming itself
        mention(user="U0OTHERBOT", bot_id="B0OTHER", subtype="bot_message"),
        mention(edited={"user": "U0LEE", "ts": "1.0"}),  # an edit of a message that was answered already
        mention(user=None),
        mention(user="USLACKBOT"),
    ],
)
def test_mentions_by_no_person_or_edited_are_acknowledged_and_not_answered(
    app: RunningApp, event: dict[str, Any]
) -> None:
    assert app.post(app.signer.event(event)) == (200, b"")
    app.settled()
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(OutboxMessage)).all() == []
    assert app.standin.calls("chat.postMessage") == []


def test_a_mention_of_another_tenant_is_not_answered(app: RunningApp) -> None:
    assert app.post(app.signer.event(mention(), team_id="T0OTHER")) == (200, b"")
    app.settled()
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(OutboxMessage)).all() == []
    assert app.standin.calls("chat.postMessage") == []
