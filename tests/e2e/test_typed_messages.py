"""Nobody unheard: `circles run` answers what is typed in its DM within a second, and keeps no trace of it."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from bot import ids
from bot.messages import render
from circles.domain.care import DEFAULT_WELLBEING_RESOURCES
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage
from standin import Signer, SlackStandIn, post
from standin.defaults import bot_user_id
from tests import factories
from tests.databases import migrated_sqlite_url
from tests.e2e.conftest import BOT_TOKEN, NOTES_KEY, SIGNING_SECRET, RunningApp
from tests.e2e.harness import Started, circles_run_logged
from tests.traces import everything_stored

SECRET = "I'm not coping with nights — patient in bed 4 frightened me"
RESOURCES = "The staff wellbeing team is on the intranet, any time."


def typed(text: str = SECRET, user: str | None = "U0LEE", **changes: Any) -> dict[str, Any]:
    """A message event as Slack sends it for what someone typed in the app's DM."""
    return {
        "type": "message",
        "channel": "D0LEEDM",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
        "blocks": [
            {
                "type": "rich_text",
                "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
            }
        ],
    } | changes


@pytest.fixture
def served(standin: SlackStandIn, tmp_path: Path) -> Iterator[Started]:
    """`circles run` in HTTP mode with a cohort Lee is in, whose facilitators wrote their own resources."""
    for user in ("U0LEE", "U0FAY"):
        standin.add_user(user)
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "CIRCLES_NOTES_KEY": NOTES_KEY,
    }
    migrated_sqlite_url(tmp_path)  # made once for the run: the answers are under test, not migrating
    with circles_run_logged(tmp_path, **settings) as started:
        db = Database(f"sqlite:///{tmp_path / 'circles.db'}")
        with db.unit_of_work() as uow:
            co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
            co.wellbeing_resources = RESOURCES
            factories.facilitator(uow.session, co, "U0FAY")
            factories.member(uow.session, co, "U0LEE", Role.LEARNER)
            uow.commit()
        db.dispose()
        standin.clear()
        yield started


def send(started: Started, standin: SlackStandIn, event: dict[str, Any]) -> float:
    """Post the event signed as Slack does; the moment its 200 came back."""
    status, _, body = post(
        f"{started.base_url}/slack/events", Signer(SIGNING_SECRET, standin=standin).event(event)
    )
    assert (status, body) == (200, b"")
    return time.monotonic()


