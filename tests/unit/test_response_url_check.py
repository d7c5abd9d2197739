"""Which response_urls the app posts to: Slack's hooks, and the origin of a SLACK_API_URL not Slack's own."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.webhook.webhook_response import WebhookResponse

from bot.edge.response_url import slacks_own
from bot.errors import handle_error
from circles.errors import CirclesError

SLACK = "https://slack.com/api/"
GOV = "https://slack-gov.com/api/"
STAND_IN = "http://127.0.0.1:8123/api/"
HOOK = "https://hooks.slack.com/actions/T0001/1234567890/AbCdEfGhIjKlMnOpQrStUvWx"
GOV_HOOK = "https://hooks.slack-gov.com/commands/T0001/1234567890/AbCdEfGhIjKlMnOpQrStUvWx"


@pytest.mark.parametrize("api_url", [SLACK, GOV, STAND_IN, ""])
@pytest.mark.parametrize("hook", [HOOK, GOV_HOOK, "https://HOOKS.slack.com:443/actions/T0001/1/x"])
def test_slacks_hooks_are_answered_on_whatever_slack_api_url_says(api_url: str, hook: str) -> None:
    assert slacks_own(hook, api_url) == hook


def test_a_stand_in_or_proxy_of_slack_is_answered_on_at_its_own_scheme_host_and_port_only() -> None:
    assert (
        slacks_own("http://127.0.0.1:8123/response/U0LEE", STAND_IN) == "http://127.0.0.1:8123/response/U0LEE"
    )
    assert slacks_own("https://slack.corp.example/hooks/1", "https://slack.corp.example/api/") is not None
    assert slacks_own("https://slack.corp.example:443/hooks/1", "https://slack.corp.example/api/") is not None
    for elsewhere in (
        "http://127.0.0.1:8124/response/U0LEE",  # another port of the same host
        "https://127.0.0.1:8123/response/U0LEE",  # another scheme
        "http://localhost:8123/response/U0LEE",  # another name, even for the same machine
        "http://127.0.0.2:8123/response/U0LEE",
    ):
        assert slacks_own(elsewhere, STAND_IN) is None, elsewhere


@pytest.mark.parametrize("api_url", [SLACK, GOV])
def test_behind_slacks_own_web_api_nothing_but_its_hooks_is_answered_on(api_url: str) -> None:
    assert slacks_own("https://slack.com/api/chat.postMessage", api_url) is None
    assert slacks_own("https://files.slack.com/upload/v1/x", api_url) is None
    assert slacks_own("https://slack-gov.com/x", api_url) is None


@pytest.mark.parametrize(
    "forged",
    [
        "http://hooks.slack.com/actions/T0001/1/x",  # Slack's host, not over https
        "https://hooks.slack.com:8443/actions/T0001/1/x",
        "https://hooks.slack.com.attacker.example/actions/T0001/1/x",
        "https://hooks.slack.com@169.254.169.254/latest/meta-data/",
        "https://user:pass@hooks.slack.com/actions/T0001/1/x",
        "https://169.254.169.254\\@hooks.slack.com/x",
        "https://hooks.slack.com\t.attacker.example/x",
        "https://hooks.slack.com /x",
        "https://hooks.slack.com:99999/x",
        "https://[::1/x",
        "//hooks.slack.com/actions/T0001/1/x",
        "file:///etc/passwd",
        "gopher://hooks.slack.com/x",
        "https://hooks.sláck.com/x",
        "hooks.slack.com",
        "http://127.0.0.2:8123/internal/admin/reset",
        7,
        ["https://hooks.slack.com/actions/T0001/1/x"],
        {"url": HOOK},
    ],
)
def test_any_other_address_is_dropped(forged: Any) -> None:
    assert slacks_own(forged, STAND_IN) is None


def test_no_response_url_is_none_and_says_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    assert slacks_own(None, STAND_IN) is None
    assert slacks_own("", STAND_IN) is None
    assert caplog.records == []


def test_a_dropped_response_url_is_logged_by_its_host_alone(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    slacks_own("http://10.0.0.7:8080/internal/admin/reset?token=s3cr3t#frag", STAND_IN)
    slacks_own("https://hooks.slack.com\x00.evil/x", STAND_IN)
    slacks_own(12, STAND_IN)
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 3
    assert "10.0.0.7" in said[0]
    for line in said:
        for leaked in ("internal", "reset", "s3cr3t", "frag", "8080", "\x00", "evil"):
            assert leaked not in line


class HeardRespond(Respond):
    """Bolt's respond, hearing what would be posted to its response_url instead of posting it."""

    def __init__(self, response_url: str) -> None:
        super().__init__(response_url=response_url)
        self.heard: list[str] = []

    def __call__(self, text: str | dict[Any, Any] = "", *args: Any, **message: Any) -> WebhookResponse:
        self.heard.append(str(text))
        return WebhookResponse(url=self.response_url or "", status_code=200, body="ok", headers={})


@pytest.mark.parametrize(
    ("url", "answered"),
    [(HOOK, True), ("http://127.0.0.1:8123/response/U0LEE", True), ("http://127.0.0.2:8123/reset", False)],
)
def test_a_failure_before_the_ack_is_answered_only_on_a_response_url_that_is_slacks(
    url: str, answered: bool
) -> None:
    respond = HeardRespond(url)
    body = {"type": "block_actions", "response_url": url}
    handle_error(CirclesError(), body, None, respond, WebClient(base_url=STAND_IN))
    assert bool(respond.heard) is answered


def test_with_no_client_a_failure_before_the_ack_is_answered_only_on_slacks_hooks() -> None:
    hook, stand_in = HeardRespond(HOOK), HeardRespond("http://127.0.0.1:8123/response/U0LEE")
    forged = HeardRespond("http://127.0.0.2:8123/internal/admin/reset")
    for respond in (hook, stand_in, forged):  # authorizing failed: Bolt has no client to hand in
        handle_error(CirclesError(), {"type": "block_actions"}, None, respond)
    assert hook.heard
    assert not stand_in.heard
    assert not forged.heard
