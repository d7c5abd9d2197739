"""A button or form naming an id larger than any row can have (a modified client, or a value made up) is
answered as one naming nothing of the person's, on PostgreSQL too, which refuses such a number outright:
never "something went wrong", and no error in the log."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest

from bot import ids
from standin.defaults import dm_channel_id
from tests.e2e.conftest import RunningApp, coaching_pair

TOO_LARGE = "2147483648"  # one more than the largest 32-bit id


@pytest.mark.parametrize(
    ("action", "user", "value"),
    [
        (f"{ids.CHECKIN_RATE}_3", "U0LEARN", f"{TOO_LARGE}:3"),
        (ids.ESCALATION_CLAIM, "U0FAC", TOO_LARGE),
        (ids.PARTNERSHIP_PAUSE, "U0LEARN", "99999999999"),
        (ids.REQUEST_ACCEPT, "U0COACH", TOO_LARGE),
        (ids.MATCH_CONFIRM, "U0FAC", TOO_LARGE),
    ],
)
def test_an_id_past_the_largest_a_row_can_have_is_answered_as_naming_nothing_and_logs_no_error(
    serve_app: Callable[..., RunningApp],
    any_database: str,
    caplog: pytest.LogCaptureFixture,
    action: str,
    user: str,
    value: str,
) -> None:
    app = serve_app(database_url=any_database)
    coaching_pair(app)
    caplog.set_level(logging.INFO)

    app.post(
        app.signer.block_action(
            action,
            user_id=user,
            value=value,
            channel_id=dm_channel_id(user),
            response_url=app.standin.response_url(user),
        )
    )

    [answer] = app.standin.wait_for(
        "response_url", timeout=10, predicate=lambda c: c.path.endswith(f"/{user}")
    )
    assert "went wrong" not in json.dumps(answer.args)  # before, on PostgreSQL: an apology and a traceback
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
