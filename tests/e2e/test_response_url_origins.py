"""A response_url a payload names elsewhere than Slack gets nothing from the app: the person hears in the DM.

The stand-in serves response_urls where it serves the Web API (SLACK_API_URL), as Slack's hooks are Slack's:
those are answered on as before.
"""

from __future__ import annotations

import http.server
import json
import logging
import threading
from collections.abc import Iterator

import pytest

from bot import ids
from tests.e2e.conftest import RunningApp
from tests.e2e.test_answers_reach import dm_to
from tests.e2e.test_endings import app as endings_app  # noqa: F401  (a fixture: a coach and a learner)
from tests.e2e.test_endings import status_buttons

SECRET_PATH = "/internal/admin/reset?all=1&hook=T0001-B0001-s3cr3t"


@pytest.fixture
def app(endings_app: RunningApp) -> RunningApp:  # noqa: F811 - the imported fixture, under its own name
    return endings_app


@pytest.fixture
def elsewhere() -> Iterator[tuple[str, list[bytes]]]:
    """A host of the network the app runs in, that is not Slack: its address and what was posted to it."""
    posted: list[bytes] = []

    class Listening(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            posted.append(self.rfile.read(int(self.headers.get("content-length") or 0)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Listening)
    thread = threading.Thread(target=server.serve_forever, name="elsewhere", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{SECRET_PATH}", posted
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def press(app: RunningApp, user: str, value: str, response_url: str) -> None:
    app.standin.clear()
    app.post(
        app.signer.block_action(ids.PARTNERSHIP_PAUSE, user_id=user, value=value, response_url=response_url)
    )


def test_a_forged_response_url_gets_nothing_and_the_person_is_answered_in_their_dm(
    app: RunningApp, elsewhere: tuple[str, list[bytes]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    url, posted = elsewhere
    pause = status_buttons(app, "U0LEARN")[ids.PARTNERSHIP_PAUSE]
    press(app, "U0LEARN", pause, url)
    # The response_url is tried before the DM: once the DM is there, nothing more goes anywhere.
    [told] = app.standin.wait_for("chat.postMessage", timeout=10, predicate=dm_to("U0LEARN"))
    assert "paused" in json.dumps(told.args)
    assert posted == []
    assert app.standin.calls("response_url") == []
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "ignored a response_url to 127.0.0.1" in logged
    assert "/internal" not in logged  # the host only, never the path or query
    assert "s3cr3t" not in logged


def test_a_refusal_does_not_go_to_a_forged_response_url_either(
    app: RunningApp, elsewhere: tuple[str, list[bytes]]
) -> None:
    url, posted = elsewhere
    pause = status_buttons(app, "U0LEARN")[ids.PARTNERSHIP_PAUSE]
    press(app, "U0STRANGER", pause, url)
    [told] = app.standin.wait_for("chat.postMessage", timeout=10, predicate=dm_to("U0STRANGER"))
    assert "not one of yours" in told.args["text"]
    assert posted == []


def test_the_stand_ins_own_response_url_is_answered_on_as_slacks_would_be(
    app: RunningApp, elsewhere: tuple[str, list[bytes]]
) -> None:
    _url, posted = elsewhere
    pause = status_buttons(app, "U0LEARN")[ids.PARTNERSHIP_PAUSE]
    press(app, "U0LEARN", pause, app.standin.response_url("U0LEARN"))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert answer.path == "/response/U0LEARN"
    assert "paused" in json.dumps(answer.args)
    app.settled()
    assert app.standin.calls("chat.postMessage") == []  # answered where pressed: no DM besides
    assert posted == []
