"""Random bodies, signed and unsigned, at the real HTTP app: never a 5xx, and refusals write nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from circles.persistence.models import OutboxMessage, SeenRequest, Workspace
from standin import SignedRequest
from tests.e2e.conftest import SIGNING_SECRET, RunningApp


@pytest.fixture
def running(serve_app: Callable[..., RunningApp], any_database: str) -> RunningApp:
    """The app on SQLite and again on PostgreSQL: the edge must hold the same on both."""
    return serve_app(any_database)


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "multipart/form-data; boundary=x",
    "",
]
KINDS = ["block_actions", "view_submission", "view_closed", "event_callback", "shortcut", "block_suggestion"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
slack_like = st.fixed_dictionaries(
    {"type": st.sampled_from(KINDS) | json_values},
    optional={
        name: json_values
        for name in ("team", "user", "actions", "event", "view", "channel", "trigger_id", "container")
    },
)


@st.composite
def bodies(draw: st.DrawFn) -> tuple[str, bytes]:
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    shape = draw(st.sampled_from(["bytes", "json", "payload", "fields"]))
    if shape == "bytes":
        return content_type, draw(st.binary(max_size=200))
    data: Any = draw(slack_like | json_values)
    if shape == "json":
        return content_type, json.dumps(data).encode()
    if shape == "payload":
        return content_type, urlencode({"payload": json.dumps(data)}).encode()
    fields = draw(
        st.dictionaries(st.sampled_from(["command", "text", "user_id", "ssl_check", "x"]), st.text())
    )
    return content_type, urlencode(fields).encode()


def signed(content_type: str, body: bytes, how: str) -> SignedRequest:
    timestamp = str(int(time.time()) - (600 if how == "stale" else 0))
    secret = SIGNING_SECRET if how in ("signed", "stale") else "another-secret"
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": content_type}
    if how != "unsigned":
        headers |= {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}
    return SignedRequest(body, headers)


COUNTS = select(
    *(
        select(func.count()).select_from(model).scalar_subquery()
        for model in (SeenRequest, OutboxMessage, Workspace)
    )
)  # in one statement: it is read twice for every example


def rows(running: RunningApp) -> tuple[int, ...]:
    with running.db.engine.connect() as connection:
        return tuple(int(count) for count in connection.execute(COUNTS).one())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=bodies(), how=st.sampled_from(["signed", "signed", "unsigned", "wrong", "stale"]))
def test_no_body_signed_or_not_gets_a_5xx_and_a_refused_one_changes_nothing(
    running: RunningApp, request: tuple[str, bytes], how: str
) -> None:
    before = rows(running)
    status, _ = running.post(signed(*request, how))
    assert status < 500
    if how != "signed":
        assert status == 401
    if status in (400, 401):  # refused at the edge: nothing at all is written
        assert rows(running) == before
    elif status >= 400:  # taken in, then found to be for no listener: only remembered as seen
        assert rows(running)[1:] == before[1:]
