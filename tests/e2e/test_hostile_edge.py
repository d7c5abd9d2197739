"""Hostile requests at the real HTTP app: verified before parsed, malformed refused, replays ignored."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import time
import urllib.request
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import pytest
from sqlalchemy import delete, func, select

from bot import ids
from circles.domain.vocabulary import Role
from circles.persistence.models import OutboxMessage, SeenRequest
from standin import SignedRequest, SlackStandIn
from tests import factories
from tests.databases import migrated_postgres, migrated_sqlite_url
from tests.e2e.conftest import SIGNING_SECRET, RunningApp, start_app


@pytest.fixture
def running(serve_app: Callable[..., RunningApp], any_database: str) -> RunningApp:
    """The app on SQLite and again on PostgreSQL: the edge must hold the same on both."""
    return serve_app(any_database)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def shared_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningApp]:
    """One app on SQLite and one on PostgreSQL for the many requests below that must be refused before
    anything is stored: starting an app for each would cost more than the request."""
    with contextlib.ExitStack() as stack:
        folder = tmp_path_factory.mktemp("edge")
        standin = stack.enter_context(SlackStandIn())
        postgres = request.param == "postgresql"
        url = stack.enter_context(migrated_postgres()) if postgres else migrated_sqlite_url(folder)
        yield start_app(stack, standin, folder, url)


@pytest.fixture
def refusing(shared_app: RunningApp) -> Iterator[RunningApp]:
    """The shared app, as if started for this test: Slack has heard nothing yet, and whatever a request
    wrongly stored is gone again after the test (which fails on it), so that the next starts clean."""
    shared_app.standin.clear()
    yield shared_app
    shared_app.settled()
    with shared_app.db.unit_of_work() as uow:
        uow.session.execute(delete(SeenRequest))
        uow.session.execute(delete(OutboxMessage))
        uow.commit()


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

# A press as Slack sends it, but for the one field each case below breaks.
PRESS = {
    "type": "block_actions",
    "user": {"id": "U0X"},
    "trigger_id": "1.2.3",
    "actions": [{"action_id": "x"}],
}

MALFORMED = [
    (FORM, b"payload=not-json{{{"),
    (FORM, b"payload=[1]"),
    (FORM, b"payload=null"),
    (FORM, b"payload="),
    (FORM, b"\xff\xfe=\x00"),
    (JSON, b"{bad"),
    (JSON, b"[1]"),
    (JSON, b"null"),
    ("text/plain", b"hello"),
    (FORM, urlencode({"payload": json.dumps({"type": "block_actions", "actions": []})}).encode()),
    (FORM, urlencode({"payload": json.dumps({"type": "block_actions", "user": {"id": "U0X"}})}).encode()),
    (JSON, json.dumps({"type": "event_callback", "event": "a string", "team_id": "T0"}).encode()),
    (JSON, json.dumps({"type": "event_callback", "event": {"type": ["x"]}}).encode()),
    (FORM, urlencode({"payload": json.dumps({"type": "view_submission", "view": "v"})}).encode()),
    (FORM, urlencode({"payload": json.dumps({"type": "view_submission", "view": None})}).encode()),
    (
        FORM,
        urlencode({"payload": json.dumps({"type": "view_closed", "view": {"callback_id": "x"}})}).encode(),
    ),
    (
        FORM,
        urlencode({"payload": json.dumps({"type": "view_submission", "view": {"callback_id": 7}})}).encode(),
    ),
    (FORM, urlencode({"payload": json.dumps({"type": "block_actions", "team": 5})}).encode()),
    (FORM, urlencode({"payload": json.dumps(PRESS | {"actions": [{"action_id": 5}]})}).encode()),
    (
        FORM,
        urlencode(
            {"payload": json.dumps(PRESS | {"actions": [{"action_id": "x", "block_id": []}]})}
        ).encode(),
    ),
    (
        FORM,
        urlencode({"payload": json.dumps({k: v for k, v in PRESS.items() if k != "trigger_id"})}).encode(),
    ),
    (
        FORM,
        urlencode({"payload": json.dumps(PRESS | {"view": {"type": "home", "callback_id": ""}})}).encode(),
    ),
    (JSON, json.dumps({"command": 5, "text": "help"}).encode()),
]


def raw(content_type: str, body: bytes, **headers: str) -> SignedRequest:
    return SignedRequest(body, {"Content-Type": content_type, **headers})


def signed_with(
    timestamp: str, content_type: str, body: bytes, secret: str = SIGNING_SECRET
) -> SignedRequest:
    """Signed over the raw bytes, as Slack signs, with any timestamp text."""
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256)
    return raw(
        content_type,
        body,
        **{"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest.hexdigest()}"},
    )


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


def outbox_size(running: RunningApp) -> int:
    with running.db.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


@pytest.mark.parametrize(("content_type", "body"), MALFORMED)
def test_an_unsigned_malformed_body_gets_401_without_being_read(
    refusing: RunningApp, caplog: pytest.LogCaptureFixture, content_type: str, body: bytes
) -> None:
    with caplog.at_level(logging.DEBUG):
        wrong = signed_with(str(int(time.time())), content_type, body, secret="not-the-signing-secret")
        stale = signed_with(str(int(time.time()) - 301), content_type, body)
        for request in (raw(content_type, body), wrong, stale):
            status, _ = refusing.post(request)
            assert status == 401
    assert tracebacks(caplog) == []
    with refusing.db.unit_of_work() as uow:
        assert uow.session.scalars(select(SeenRequest)).all() == []  # refused: nothing written


@pytest.mark.parametrize(("content_type", "body"), MALFORMED)
def test_a_signed_malformed_body_gets_400_and_no_traceback(
    refusing: RunningApp, caplog: pytest.LogCaptureFixture, content_type: str, body: bytes
) -> None:
    with caplog.at_level(logging.DEBUG):
        status, _ = refusing.post(signed_with(str(int(time.time())), content_type, body))
    assert status == 400
    assert tracebacks(caplog) == []
    refusing.settled()
    assert refusing.standin.calls() == []


def test_an_odd_but_well_formed_signed_payload_is_answered_without_a_5xx(
    running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    bodies = [
        (FORM, urlencode({"payload": "{}"}).encode()),
        (JSON, b"{}"),
        (FORM, b""),
        (JSON, json.dumps({"type": "event_callback", "event": {}}).encode()),
        (FORM, urlencode({"payload": json.dumps({"type": "view_submission", "view": {}})}).encode()),
    ]
    with caplog.at_level(logging.DEBUG):
        for content_type, body in bodies:
            status, _ = running.post(running.signer.sign(body, content_type))
            assert status < 500, body
    assert tracebacks(caplog) == []


def test_home_opened_by_nobody_publishes_nothing_and_logs_no_traceback(
    running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        opened = {"type": "app_home_opened", "tab": "home", "channel": "D0NOBODY"}
        assert running.post(running.signer.event(opened))[0] == 200
        running.settled()
    assert tracebacks(caplog) == []
    assert running.standin.calls("views.publish") == []


@pytest.mark.parametrize(
    "timestamp", ["abc", "1e9", " 1700000000", "-1", "", "1_700_000_000", "99999999999999999999"]
)
def test_a_timestamp_that_is_not_a_number_of_seconds_gets_401(refusing: RunningApp, timestamp: str) -> None:
    body = refusing.signer.slash_command("help", user_id="U0MEMBER").body
    status, _ = refusing.post(signed_with(timestamp, FORM, body))
    assert status == 401
    refusing.settled()
    assert refusing.standin.calls() == []


def test_other_methods_and_paths_are_answered_at_once(running: RunningApp) -> None:
    assert running.get("/slack/events")[0] == 405
    assert running.get("/slack/events/extra")[0] == 404
    request = urllib.request.Request(f"{running.base_url}/elsewhere", data=b"x", method="POST")  # noqa: S310
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - the app under test
    assert refused.value.code == 404
    put = urllib.request.Request(f"{running.base_url}/slack/events", data=b"x", method="PUT")  # noqa: S310
    with pytest.raises(urllib.error.HTTPError) as not_allowed:
        urllib.request.urlopen(put, timeout=5)  # noqa: S310
    assert not_allowed.value.code == 405


def seed_support(running: RunningApp) -> None:
    with running.db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session))
        factories.facilitator(uow.session, cohort, "U0FAY")
        factories.facilitator(uow.session, cohort, "U0GUS")
        factories.member(uow.session, cohort, "U0LEE", Role.LEARNER)
        uow.commit()


def test_an_exact_replay_of_a_support_request_reaches_each_facilitator_once(running: RunningApp) -> None:
    seed_support(running)
    request = running.signer.slash_command("support we need help", user_id="U0LEE")
    assert running.post(request)[0] == 200
    running.standin.wait_for("response_url")
    assert running.post(request) == (200, b"")  # acknowledged, and nothing more
    running.settled()
    assert outbox_size(running) == 2  # one message for each facilitator, not two
    assert len(running.standin.calls("response_url")) == 1


def test_the_same_support_words_sent_again_later_are_a_new_request(running: RunningApp) -> None:
    seed_support(running)
    for _ in range(2):
        assert running.post(running.signer.slash_command("support we need help", user_id="U0LEE"))[0] == 200
        running.standin.wait_for("response_url")
        running.standin.clear()
    assert outbox_size(running) == 4


def test_a_command_whose_words_say_payload_is_answered_like_any_other(running: RunningApp) -> None:
    # A form field is what makes a body an interactive payload, not the word "payload" in a command's
    # text (or in a channel's name): the request is read, not dropped with a 404.
    seed_support(running)
    text = "support the payload of night shifts is too much"
    command = running.signer.slash_command(text, user_id="U0LEE", channel_name="payload-ops")
    assert running.post(command)[0] == 200
    running.standin.wait_for("response_url")
    running.settled()
    assert outbox_size(running) == 2  # one message for each facilitator
    said = json.dumps([call.args for call in running.standin.calls("response_url")])
    assert "U0FAY" in said
    assert "U0GUS" in said


def test_slacks_retry_of_an_event_is_taken_in_once(running: RunningApp) -> None:
    event = {"type": "app_home_opened", "user": "U0MEMBER", "channel": "D0APP", "tab": "home"}
    first = running.signer.event(event, event_id="Ev0RETRIED")
    retry = running.signer.event(event, event_id="Ev0RETRIED", retry_num=1, timestamp=int(time.time()) + 1)
    assert first.headers["X-Slack-Signature"] != retry.headers["X-Slack-Signature"]
    assert running.post(first)[0] == 200
    running.standin.wait_for("views.publish")
    assert running.post(retry)[0] == 200
    running.settled()
    assert len(running.standin.calls("views.publish")) == 1


@pytest.mark.parametrize(
    ("action", "value"),
    [
        (ids.CONSENT_GIVE, "pgy1-spring\x00:1"),
        (ids.CONSENT_WITHDRAW, "pgy1-spring\x00"),
        (ids.DIRECTORY_REQUEST, "pgy1-spring:U0FAY\x00"),
    ],
)
def test_a_button_value_holding_a_nul_is_answered_as_out_of_date_without_a_traceback(
    running: RunningApp, caplog: pytest.LogCaptureFixture, action: str, value: str
) -> None:
    # No button of the app holds a NUL, and PostgreSQL refuses to compare one with a slug or an id.
    seed_support(running)
    with caplog.at_level(logging.DEBUG):
        press = running.signer.block_action(action, user_id="U0LEE", value=value, channel_id="D0LEE")
        assert running.post(press)[0] == 200
        running.settled()
    assert tracebacks(caplog) == []
    assert outbox_size(running) == 0
