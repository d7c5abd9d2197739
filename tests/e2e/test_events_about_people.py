"""Slack tells the app whenever anyone in the workspace changes their profile or status (`user_change`):
nobody asked Circles for anything, so when keeping up with it fails, the log gets the trace and nobody is
sent a message about it."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import text

from standin.defaults import DEFAULT_TEAM_ID
from tests import factories
from tests.e2e.conftest import RunningApp


def status_changed(user: str, deleted: bool) -> dict[str, Any]:
    """What Slack sends when someone sets a status (here, a day off), or their account is deactivated."""
    profile = {"display_name": "lee", "status_emoji": ":palm_tree:", "status_text": "Day off"}
    person = {"id": user, "tz": "Europe/London", "profile": profile, "deleted": deleted}
    return {"type": "user_change", "user": person}


@pytest.mark.parametrize(
    ("deleted", "gone"),
    [
        pytest.param(False, ("profiles",), id="status"),
        pytest.param(True, ("partnerships",), id="deactivated"),
        pytest.param(False, ("seen_requests",), id="before-any-work"),
    ],
)
def test_a_profile_change_the_app_fails_to_keep_up_with_brings_nobody_a_message(
    running: RunningApp, caplog: pytest.LogCaptureFixture, deleted: bool, gone: tuple[str, ...]
) -> None:
    running.standin.add_user("U0LEE")
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, DEFAULT_TEAM_ID)
        factories.member(uow.session, factories.cohort(uow.session, ws, "pgy1", "PGY-1"), "U0LEE")
        factories.profile(uow.session, ws, "U0LEE", "UTC")
        uow.commit()
    with running.db.engine.begin() as connection:  # what the change needs has gone
        for table in gone:
            connection.execute(text(f"DROP TABLE {table}"))
    event = status_changed("U0LEE", deleted)
    with caplog.at_level(logging.INFO):
        assert running.post(running.signer.event(event)) == (200, b"")
        running.settled()
    [failure] = [r for r in caplog.records if r.name == "circles.errors"]
    assert failure.exc_info is not None  # the traceback is in the log
    assert running.standin.calls("chat.postMessage") == []
    assert running.standin.calls("chat.postEphemeral") == []
