"""Events as Slack really sends them, odd ones included: every one acknowledged, and only a person typing in
the app's DM is answered."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import func, select, text

from circles.persistence.models import OutboxMessage, SeenRequest
from tests.e2e.conftest import RunningApp
from tests.e2e.test_hostile_edge import tracebacks
from tests.e2e.test_typed_messages import typed


def stored(running: RunningApp) -> tuple[int, int]:
    """How many requests were taken in and how many messages are waiting."""
    with running.db.reading() as reading:
        count = reading.session.scalar
        return (
            int(count(select(func.count()).select_from(SeenRequest)) or 0),
            int(count(select(func.count()).select_from(OutboxMessage)) or 0),
        )


def outbox_recipients(running: RunningApp) -> list[str]:
    with running.db.reading() as reading:
        return list(reading.session.scalars(select(OutboxMessage.channel)))


def test_a_me_message_typed_in_the_apps_dm_is_answered_like_any_other(running: RunningApp) -> None:
    assert running.post(running.signer.event(typed(subtype="me_message"))) == (200, b"")
    running.settled()
    assert outbox_recipients(running) == ["U0LEE"]


# Fields Bolt reads to build a request's context, with a type it cannot read.
UNREADABLE = [
    pytest.param({"type": "app_home_opened", "user": 5, "tab": "home"}, id="home-user-number"),
    pytest.param(
        {"type": "app_home_opened", "user": "U0LEE", "tab": "home", "channel": 7}, id="home-channel"
    ),
    pytest.param(typed(channel=12), id="message-channel-number"),
    pytest.param(typed(user=None, subtype="message_changed", message={"user": 4}), id="edit-user-number"),
    pytest.param(typed(user=None, subtype="message_deleted", previous_message={"user": True}), id="deleted"),
    pytest.param({"type": "user_change", "user": 5}, id="user-change-number"),
    pytest.param({"type": "app_uninstalled", "user": 3}, id="uninstalled-user-number"),
    pytest.param({"type": "reaction_added", "item": {"channel": 9}}, id="item-channel-number"),
]


@pytest.mark.parametrize("event", UNREADABLE)
def test_a_signed_event_with_fields_of_a_type_slack_never_sends_is_refused_without_a_server_error(
    running: RunningApp, caplog: pytest.LogCaptureFixture, event: dict[str, Any]
) -> None:
    with caplog.at_level(logging.INFO):
        assert running.post(running.signer.event(event)) == (400, b"Bad Request")
        running.settled()
    assert tracebacks(caplog) == []
    assert stored(running) == (0, 0)
    assert running.standin.calls() == []


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"team_id": None, "authorizations": [{"team": 5, "enterprise": 6}]}, id="authorization"),
        pytest.param({"event": {}}, id="empty-event"),
    ],
)
def test_an_envelope_slack_never_sends_is_refused_without_a_server_error(
    running: RunningApp, caplog: pytest.LogCaptureFixture, changes: dict[str, Any]
) -> None:
    envelope = json.loads(running.signer.event(typed()).body) | changes
    envelope = {name: value for name, value in envelope.items() if value is not None}
    with caplog.at_level(logging.INFO):
        assert running.post(running.signer.sign(json.dumps(envelope).encode(), "application/json"))[0] == 400
    assert tracebacks(caplog) == []


@pytest.mark.parametrize(
    "user",
    ["U0L\ud800EE", "U0L\x00EE", "U0LEE" * 3000, "u0lee", ""],
    ids=["lone-surrogate", "nul", "huge", "lower-case", "empty"],
)
def test_a_typed_message_from_someone_not_named_like_a_slack_user_is_not_answered_and_breaks_nothing(
    running: RunningApp, caplog: pytest.LogCaptureFixture, user: str
) -> None:
    with caplog.at_level(logging.INFO):
        assert running.post(running.signer.event(typed(user=user))) == (200, b"")
        assert running.post(running.signer.app_home_opened(user)) == (200, b"")
        running.settled()
    assert tracebacks(caplog) == []
    assert outbox_recipients(running) == []
    assert running.standin.calls() == []


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(typed(user=None, subtype="message_changed", message={"user": "U0LEE"}), id="edited"),
        pytest.param(
            typed(user=None, subtype="message_deleted", previous_message={"user": "U0LEE"}), id="gone"
        ),
        pytest.param(typed(channel="C0CIRCLE", channel_type="channel"), id="in-a-channel"),
        pytest.param(
            {"type": "reaction_added", "user": "U0LEE", "item": {"channel": "D0LEEDM"}}, id="reaction"
        ),
        pytest.param({"type": "app_home_opened", "user": "U0LEE", "tab": "messages"}, id="messages-tab"),
    ],
)
def test_an_event_that_needs_no_answer_costs_no_work_and_brings_no_message_even_when_the_database_fails(
    running: RunningApp, event: dict[str, Any]
) -> None:
    with running.db.engine.begin() as connection:
        connection.execute(text("DROP TABLE seen_requests"))
    assert running.post(running.signer.event(event)) == (200, b"")
    running.settled()
    assert running.standin.calls() == []


def test_slacks_notice_that_it_is_dropping_events_is_acknowledged_and_logged_without_its_body(
    running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    notice = {
        "token": "verification-token-words",
        "type": "app_rate_limited",
        "team_id": "T0001",
        "minute_rate_limited": 1518467820,
        "api_app_id": "A0001",
    }
    with caplog.at_level(logging.INFO):
        status, _ = running.post(running.signer.sign(json.dumps(notice).encode(), "application/json"))
        running.settled()
    assert status == 200
    # Waitress notes when a request waited for a thread on a busy machine: not the app's to say.
    ours = [r for r in caplog.records if r.levelno >= logging.WARNING and not r.name.startswith("waitress")]
    [warning] = [r.getMessage() for r in ours]
    assert "T0001" in warning
    assert "verification-token-words" not in warning
    assert stored(running) == (0, 0)
