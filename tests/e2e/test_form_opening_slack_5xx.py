"""A form opens with a trigger Slack honours once, for three seconds: when Slack answers a form's opening
with a server error, it is asked once only (a retry of a request that did open the form would be refused
as an exchanged trigger), and the person hears that Slack did not answer, never that nothing was changed
(the check-in they asked for was opened before its form). Calls without a trigger still ride out 5xx."""

from __future__ import annotations

import logging
import socketserver
import threading
from collections.abc import Iterator
from http.client import RemoteDisconnected
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.errors import SLACK_UNANSWERED
from bot.slack_client import web_client
from circles.persistence.models import CheckIn
from circles.settings import Settings
from standin.server import SlackStandIn
from tests.e2e.conftest import BOT_TOKEN, QUICK_RETRY, SIGNING_SECRET, RunningApp, app_settings, coaching_pair
from tests.e2e.test_checkin_many_partnerships import chooser, click_from_chooser, programme

FORM = {"type": "modal", "title": {"type": "plain_text", "text": "Check in"}, "blocks": []}


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


def errors_and_tracebacks(log: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in log.records if r.levelno >= logging.ERROR or r.exc_info]


def checkins(app: RunningApp) -> list[CheckIn]:
    with app.db.reading() as uow:
        return list(uow.session.scalars(select(CheckIn)))


def said_slack_did_not_answer(text: str) -> None:
    assert text == SLACK_UNANSWERED
    assert "nothing was changed" not in text.lower()
    assert "went wrong" not in text


@pytest.mark.parametrize("status", [500, 503])
def test_a_checkin_chosen_while_slack_fails_asks_slack_once_and_says_slack_did_not_answer(
    running: RunningApp, log: pytest.LogCaptureFixture, status: int
) -> None:
    programme(running)
    offered = chooser(running, "U0ADA")
    running.standin.fail("views.open", status=status, times=None)

    click_from_chooser(running, "U0ADA", offered["U0LEE"])

    [answer] = running.standin.wait_for("response_url", timeout=20)
    running.settled()
    said_slack_did_not_answer(answer.args["text"])
    assert len(running.standin.calls("views.open")) == 1
    assert len(checkins(running)) == 1  # opened before its form: it waits, and trying again opens it
    assert errors_and_tracebacks(log) == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_the_checkin_command_while_slack_fails_asks_slack_once_and_says_slack_did_not_answer(
    running: RunningApp, log: pytest.LogCaptureFixture, status: int
) -> None:
    coaching_pair(running)
    running.standin.fail("views.open", status=status, times=None)

    running.post(running.signer.slash_command("checkin", user_id="U0LEARN"))

    [answer] = running.standin.wait_for("response_url", timeout=20)
    running.settled()
    said_slack_did_not_answer(answer.args["text"])
    assert len(running.standin.calls("views.open")) == 1
    assert errors_and_tracebacks(log) == []


def test_a_form_slack_answers_with_a_passing_error_is_said_not_answered_without_a_traceback(
    running: RunningApp, log: pytest.LogCaptureFixture
) -> None:
    coaching_pair(running)
    running.standin.error("views.open", "internal_error")  # HTTP 200, an error Slack documents as passing

    running.post(running.signer.slash_command("checkin", user_id="U0LEARN"))

    [answer] = running.standin.wait_for("response_url", timeout=20)
    said_slack_did_not_answer(answer.args["text"])
    assert errors_and_tracebacks(log) == []


@pytest.mark.parametrize("method", ["views.open", "views.push"])
def test_the_apps_client_never_asks_again_for_a_form_slack_failed_to_open(
    standin: SlackStandIn, tmp_path: Path, method: str
) -> None:
    client = web_client(app_settings(standin, f"sqlite:///{tmp_path}/c.db"), BOT_TOKEN, QUICK_RETRY)
    standin.fail(method, status=503, times=None)
    opening = client.views_open if method == "views.open" else client.views_push

    with pytest.raises(SlackApiError):
        opening(trigger_id="1.2.3", view=FORM)

    assert [call.status for call in standin.calls(method)] == [503]


def test_the_apps_client_still_rides_out_a_server_error_on_a_call_without_a_trigger(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    client = web_client(app_settings(standin, f"sqlite:///{tmp_path}/c.db"), BOT_TOKEN, QUICK_RETRY)
    standin.add_user("U0ANN")
    standin.fail("users.info", status=503, times=2)

    assert client.users_info(user="U0ANN")["user"]["id"] == "U0ANN"
    assert [call.status for call in standin.calls("users.info")] == [503, 503, 200]


class _Hangs(socketserver.BaseRequestHandler):
    """Reads the request and closes the connection without a word, as a dropped connection does."""

    def handle(self) -> None:
        self.server.asked.append(self.request.recv(65536).split(b" ")[1].decode())  # type: ignore[attr-defined]


@pytest.fixture
def dropping() -> Iterator[tuple[str, list[str]]]:
    """A Web API that drops every connection: its URL, and the paths it was asked."""
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Hangs) as server:
        server.asked = []  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}/api/", server.asked  # type: ignore[attr-defined]
        server.shutdown()


def apps_client(url: str) -> WebClient:
    """The client the app's listeners use, retrying at once, against the Web API at `url`."""
    settings = Settings(
        _env_file=None, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET, slack_api_url=url
    )
    return web_client(settings, BOT_TOKEN, QUICK_RETRY)


def test_the_apps_client_never_asks_again_for_a_form_after_a_dropped_connection_but_does_for_others(
    dropping: tuple[str, list[str]],
) -> None:
    url, asked = dropping
    client = apps_client(url)

    with pytest.raises(RemoteDisconnected):
        client.views_open(trigger_id="1.2.3", view=FORM)
    with pytest.raises(RemoteDisconnected):
        client.users_info(user="U0ANN")

    assert asked == ["/api/views.open", "/api/users.info", "/api/users.info", "/api/users.info"]
