"""OAuth mode when the database cannot be read just as a request looks up its workspace's bot token: the
person hears Circles' own words that it could not do that just now, never Slack's "reinstall this app"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import BoltRequest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from bot.app import create_app
from bot.errors import DATABASE_UNAVAILABLE
from circles.persistence.db import Database
from standin import SlackStandIn
from standin.slack_requests import Signer
from tests.integration.test_installations_at_scale import (
    SIGNING_SECRET,
    install,
    oauth_deps,
    standin,
    team,
)

__all__ = ["standin"]  # the Slack stand-in fixture, shared with the test of many installations


@contextmanager
def installations_unreadable(db: Database) -> Iterator[None]:
    """Every read of the installations fails as a dropped connection does."""

    def drop(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "slack_installations" in statement or "slack_bots" in statement:
            raise OperationalError(statement, None, ConnectionError("gone"), connection_invalidated=True)

    event.listen(db.engine, "before_cursor_execute", drop)
    try:
        yield
    finally:
        event.remove(db.engine, "before_cursor_execute", drop)


def test_a_command_whose_token_cannot_be_read_is_answered_plainly_not_with_reinstall_the_app(
    db: Database, standin: SlackStandIn
) -> None:
    install(db, 5)
    app = create_app(oauth_deps(db, standin))
    command = Signer(SIGNING_SECRET, standin=standin).slash_command("help", user_id="U0LEE", team_id=team(3))
    request = BoltRequest(
        body=command.body.decode(), headers={k.lower(): v for k, v in command.headers.items()}
    )

    with installations_unreadable(db):
        answer = app.dispatch(request)

    told = json.dumps([answer.body, [c.args for c in standin.calls()]])
    assert DATABASE_UNAVAILABLE in told
    assert "install" not in told.lower()
