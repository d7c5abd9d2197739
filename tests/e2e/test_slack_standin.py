"""The Slack stand-in behaves like Slack for slack_sdk and Bolt, and the Signer signs like Slack."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond, Say
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from standin import SignedRequest, Signer, SlackStandIn, post
from standin.routes import StandInServer

SECRET = "test-signing-secret"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Welcome* to your circle"}}]


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-test", base_url=standin.api_url)


def test_post_message_is_recorded_with_blocks_decoded(standin: SlackStandIn, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C0CIRCLE01", text="Welcome", blocks=BLOCKS)
    second = client.chat_postMessage(channel="C0CIRCLE01", text="Again", thread_ts=first["ts"])

    call = standin.wait_for("chat.postMessage", count=2)[0]
    assert call.args["blocks"] == BLOCKS
    assert call.token == "xoxb-test"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["bot_id"] == standin.team.bot_id
    assert [m["text"] for m in standin.messages("C0CIRCLE01")] == ["Welcome", "Again"]


def test_form_encoded_calls_decode_json_values_and_token_field(standin: SlackStandIn) -> None:
    body = urlencode({"token": "xoxb-form", "channel": "C1", "text": "hi", "blocks": '[{"type":"divider"}]'})
    status, _, answer = post(f"{standin.api_url}chat.postMessage", _form(body))

    assert (status, b'"ok": true' in answer) == (200, True)
    assert standin.last("chat.postMessage").args["blocks"] == [{"type": "divider"}]
    assert standin.last().token == "xoxb-form"


def test_users_info_known_unknown_and_by_email(standin: SlackStandIn, client: WebClient) -> None:
    standin.add_user("U0ANN", name="ann", email="ann@example.org", tz="America/Chicago", is_admin=True)
    standin.add_user("U0GONE", email="gone@example.org", deleted=True)

    user = client.users_info(user="U0ANN")["user"]
    assert (user["tz"], user["profile"]["email"], user["is_admin"], user["deleted"]) == (
        "America/Chicago",
        "ann@example.org",
        True,
        False,
    )
    assert user["tz_offset"] in (-6 * 3600, -5 * 3600)
    assert client.users_lookupByEmail(email="ANN@example.org")["user"]["id"] == "U0ANN"
    assert client.users_info(user="U0GONE")["user"]["deleted"] is True
    with pytest.raises(SlackApiError) as unknown:
        client.users_info(user="U0NOBODY")
    assert unknown.value.response["error"] == "user_not_found"
    with pytest.raises(SlackApiError) as deactivated:
        client.users_lookupByEmail(email="gone@example.org")
    assert deactivated.value.response["error"] == "users_not_found"


def test_rate_limit_carries_retry_after_and_is_retried(standin: SlackStandIn) -> None:
    standin.fail("chat.postMessage", status=429, retry_after=1)
    plain = WebClient(token="xoxb-test", base_url=standin.api_url)
    with pytest.raises(SlackApiError) as limited:
        plain.chat_postMessage(channel="C1", text="hi")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "1"
    assert limited.value.response["error"] == "ratelimited"

    # slack_sdk int()s Retry-After and sleeps it plus up to 1s of jitter: 0 keeps the test fast.
    standin.fail("chat.postMessage", status=429, retry_after=0)
    retrying = WebClient(
        token="xoxb-test",
        base_url=standin.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    assert retrying.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert [c.status for c in standin.calls("chat.postMessage")] == [429, 429, 200]


def test_server_error_is_retried(standin: SlackStandIn) -> None:
    standin.fail("users.info", status=500, times=1)
    standin.add_user("U0ANN")
    handler = ServerErrorRetryHandler(
        max_retry_count=1, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
    )
    retrying = WebClient(token="xoxb-test", base_url=standin.api_url, retry_handlers=[handler])

    assert retrying.users_info(user="U0ANN")["user"]["id"] == "U0ANN"
    assert [c.status for c in standin.calls("users.info")] == [500, 200]


def test_error_codes_surface_as_slack_api_errors(standin: SlackStandIn, client: WebClient) -> None:
    standin.error("chat.postMessage", "channel_not_found", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as failed:
            client.chat_postMessage(channel="C1", text="hi")
        assert (failed.value.response.status_code, failed.value.response["error"]) == (
            200,
            "channel_not_found",
        )
    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True

    standin.error("views.open", "expired_trigger_id", times=None)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Join"}, "blocks": []}
    for _ in range(3):
        with pytest.raises(SlackApiError, match="expired_trigger_id"):
            client.views_open(trigger_id="1.2.3", view=view)


def test_wait_for_sees_calls_from_other_threads_and_reports_on_timeout(
    standin: SlackStandIn, client: WebClient
) -> None:
    later = threading.Timer(
        0.05, lambda: client.chat_postMessage(channel="D0ANN", text="Your circle is ready")
    )
    later.start()
    calls = standin.wait_for("chat.postMessage", predicate=lambda c: "ready" in c.args["text"], timeout=2)
    later.join()
    assert calls[0].args["channel"] == "D0ANN"

    with pytest.raises(AssertionError, match=r"(?s)chat.update.*Calls seen:.*chat.postMessage"):
        standin.wait_for("chat.update", timeout=0.05)


def test_files_upload_v2_end_to_end(standin: SlackStandIn, client: WebClient) -> None:
    result = client.files_upload_v2(
        channel="C0REPORTS1",
        content="name,joined\nann,2024\n",
        filename="members.csv",
        title="Members",
        initial_comment="Export",
    )

    assert result["file"]["name"] == "members.csv"
    assert [c.method for c in standin.calls()] == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]
    (upload,) = standin.uploaded_files()
    assert (upload.content, upload.title, upload.channels, upload.completed) == (
        b"name,joined\nann,2024\n",
        "Members",
        ["C0REPORTS1"],
        True,
    )
    assert standin.messages("C0REPORTS1")[0]["text"] == "Export"


def test_conversations_create_invite_and_name_collision(standin: SlackStandIn, client: WebClient) -> None:
    channel = client.conversations_create(name="circle-oak", is_private=True)["channel"]
    assert (channel["name"], channel["is_private"]) == ("circle-oak", True)
    client.conversations_invite(channel=channel["id"], users=["U0ANN", "U0BOB"])
    assert client.conversations_members(channel=channel["id"])["members"][1:] == ["U0ANN", "U0BOB"]

    for name, error in [("circle-oak", "name_taken"), ("Circle Oak", "invalid_name_specials")]:
        with pytest.raises(SlackApiError) as failed:
            client.conversations_create(name=name)
        assert failed.value.response["error"] == error


def test_tokens_limits_latency_and_unknown_methods(standin: SlackStandIn, client: WebClient) -> None:
    standin.valid_tokens = {"xoxb-good"}
    with pytest.raises(SlackApiError, match="invalid_auth"):
        client.auth_test()
    standin.valid_tokens = None

    standin.rate_limit("chat.postMessage", per_second=2, per_channel=True)
    for _ in range(2):
        client.chat_postMessage(channel="C1", text="hi")
    with pytest.raises(SlackApiError, match="ratelimited"):
        client.chat_postMessage(channel="C1", text="hi")
    assert client.chat_postMessage(channel="C2", text="other channel")["ok"] is True

    standin.set_latency("auth.test", 0.2)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.2

    with pytest.raises(SlackApiError, match="unknown_method"):
        client.api_call("circles.doesNotExist")
    assert standin.last().method == "circles.doesNotExist"


def test_oauth_install_then_auth_test_and_socket_mode_url(standin: SlackStandIn) -> None:
    standin.add_team("T0002", name="Second")
    standin.oauth_team_id = "T0002"
    standin.socket_mode_url = "ws://127.0.0.1:1/link"
    anonymous = WebClient(base_url=standin.api_url)

    installed = anonymous.oauth_v2_access(client_id="1.2", client_secret="s3cret", code="code-1")
    assert installed["access_token"].startswith("xoxb-")
    assert (installed["team"], installed["token_type"]) == ({"id": "T0002", "name": "Second"}, "bot")
    who = anonymous.auth_test(token=installed["access_token"])
    assert (who["team_id"], who["user_id"], who["bot_id"]) == ("T0002", installed["bot_user_id"], "B0002BOT")
    assert anonymous.apps_connections_open(app_token="xapp-1-test")["url"] == "ws://127.0.0.1:1/link"


def test_response_url_accepts_json_like_slack_hooks(standin: SlackStandIn) -> None:
    sent = WebhookClient(standin.response_url("join")).send(text="Done", replace_original=True)

    assert (sent.status_code, sent.body) == (200, "ok")
    call = standin.last("response_url")
    assert (call.path, call.args["replace_original"]) == ("/response/join", True)


def test_signatures_verify_unless_stale_wrong_or_missing() -> None:
    clock = time.time()
    signer = Signer(SECRET, now=lambda: clock)
    verifier = SignatureVerifier(SECRET)

    def valid(request: SignedRequest) -> bool:
        return verifier.is_valid_request(request.body, request.headers)

    assert valid(signer.slash_command("join oak", user_id="U0ANN"))
    assert valid(signer.block_action("join", user_id="U0ANN", value="oak", channel_id="C1"))
    assert valid(signer.view_submission("create", user_id="U0ANN", values={}))
    assert valid(signer.app_home_opened("U0ANN"))
    assert not valid(signer.url_verification("c", timestamp=int(clock) - 6 * 60))
    assert not valid(signer.event({"type": "team_join"}).wrong_signature())
    assert not valid(signer.slash_command("join", user_id="U0ANN").without_signature())


def test_payloads_carry_what_slack_sends(standin: SlackStandIn) -> None:
    signer = Signer(SECRET, standin=standin)

    command = parse_qs(signer.slash_command("join oak", user_id="U0ANN").body.decode())
    assert set(command) >= {
        "token",
        "team_id",
        "team_domain",
        "channel_id",
        "channel_name",
        "user_id",
        "user_name",
        "command",
        "text",
        "api_app_id",
        "is_enterprise_install",
        "response_url",
        "trigger_id",
    }
    assert command["response_url"] == [standin.response_url("circles")]
    values = {"name": {"value": {"type": "plain_text_input", "value": "Oak"}}}
    submission = signer.view_submission(
        "create", user_id="U0ANN", values=values, private_metadata="m"
    ).payload()
    assert (submission["view"]["state"]["values"], submission["view"]["private_metadata"]) == (values, "m")
    action = signer.block_action("join", user_id="U0ANN", value="oak", view={"id": "V1"}).payload()
    assert (action["container"], action["actions"][0]["value"]) == ({"type": "view", "view_id": "V1"}, "oak")
    envelope = signer.event({"type": "member_joined_channel", "user": "U0ANN"}, team_id="T0002").payload()
    assert envelope["authorizations"][0]["team_id"] == "T0002"


def test_bolt_accepts_signed_requests_and_answers_through_the_standin(standin: SlackStandIn) -> None:
    app = App(signing_secret=SECRET, client=WebClient(token="xoxb-test", base_url=standin.api_url))

    @app.command("/circles")
    def circles(ack: Ack, respond: Respond, say: Say, command: dict[str, str]) -> None:
        ack()
        respond(f"Joining {command['text']}")
        say("Someone joined")

    signer = Signer(SECRET, standin=standin)
    request = signer.slash_command("oak", user_id="U0ANN", channel_id="C0CIRCLE01")
    accepted = app.dispatch(BoltRequest(body=request.body.decode(), headers=dict(request.headers)))
    stale = signer.slash_command("oak", user_id="U0ANN", timestamp=int(time.time()) - 600)
    refused = app.dispatch(BoltRequest(body=stale.body.decode(), headers=dict(stale.headers)))

    assert (accepted.status, refused.status) == (200, 401)
    assert standin.wait_for("response_url")[0].args["text"] == "Joining oak"
    assert standin.wait_for("chat.postMessage")[0].args["channel"] == "C0CIRCLE01"


def _form(body: str) -> SignedRequest:
    """A bare form POST, the way non-slack_sdk clients call the API."""
    return SignedRequest(body.encode(), {"Content-Type": "application/x-www-form-urlencoded"})


def test_a_caller_that_hangs_up_before_its_answer_leaves_no_traceback_but_a_fault_of_its_own_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = StandInServer(SlackStandIn())
    try:
        for gone in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset by peer")):
            try:
                raise gone
            except ConnectionError:
                server.handle_error(None, ("127.0.0.1", 50000))
        assert capsys.readouterr().err == ""
        try:
            raise KeyError("a bug of the stand-in")
        except KeyError:
            server.handle_error(None, ("127.0.0.1", 50000))
        assert "KeyError: 'a bug of the stand-in'" in capsys.readouterr().err
    finally:
        server.server_close()