def test_a_typed_message_gets_its_private_answer_within_a_second_and_its_text_is_nowhere(
    served: Started, standin: SlackStandIn, tmp_path: Path
) -> None:
    acked = send(served, standin, typed())
    [answer] = standin.wait_for("chat.postMessage", timeout=5)
    assert time.monotonic() - acked < 1.0
    assert answer.args["channel"] == "U0LEE"  # the person's own DM with the app, nobody else
    shown = json.dumps(answer.args, ensure_ascii=False)
    assert "I don't read messages typed here" in shown
    assert RESOURCES in shown
    [button] = [e for b in answer.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert (button["action_id"], button["value"]) == (ids.SUPPORT_OPEN, "c:pgy1")
    standin.wait_quiet(0.3)  # anything else the app might still do has reached Slack
    calls = json.dumps([(c.method, c.args) for c in standin.calls()], ensure_ascii=False)
    assert "not coping" not in calls
    assert "bed 4" not in calls
    assert [c.method for c in standin.calls() if c.method != "auth.test"] == ["chat.postMessage"]
    assert "not coping" not in served.output()
    db = Database(f"sqlite:///{tmp_path / 'circles.db'}")
    with db.engine.connect() as connection:
        stored = everything_stored(connection)
    db.dispose()
    assert "not coping" not in stored
    assert "bed 4" not in stored
    assert (
        "I don't read" not in stored
    )  # the answer is rendered when sent: the outbox keeps the cohort's words


def test_a_flood_of_messages_gets_one_answer_a_minute_and_every_event_is_acknowledged(
    served: Started, standin: SlackStandIn
) -> None:
    # The flood (under a second, a few on a loaded machine) must not straddle a minute: that earns a second
    # answer. Ten seconds' room is plenty, and a run waits for the next minute one time in six, not in four.
    while datetime.now(UTC).second >= 50:
        time.sleep(1)
    for n in range(50):
        send(served, standin, typed(f"{SECRET} ({n})"))
    standin.wait_for("chat.postMessage", timeout=5)
    standin.wait_quiet(1.0)  # a second answer, were there one, would have followed the first by now
    assert [c.args["channel"] for c in standin.calls("chat.postMessage")] == ["U0LEE"]


@pytest.mark.parametrize(
    "event",
    [
        typed(user=bot_user_id("T0001"), bot_id="B0CIRCLES"),  # the app's own message
        typed(bot_id="B0OTHER", subtype="bot_message", user=None),
        typed(subtype="message_changed", user=None),
        typed(subtype="message_deleted", user=None),
        typed(channel="C0CIRCLE", channel_type="channel"),
        typed(channel="G0PAIR", channel_type="mpim"),
    ],
)
def test_events_that_are_not_a_person_typing_are_acknowledged_and_not_answered(
    running: RunningApp, event: dict[str, Any]
) -> None:
    assert running.post(running.signer.event(event)) == (200, b"")
    running.settled()
    with running.db.unit_of_work() as uow:
        assert uow.session.scalars(select(OutboxMessage)).all() == []
    assert running.standin.calls("chat.postMessage") == []


def test_someone_in_no_cohort_is_answered_with_how_to_find_their_programme(
    served: Started, standin: SlackStandIn
) -> None:
    standin.add_user("U0NEW")
    send(served, standin, typed(user="U0NEW"))
    [answer] = standin.wait_for("chat.postMessage", timeout=5)
    shown = json.dumps(answer.args, ensure_ascii=False)
    assert answer.args["channel"] == "U0NEW"
    assert "/circles join" in shown
    assert DEFAULT_WELLBEING_RESOURCES in shown
    assert [b for b in answer.args["blocks"] if b["type"] == "actions"] == []


def test_the_answers_button_opens_the_support_form_for_that_cohort(running: RunningApp) -> None:
    with running.db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, "U0FAY")
        factories.member(uow.session, co, "U0LEE", Role.LEARNER)
        uow.commit()
    running.post(running.signer.event(typed()))
    for _ in range(50):
        with running.db.unit_of_work() as uow:
            rows = uow.session.scalars(select(OutboxMessage)).all()
        if rows:
            break
        time.sleep(0.05)
    [row] = rows
    message = render(row.payload["template"], row.payload["args"])
    blocks: list[dict[str, Any]] = message.block_dicts()
    [button] = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    running.post(
        running.signer.block_action(
            button["action_id"],
            user_id="U0LEE",
            value=button["value"],
            channel_id="D0LEEDM",
            trigger_id="1.2.3",
        )
    )
    [opened] = running.standin.wait_for("views.open", timeout=5)
    assert opened.args["view"]["callback_id"] == ids.SUPPORT_VIEW
    assert opened.args["view"]["private_metadata"] == "c:pgy1"


def test_when_answering_fails_the_log_gets_the_trace_but_never_the_text(
    running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    with running.db.engine.begin() as connection:
        connection.execute(text("DROP TABLE outbox"))
    with caplog.at_level(logging.DEBUG):
        assert running.post(running.signer.event(typed())) == (200, b"")
        for _ in range(50):
            if any(r.name == "circles.errors" for r in caplog.records):
                break
            time.sleep(0.05)
    [failure] = [r for r in caplog.records if r.name == "circles.errors"]
    assert failure.getMessage() == "failed to handle event message"
    assert failure.exc_info is not None
    logged = "\n".join(f"{r.name}: {r.getMessage()}" for r in caplog.records)
    assert "not coping" not in logged


def test_a_flood_while_answers_cannot_be_recorded_gets_one_answer_a_minute_that_asks_nobody_to_retry(
    running: RunningApp,
) -> None:
    with running.db.engine.begin() as connection:
        connection.execute(text("DROP TABLE outbox"))
    while datetime.now(UTC).second >= 50:  # the flood within one minute (see the flood above)
        time.sleep(1)
    for n in range(20):
        assert running.post(running.signer.event(typed(f"{SECRET} ({n})"))) == (200, b"")
    running.settled()
    [answer] = running.standin.calls("chat.postMessage")
    shown = json.dumps(answer.args, ensure_ascii=False)
    assert answer.args["channel"] == "U0LEE"
    assert "I don't read messages typed here" in shown
    assert "/circles support" in shown
    assert DEFAULT_WELLBEING_RESOURCES in shown
    assert "try again" not in shown.lower()
    assert "not coping" not in shown
