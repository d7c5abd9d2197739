"""A whole story through the real HTTP app, logged as `circles run` logs: no words, tokens or secrets."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import pytest
from slack_bolt import BoltRequest

from bot import ids, logs
from bot.app import create_app
from bot.deps import build_deps
from tests.e2e.conftest import BOT_TOKEN, NOTES_KEY, SIGNING_SECRET, RunningApp
from tests.e2e.test_checkins import click, form_values, post_checkin, seed

NOTE = "MARKER-NOTE-our-meetings-keep-failing"
SUPPORT = "MARKER-SUPPORT-please-call-me"
REFUSED = "MARKER-REFUSED-forged-words"
FORGED_TOKEN = "xoxb-1111-2222-MARKERTOKEN"


@pytest.fixture(params=[logging.INFO, logging.DEBUG], ids=["default", "debug"])
def app_log(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """The app's own logging set-up, writing to a buffer; everything is put back afterwards."""
    root = logging.getLogger()
    level, alembic = root.level, logging.getLogger("alembic").level
    buffer = io.StringIO()
    handler = logs.configure(level=request.param, stream=buffer)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(alembic)


def test_a_story_leaves_no_words_tokens_or_secrets_in_the_log(
    app_log: io.StringIO, serve_app: Callable[..., RunningApp], any_database: str
) -> None:
    running = serve_app(any_database)  # built after the logging set-up, as `circles run` does
    logs.keep_out_of_logs(running.settings)
    signer = running.signer

    posted = post_checkin(running, seed(running))  # Lee answers a check-in with a note, asking for support
    click(running, posted, ids.CHECKIN_OPEN_SUPPORT, str(posted.checkin_id))
    [opened] = running.standin.wait_for("views.open")
    values = form_values("2", "no", NOTE, share=True, support=True)
    view = opened.args["view"]
    submit = signer.view_submission(
        ids.CHECKIN_VIEW, user_id="U0LEE", values=values, private_metadata=view["private_metadata"]
    )
    assert running.post(submit)[0] == 200
    running.standin.wait_for("chat.update")

    assert running.post(signer.slash_command(f"support {SUPPORT}", user_id="U0LEE"))[0] == 200
    running.standin.wait_for("response_url")

    forged = signer.slash_command(f"support {REFUSED}", user_id="U0LEE").wrong_signature()
    assert running.post(forged)[0] == 401
    # The same forged request straight into Bolt, whose own verification refuses it as well.
    app = create_app(build_deps(running.settings, running.db))
    body = urlencode({"token": FORGED_TOKEN, "command": "/circles", "text": REFUSED, "user_id": "U0LEE"})
    refused = app.dispatch(BoltRequest(body=body, headers={k.lower(): v for k, v in forged.headers.items()}))
    assert refused.status == 401

    logged = app_log.getvalue()
    assert "refused a request without a valid, fresh signature" in logged  # the log was written
    for secret in (NOTE, SUPPORT, REFUSED, "MARKERTOKEN", BOT_TOKEN, SIGNING_SECRET, NOTES_KEY, "xoxb-"):
        assert secret not in logged
